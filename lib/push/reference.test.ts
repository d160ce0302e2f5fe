import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getReferenceData } from "../accloud/reference-data";
import { CSI_GROUP_ID } from "../accloud/sandbox/seed";
import { closeDb, getDb } from "../db";
import { setupPushEnvironment } from "../../test/support/push";
import { pushReference } from "./context";

let env: Awaited<ReturnType<typeof setupPushEnvironment>>;
beforeAll(async () => {
  env = await setupPushEnvironment();
});
afterAll(async () => {
  await env.sbx.close();
  await closeDb();
});

describe("the reference data a push reads", () => {
  it("is getReferenceData's CSI group and service codes, in one statement", async () => {
    const full = await getReferenceData(getDb());
    const mine = await pushReference(getDb());
    expect(full.csiGroup?.id).toBe(CSI_GROUP_ID);
    expect(mine.csiGroup).toEqual({ id: full.csiGroup!.id });
    expect(mine.serviceCodes.length).toBeGreaterThan(0);
    const byId = (xs: Array<{ id: number; name: string }>) =>
      [...xs].map((c) => ({ id: c.id, name: c.name })).sort((a, b) => a.id - b.id);
    expect(byId(mine.serviceCodes)).toEqual(byId(full.serviceCodes));
  });
});
