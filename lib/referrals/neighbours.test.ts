import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../access/scopes";
import type { Actor } from "../access/actors";
import { closeDb, getDb } from "../db";
import { makeActors, makeReferral } from "../../test/support/referrals";
import { getNeighbours, neighboursSql } from "./queue";

let actors: Record<Role, Actor>;
beforeAll(async () => {
  actors = await makeActors();
});
afterAll(async () => {
  await closeDb();
});

type PlanNode = {
  "Node Type": string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Join Filter"?: string;
  Plans?: PlanNode[];
};
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe("a referral's neighbours (the referral page's previous / next)", () => {
  it("are the requests of its status received just before and after it", async () => {
    // Received in 1990, so no other test's request falls between them.
    const base = Date.UTC(1990, 0, 1);
    const [oldest, middle, newest] = [
      await makeReferral({ receivedAt: new Date(base) }),
      await makeReferral({ receivedAt: new Date(base + 60_000) }),
      await makeReferral({ receivedAt: new Date(base + 120_000) }),
    ];
    expect(await getNeighbours(getDb(), actors.reviewer, middle.id)).toEqual({ next: oldest.id, previous: newest.id });
    expect((await getNeighbours(getDb(), actors.reviewer, newest.id)).next).toBe(middle.id);
    expect((await getNeighbours(getDb(), actors.reviewer, oldest.id)).previous).toBe(middle.id);
  });

  it("are found through the (status, received_at, id) index, the request's values its condition, not a filter over every row", async () => {
    const r = await makeReferral();
    // The plan a large table gets (a test table is small enough for a sequential scan).
    const plan = await getDb().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const res = await tx.execute<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
        sql`explain (format json) ${neighboursSql(r.id)}`,
      );
      return nodes(res.rows[0]!["QUERY PLAN"][0]!.Plan);
    });
    const probes = plan.filter((n) => n["Index Name"] === "referral_requests_status_received");
    expect(probes).toHaveLength(2);
    for (const p of probes) expect(p["Index Cond"]).toMatch(/received_at/);
    expect(plan.filter((n) => /received_at/.test(n["Join Filter"] ?? ""))).toEqual([]);
  });
});
