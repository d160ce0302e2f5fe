import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import { parseQueueParams, queueQuery, type TQueueParams } from "../validations/queue";
import { listQueue, queuePageStatements } from "./queue";
import { actorsForFile, makeReferral } from "../../test/support/referrals";

const db = () => getDb();
const actors = actorsForFile();
const view = (q: Record<string, string>) => parseQueueParams(q);

/**
 * `count` new requests of an agency of their own, request ids <prefix>-1…: due 1 µs apart within
 * one millisecond (a JavaScript-Date cursor would skip rows), the last `undated` without a due time.
 */
async function insertDueRows(orgId: string, prefix: string, count: number, undated: number) {
  await db()
    .execute(sql`insert into referral_requests (request_id, status, agency_name, agency_host, agency_branch_id, agency_org_id,
      agency_timezone, client_external_id, client_first_name, client_last_name, client_timezone, received_at, sla_due_at)
    select ${prefix} || '-' || g, 'new', 'Order Agency', 'https://x', 1, ${orgId}, 'UTC', g, 'Row', 'R' || g, 'UTC',
      '2026-01-01 00:00:00'::timestamptz - g * interval '1 second',
      case when g <= ${count - undated} then '2026-01-02 00:00:00.5'::timestamptz + g * interval '1 microsecond' end
    from generate_series(1, ${count}::int) g`);
}

const ids = async (p: TQueueParams) => (await listQueue(db(), actors.reviewer, p, null)).rows.map((r) => r.requestId);

describe("the queue's order", () => {
  it("opens by SLA due time, overdue first, requests without a due time last; newest first is the other choice", async () => {
    const orgId = randomUUID();
    const hour = 3_600_000;
    const now = Date.now();
    const make = async (name: string, receivedAgoH: number, dueInH: number | null) => {
      const r = await makeReferral({ orgId, lastName: name, receivedAt: new Date(now - receivedAgoH * hour) });
      await db().execute(
        sql`update referral_requests set sla_due_at = ${dueInH === null ? null : new Date(now + dueInH * hour).toISOString()}::timestamptz where id = ${r.id}`,
      );
      return r.requestId;
    };
    // Received in one order, due in another (a reopened request keeps its paused time).
    const dueSoon = await make("DueSoon", 1, 5);
    const overdueLittle = await make("OverdueLittle", 30, -2);
    const overdueMost = await make("OverdueMost", 20, -10);
    const undated = await make("Undated", 2, null);

    const byDue = view({ agency: orgId });
    expect(byDue.sort).toBe("due_asc");
    expect(await ids(byDue)).toEqual([overdueMost, overdueLittle, dueSoon, undated]);
    expect(await ids(view({ agency: orgId, sort: "received_desc" }))).toEqual([
      dueSoon,
      undated,
      overdueMost,
      overdueLittle,
    ]);
    // The default is left out of links; "Newest first" is written in them.
    expect(queueQuery({ tab: "new", sort: "due_asc" })).toBe("");
    expect(queueQuery({ tab: "new", sort: "received_desc" })).toBe("?sort=received_desc");
    // Decided requests have no SLA running: their tabs open newest first.
    expect(view({ tab: "sent" }).sort).toBe("received_desc");
    expect(queueQuery({ tab: "sent", sort: "received_desc" })).toBe("?tab=sent");
  });

  it("pages by (due time, id) forwards and back, across the requests without a due time, losing and repeating none", async () => {
    const orgId = randomUUID();
    const prefix = `order-${orgId.slice(0, 8)}`;
    await insertDueRows(orgId, prefix, 107, 4);
    const expected = Array.from({ length: 107 }, (_, i) => `${prefix}-${i + 1}`);
    // Undated last, by id: their order among themselves is the ids', whatever it is.
    const undatedOrder = (
      await db().execute<{ request_id: string }>(
        sql`select request_id from referral_requests where agency_org_id = ${orgId} and sla_due_at is null order by id`,
      )
    ).rows.map((r) => r.request_id);
    expected.splice(103, 4, ...undatedOrder);

    const pages: string[][] = [];
    const cursors: Array<{ next: string | null; prev: string | null }> = [];
    let q: Record<string, string> = { agency: orgId };
    for (;;) {
      const page = await listQueue(db(), actors.reviewer, view(q), null);
      pages.push(page.rows.map((r) => r.requestId));
      cursors.push({ next: page.nextCursor, prev: page.prevCursor });
      if (!page.nextCursor) break;
      q = { agency: orgId, after: page.nextCursor };
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 7]);
    expect(pages.flat()).toEqual(expected);
    // Back from the last page (which starts in the dated stretch and ends in the undated one), and from the middle.
    expect(await ids(view({ agency: orgId, before: cursors[2]!.prev! }))).toEqual(pages[1]);
    expect(await ids(view({ agency: orgId, before: cursors[1]!.prev! }))).toEqual(pages[0]);

    // A page that starts inside the undated stretch, and back from it.
    const undatedPage = await listQueue(db(), actors.reviewer, view({ agency: orgId, after: cursors[1]!.next! }), null);
    const fourth = undatedPage.rows[4]!;
    expect(fourth.requestId).toBe(expected[104]);
    const fromUndated = await listQueue(
      db(),
      actors.reviewer,
      view({ agency: orgId, after: Buffer.from(JSON.stringify([null, fourth.id])).toString("base64url") }),
      null,
    );
    expect(fromUndated.rows.map((r) => r.requestId)).toEqual(expected.slice(105));
    expect(await ids(view({ agency: orgId, before: fromUndated.prevCursor! }))).toEqual(expected.slice(55, 105));
  });
});

type PlanNode = {
  "Node Type": string;
  "Parent Relationship"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
};
/** The plan's nodes, without the per-row subplans (a row's possible duplicates, sorted among themselves). */
const nodes = (n: PlanNode): PlanNode[] => [
  n,
  ...(n.Plans ?? []).filter((c) => c["Parent Relationship"] !== "SubPlan").flatMap(nodes),
];

describe("the default order's plan", () => {
  it("reads a due-time index in order (no sort of the tab's rows), unfiltered and filtered", async () => {
    const orgId = randomUUID();
    await insertDueRows(orgId, `plan-${orgId.slice(0, 8)}`, 5, 1);
    const cursor = Buffer.from(JSON.stringify(["2026-01-02 00:00:00.5+00", randomUUID()])).toString("base64url");
    const explain = (q: Record<string, string>) =>
      db().transaction(async (tx) => {
        // The plan a large table gets (a test table is small enough for a sequential scan).
        await tx.execute(sql`set local enable_seqscan = off`);
        // A filter's handful of test rows is cheaper to sort: the question is whether an index gives the order.
        if (q.agency || q.service) await tx.execute(sql`set local enable_sort = off`);
        const [first] = queuePageStatements(actors.reviewer, view(q), null);
        const res = await tx.execute<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
          sql`explain (format json) ${first!(51)}`,
        );
        return nodes(res.rows[0]!["QUERY PLAN"][0]!.Plan);
      });
    // Which of the due-time indexes a filter takes is the planner's choice by the table's size
    // (at a million, the agency's or the service's); on any of them the page is a range scan in
    // order, never a sort of the tab's rows.
    const DUE = /^referral_requests_(status|status_agency|status_service)_due$/;
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /^referral_requests_status_due$/],
      [{ after: cursor }, /^referral_requests_status_due$/],
      [{ agency: orgId }, DUE],
      [{ service: "PT" }, DUE],
      [{ agency: orgId, service: "PT", assigned: "unassigned", overdue: "1" }, DUE],
    ];
    for (const [q, index] of cases) {
      const plan = await explain(q);
      // (referral_requests_pkey: a possible duplicate's other request, per row shown)
      const scans = plan.filter(
        (n) => n["Index Name"]?.startsWith("referral_requests_") && n["Index Name"] !== "referral_requests_pkey",
      );
      expect(scans, JSON.stringify(q)).toHaveLength(1);
      expect(scans[0]!["Index Name"], JSON.stringify(q)).toMatch(index);
      expect(scans[0]!["Index Cond"], JSON.stringify(q)).toMatch(q.after ? /sla_due_at/ : /status/);
      expect(plan.filter((n) => n["Node Type"] === "Sort" || n["Node Type"] === "Seq Scan")).toEqual([]);
    }
  });
});
