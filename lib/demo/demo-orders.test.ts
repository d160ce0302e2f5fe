/**
 * The demo's orders say what the demo promises: read by the real reader and checked against
 * their referral's form, most agree on every field they state, and the planted ones disagree on
 * exactly the fields planted (a newcomer sees both kinds).
 */
import { describe, expect, it } from "vitest";
import { checkReferral } from "../documents/check";
import { readDocument } from "../documents/read";
import { demoOrder } from "./demo-orders";
import { readReferencePayload } from "./reference-payload";
import { buildPayload } from "./seed";

describe("the demo referrals' physician orders", () => {
  it("agree with their forms except on the fields planted", { timeout: 60_000 }, async () => {
    const base = readReferencePayload();
    const seen = { agree: 0, disagree: 0 };
    for (const i of [0, 1, 2, 3, 4, 7, 8]) {
      const payload = buildPayload(base, i);
      const order = (await demoOrder(payload, i))!;
      expect(order, `referral ${i}`).not.toBeNull();
      const reading = await readDocument(order.pdf);
      expect(reading).toMatchObject({ state: "read", method: "text" });
      const result = checkReferral(payload, [{ file_id: "order", reading }]);
      const mismatches = result.checks.filter((c) => c.verdict === "mismatch").map((c) => c.field);
      expect(mismatches.sort(), `referral ${i}`).toEqual([...order.disagrees].sort());
      expect(
        result.checks.filter((c) => c.verdict === "invalid"),
        `referral ${i}`,
      ).toEqual([]);
      expect(result.checks.filter((c) => c.verdict === "match").length, `referral ${i}`).toBeGreaterThanOrEqual(7);
      seen[order.disagrees.length ? "disagree" : "agree"]++;
    }
    expect(seen.agree).toBeGreaterThan(0);
    expect(seen.disagree).toBeGreaterThan(0);
  });
});
