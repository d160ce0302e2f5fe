import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import { parseQueueParams } from "../validations/queue";
import { countNewSince, getTabCounts, listQueue, openQueue } from "./queue";
import { makeActors, makeReferral, actorsForFile } from "../../test/support/referrals";
import { claimReferral, requestPendingInfo } from "../workflow/decisions";

const db = () => getDb();
const actors = actorsForFile();

const view = (q: Record<string, string>) => parseQueueParams(q);

describe("tab counts (trigger-kept)", () => {
  it("follow inserts, status changes and deletes, per agency and service", async () => {
    const orgId = randomUUID();
    const a = await makeReferral({ orgId, service: "PT" });
    await makeReferral({ orgId, service: "PT" });
    await makeReferral({ orgId, service: "OT" });
    expect((await getTabCounts(db(), actors.reviewer, { agency: orgId })).new).toBe(3);
    expect((await getTabCounts(db(), actors.reviewer, { agency: orgId, service: "PT" })).new).toBe(2);

    await claimReferral(db(), actors.reviewer, a.id);
    let counts = await getTabCounts(db(), actors.reviewer, { agency: orgId });
    expect([counts.new, counts.in_review]).toEqual([2, 1]);
    expect(
      await requestPendingInfo(db(), actors.reviewer, { referralId: a.id, version: 2, note: "Need the signed order" }),
    ).toMatchObject({ status: "success" });
    counts = await getTabCounts(db(), actors.reviewer, { agency: orgId });
    expect([counts.new, counts.in_review, counts.pending_info]).toEqual([2, 0, 1]);

    // A multi-row statement (the bench's shape) is counted in one go.
    await db().execute(
      sql`update referral_requests set status = 'cancelled' where agency_org_id = ${orgId} and status = 'new'`,
    );
    counts = await getTabCounts(db(), actors.reviewer, { agency: orgId });
    expect([counts.new, counts.cancelled]).toEqual([0, 2]);

    // The counts equal a real count.
    const real = await db().execute<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from referral_requests where agency_org_id = ${orgId} group by status`,
    );
    const kept = await db().execute<{ status: string; n: number }>(
      sql`select status, sum(n)::int as n from referral_status_counts where agency_org_id = ${orgId} group by status having sum(n) <> 0`,
    );
    expect(Object.fromEntries(kept.rows.map((r) => [r.status, r.n]))).toEqual(
      Object.fromEntries(real.rows.map((r) => [r.status, r.n])),
    );
  });
});

describe("keyset pagination", () => {
  it("walks forwards and back without losing rows that differ only in microseconds", async () => {
    const orgId = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await makeReferral({ orgId })).id);
    // 5 rows of the same millisecond, apart by microseconds (a JS Date cursor would lose them).
    await db().execute(
      sql`update referral_requests set received_at = '2026-01-01 10:00:00.123000+00'::timestamptz + make_interval(secs => (array_position(${sql.raw(`array['${ids.join("','")}']::uuid[]`)}, id)) * 0.000001) where agency_org_id = ${orgId}`,
    );
    let p = view({ agency: orgId, tab: "new", sort: "received_desc" });
    // Pages of 2 via the real query: fetch everything then check order, and walk with cursors.
    const all = await listQueue(db(), actors.reviewer, p, null);
    expect(all.rows.map((r) => r.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();
    // Cursor after the 2nd row continues at the 3rd, exactly.
    const second = all.rows[1]!;
    const received = await db().execute<{ k: string }>(
      sql`select received_at::text as k from referral_requests where id = ${second.id}`,
    );
    const cursor = Buffer.from(JSON.stringify([received.rows[0]!.k, second.id])).toString("base64url");
    p = view({ agency: orgId, sort: "received_desc", after: cursor });
    const rest = await listQueue(db(), actors.reviewer, p, null);
    expect(rest.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(2));
    expect(rest.prevCursor).not.toBeNull();
    const back = await listQueue(
      db(),
      actors.reviewer,
      view({ agency: orgId, sort: "received_desc", before: rest.prevCursor! }),
      null,
    );
    expect(back.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 2));
  });

  it("ignores malformed cursors and filters instead of failing", () => {
    const p = view({ after: "garbage", tab: "nope", agency: "x", from: "2026-13-45", sort: "weird" });
    // An unknown order is the tab's own: by SLA due time where an SLA runs, else newest first.
    expect(p).toMatchObject({ tab: "new", sort: "due_asc" });
    expect(view({ tab: "rejected", sort: "weird" }).sort).toBe("received_desc");
    expect(p.after).toBeUndefined();
    expect(p.agency).toBeUndefined();
    expect(p.from).toBeUndefined();
  });
});

describe("filters and search", () => {
  it("filter by service, date range, assignment, overdue, request id and client name", async () => {
    const orgId = randomUUID();
    const a = await makeReferral({
      orgId,
      firstName: "Ada",
      lastName: "Zeller",
      service: "PT",
      receivedAt: new Date("2026-03-10T15:00:00Z"),
    });
    const b = await makeReferral({
      orgId,
      firstName: "Bob",
      lastName: "Young",
      service: "OT",
      receivedAt: new Date("2026-03-12T15:00:00Z"),
    });
    const c = await makeReferral({ orgId, firstName: "Cy", lastName: "Zeta", service: "PT" });
    const ids = async (q: Record<string, string>, name: string | null = null, actor = actors.reviewer) =>
      (await listQueue(db(), actor, view({ agency: orgId, ...q }), name)).rows.map((r) => r.id).sort();

    expect(await ids({ service: "PT" })).toEqual([a.id, c.id].sort());
    expect(await ids({ from: "2026-03-10", to: "2026-03-11" })).toEqual([a.id]);
    expect(await ids({ overdue: "1" })).toEqual([a.id, b.id].sort()); // received long ago: past the SLA
    expect(await ids({ rid: c.requestId.slice(0, 13) })).toEqual([c.id]);
    expect(await ids({}, "zel")).toEqual([a.id]);
    expect(await ids({}, "ada z")).toEqual([a.id]);
    expect(await ids({}, "z")).toEqual([a.id, b.id, c.id].sort()); // too short: ignored
    expect(await ids({}, "100%_")).toEqual([]); // LIKE wildcards are literal

    await claimReferral(db(), actors.reviewer, b.id);
    expect(await ids({ tab: "in_review", assigned: "me" })).toEqual([b.id]);
    expect(await ids({ assigned: "unassigned" })).toEqual([a.id, c.id].sort());
    // A claim lapses after CLAIM_IDLE_MINUTES without activity: unassigned again.
    await db().execute(sql`update referral_requests set claimed_at = now() - interval '1 day' where id = ${b.id}`);
    expect(await ids({ tab: "in_review", assigned: "unassigned" })).toEqual([b.id]);
    const row = (await listQueue(db(), actors.reviewer, view({ agency: orgId, tab: "in_review" }), null)).rows[0]!;
    expect(row.assignee).toMatchObject({ id: actors.reviewer.id, active: false });
  });

  it("counts requests of the view that arrived after the page's snapshot", async () => {
    const orgId = randomUUID();
    await makeReferral({ orgId });
    const page = await listQueue(db(), actors.reviewer, view({ agency: orgId }), null);
    expect(await countNewSince(db(), actors.reviewer, view({ agency: orgId }), null, page.snapshot)).toBe(0);
    await makeReferral({ orgId });
    await makeReferral({ orgId });
    await makeReferral(); // another agency: not in this view
    expect(await countNewSince(db(), actors.reviewer, view({ agency: orgId }), null, page.snapshot)).toBe(2);
  });
});

describe("count deltas", () => {
  it("fold into one row per key without changing any count", async () => {
    const orgId = randomUUID();
    const a = await makeReferral({ orgId, service: "PT" });
    await makeReferral({ orgId, service: "PT" });
    await claimReferral(db(), actors.reviewer, a.id);
    const before = await getTabCounts(db(), actors.reviewer, { agency: orgId });
    const rows = async () =>
      (
        await db().execute<{ n: number }>(
          sql`select count(*)::int as n from referral_status_counts where agency_org_id = ${orgId}`,
        )
      ).rows[0]!.n;
    expect(await rows()).toBeGreaterThan(2);
    await db().execute(sql`select referral_counts_compact()`);
    expect(await rows()).toBe(2); // new: 1, in_review: 1
    expect(await getTabCounts(db(), actors.reviewer, { agency: orgId })).toEqual(before);
  });
});

describe("opening the queue", () => {
  it("is recorded by the read itself: tab and filter names, whether a name search was on, never the term", async () => {
    const orgId = randomUUID();
    const a = await makeReferral({ orgId, service: "PT" });
    const viewer = (await makeActors()).reviewer;
    const seen = await openQueue(db(), viewer, view({ agency: orgId }), "Zz");
    expect(seen.counts.new).toBe(1);
    expect(seen.reviewers).toEqual([]);
    const opened = await openQueue(db(), viewer, view({ agency: orgId }), null);
    expect(opened.page.rows.map((r) => r.id)).toEqual([a.id]);
    const rows = await db().execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_events where action = 'queue.viewed' and actor_id = ${viewer.id} order by id`,
    );
    expect(rows.rows.map((r) => r.details)).toEqual([
      { tab: "new", filters: ["agency"], nameSearch: true },
      { tab: "new", filters: ["agency"], nameSearch: false },
    ]);
    expect(JSON.stringify(rows.rows)).not.toContain("Zz");
    // Supervisors may assign: they get the reviewers too.
    expect((await openQueue(db(), actors.supervisor, view({ agency: orgId }), null)).reviewers.length).toBeGreaterThan(
      0,
    );
  });
});
