import { expect, it } from "vitest";
import { selectOne } from "./select-one";

it("reads from the database the global setup made", async () => {
  expect(await selectOne()).toEqual([{ ok: 1 }]);
});
