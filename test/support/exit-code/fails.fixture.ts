import { expect, it } from "vitest";
import { selectOne } from "./select-one";

it("fails on purpose after reading from the database the global setup made", async () => {
  expect(await selectOne()).toEqual([{ ok: 2 }]);
});
