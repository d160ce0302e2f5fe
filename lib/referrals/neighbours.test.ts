import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../access/scopes";
import type { Actor } from "../access/actors";
import { closeDb, getDb } from "../db";
import { makeActors, makeReferral } from "../../test/support/referrals";
import { getNeighbours, neighboursSql } from "./neighbours";

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
  it("are the requests of its status just before and after it in its tab's order: SLA due time, or newest first once decided", async () => {
    // Received in 1990, so no other test's request falls between them.
    const base = Date.UTC(1990, 0, 1);
    const [oldest, middle, newest] = [
      await makeReferral({ receivedAt: new Date(base) }),
      await makeReferral({ receivedAt: new Date(base + 60_000) }),
      await makeReferral({ receivedAt: new Date(base + 120_000) }),
    ];
    // New: due order (the oldest is due first), as the New tab lists them.
    expect(await getNeighbours(getDb(), actors.reviewer, middle.id)).toEqual({ next: newest.id, previous: oldest.id });
    expect((await getNeighbours(getDb(), actors.reviewer, oldest.id)).next).toBe(middle.id);
    expect((await getNeighbours(getDb(), actors.reviewer, newest.id)).previous).toBe(middle.id);
    // A due time moved (a pause, a reopening) moves the request in that order.
    await getDb().execute(sql`update referral_requests set sla_due_at = '1980-01-01' where id = ${newest.id}`);
    expect((await getNeighbours(getDb(), actors.reviewer, oldest.id)).previous).toBe(newest.id);

    // Rejected: newest first, as the Rejected tab lists them.
    await getDb().execute(
      sql`update referral_requests set status = 'rejected' where id in (${oldest.id}, ${middle.id}, ${newest.id})`,
    );
    expect(await getNeighbours(getDb(), actors.reviewer, middle.id)).toEqual({ next: oldest.id, previous: newest.id });
    expect((await getNeighbours(getDb(), actors.reviewer, newest.id)).next).toBe(middle.id);
    expect((await getNeighbours(getDb(), actors.reviewer, oldest.id)).previous).toBe(middle.id);
  });

  it("are found through the (status, sla_due_at, id) and (status, received_at, id) indexes, the request's values their conditions, not a filter over every row", async () => {
    const r = await makeReferral();
    // The plan a large table gets (a test table is small enough for a sequential scan).
    const plan = await getDb().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const res = await tx.execute<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
        sql`explain (format json) ${neighboursSql(r.id)}`,
      );
      return nodes(res.rows[0]!["QUERY PLAN"][0]!.Plan);
    });
    for (const [index, column] of [
      ["referral_requests_status_received", /received_at/],
      ["referral_requests_status_due", /sla_due_at/],
    ] as const) {
      const probes = plan.filter((n) => n["Index Name"] === index);
      expect(probes).toHaveLength(2);
      for (const p of probes) expect(p["Index Cond"]).toMatch(column);
    }
    expect(plan.filter((n) => /received_at|sla_due_at/.test(n["Join Filter"] ?? ""))).toEqual([]);
  });
});
