/**
 * The dashboard's trigger-kept aggregates against an exact computation over the same requests:
 * counts equal, medians and 90th percentiles within the histogram's 5% of the exact ones (the
 * value at that rank, percentile_disc), every change of a
 * request (decision, reopen, send, cancel, a multi-row update) followed.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import { makeActors, makeReferral, actorsForFile } from "../../test/support/referrals";
import { openDashboard, turnaroundDashboard } from "./turnaround";

const db = () => getDb();
const actors = actorsForFile();

/** Exact figures over the agency's requests, the dashboard's way (each in the week it happened, last 12 weeks). */
async function exact(orgId: string) {
  const r = await db().execute<{
    received: number;
    decided: number;
    in_sla: number;
    sent: number;
    cancelled: number;
    d50: number;
    d90: number;
    s50: number;
    s90: number;
  }>(sql`
    with r as (select * from referral_requests where agency_org_id = ${orgId}), w as (select turnaround_week(now()) - 77 as from_week)
    select
      (select count(*)::int from r, w where turnaround_week(received_at) >= from_week) as received,
      (select count(*)::int from r, w where decided_at is not null and turnaround_week(decided_at) >= from_week) as decided,
      (select count(*)::int from r, w where decided_at <= sla_due_at and turnaround_week(decided_at) >= from_week) as in_sla,
      (select count(*)::int from r, w where sent_at is not null and turnaround_week(sent_at) >= from_week) as sent,
      (select count(*)::int from r, w where cancelled_at is not null and turnaround_week(cancelled_at) >= from_week) as cancelled,
      (select percentile_disc(0.5) within group (order by extract(epoch from decided_at - received_at) / 3600) from r, w where decided_at is not null and turnaround_week(decided_at) >= from_week) as d50,
      (select percentile_disc(0.9) within group (order by extract(epoch from decided_at - received_at) / 3600) from r, w where decided_at is not null and turnaround_week(decided_at) >= from_week) as d90,
      (select percentile_disc(0.5) within group (order by extract(epoch from sent_at - received_at) / 3600) from r, w where sent_at is not null and turnaround_week(sent_at) >= from_week) as s50,
      (select percentile_disc(0.9) within group (order by extract(epoch from sent_at - received_at) / 3600) from r, w where sent_at is not null and turnaround_week(sent_at) >= from_week) as s90`);
  return r.rows[0]!;
}

const within5 = (got: number | null, want: number) => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want) / want).toBeLessThanOrEqual(0.05);
};

describe("turnaround dashboard", () => {
  it("counts exactly and reads percentiles within 5% of the exact ones, overall, per week and per agency", async () => {
    const orgId = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(
        (
          await makeReferral({
            orgId,
            agencyName: "Gem City Home Care",
            receivedAt: new Date(Date.now() - (3 + (i % 40)) * 86_400_000),
          })
        ).id,
      );
    // Decisions after 1 to ~300 hours, sends a little later, some cancels: one multi-row update, as a batch would.
    await db().execute(sql`
      update referral_requests r set
        status = case when x.n % 7 = 0 then 'cancelled'::referral_status when x.n % 3 = 0 then 'sent' when x.n % 5 = 0 then 'in_review' else 'rejected' end,
        decided_at = case when x.n % 7 <> 0 and x.n % 5 <> 0 then least(now(), r.received_at + make_interval(hours => (1 + (x.n * x.n) % 300)::int, mins => x.n::int)) end
      from (select id, row_number() over (order by id) as n from referral_requests where agency_org_id = ${orgId}) x
      where x.id = r.id`);
    await db().execute(
      sql`update referral_requests set sent_at = least(now(), decided_at + interval '2 hours') where agency_org_id = ${orgId} and status = 'sent'`,
    );

    const dash = await turnaroundDashboard(db(), actors.supervisor, { weeks: 12, agency: orgId });
    const want = await exact(orgId);
    const t = dash.totals;
    expect([t.received, t.decided, t.decidedInSla, t.sent, t.cancelled]).toEqual([
      want.received,
      want.decided,
      want.in_sla,
      want.sent,
      want.cancelled,
    ]);
    expect(t.received).toBe(60);
    expect(t.cancelled).toBeGreaterThan(0);
    within5(t.toDecision.p50, want.d50);
    within5(t.toDecision.p90, want.d90);
    within5(t.toSent.p50, want.s50);
    within5(t.toSent.p90, want.s90);
    expect(t.slaCompliance).toBeCloseTo(want.in_sla / want.decided, 10);
    expect(dash.weeks).toHaveLength(12);
    expect(dash.byWeek.reduce((s, w) => s + w.received, 0)).toBe(60);
    expect(dash.byWeek.reduce((s, w) => s + w.decided, 0)).toBe(want.decided);
    expect(dash.byAgency).toEqual([
      expect.objectContaining({ orgId, name: "Gem City Home Care", received: 60, decided: want.decided }),
    ]);

    // A reopen takes the decision back; the figures follow.
    const decided = (
      await db().execute<{ id: string }>(
        sql`select id from referral_requests where agency_org_id = ${orgId} and status = 'rejected' limit 3`,
      )
    ).rows;
    await db().execute(
      sql`update referral_requests set status = 'in_review', decided_at = null where id = any(${sql.param(decided.map((d) => d.id))}::uuid[])`,
    );
    const after = await turnaroundDashboard(db(), actors.supervisor, { weeks: 12, agency: orgId });
    expect(after.totals.decided).toBe(want.decided - 3);
    expect(after.totals.decided).toBe((await exact(orgId)).decided);

    // Folding the deltas changes nothing.
    await db().execute(sql`select turnaround_compact()`);
    const folded = await turnaroundDashboard(db(), actors.supervisor, { weeks: 12, agency: orgId });
    expect(folded.totals).toEqual(after.totals);
    expect(folded.byWeek).toEqual(after.byWeek);
  });

  it("a sent request keeps its first send; cancelling and leaving cancelled is followed", async () => {
    const orgId = randomUUID();
    const { id } = await makeReferral({ orgId });
    await db().execute(sql`update referral_requests set status = 'approved', decided_at = now() where id = ${id}`);
    await db().execute(sql`update referral_requests set status = 'sent' where id = ${id}`);
    const first = (
      await db().execute<{ sent_at: string }>(sql`select sent_at::text from referral_requests where id = ${id}`)
    ).rows[0]!.sent_at;
    expect(first).not.toBeNull();
    await db().execute(sql`update referral_requests set status = 'pushing' where id = ${id}`);
    await db().execute(sql`update referral_requests set status = 'sent' where id = ${id}`);
    expect(
      (await db().execute<{ sent_at: string }>(sql`select sent_at::text from referral_requests where id = ${id}`))
        .rows[0]!.sent_at,
    ).toBe(first);
    await db().execute(sql`update referral_requests set status = 'cancelled' where id = ${id}`);
    let d = await turnaroundDashboard(db(), actors.admin, { weeks: 4, agency: orgId });
    expect([d.totals.received, d.totals.decided, d.totals.sent, d.totals.cancelled]).toEqual([1, 1, 1, 1]);
    await db().execute(sql`update referral_requests set status = 'sent' where id = ${id}`);
    d = await turnaroundDashboard(db(), actors.admin, { weeks: 4, agency: orgId });
    expect(d.totals.cancelled).toBe(0);
  });

  it("is for reports:read only", async () => {
    await expect(turnaroundDashboard(db(), actors.reviewer, { weeks: 4 })).rejects.toThrow(/reports:read/);
  });
});

describe("opening the dashboard", () => {
  it("is recorded by the read, with the period and agency chosen", async () => {
    const orgId = randomUUID();
    const viewer = (await makeActors()).supervisor;
    await openDashboard(db(), viewer, { weeks: 4, agency: orgId });
    const rows = await db().execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_events where action = 'dashboard.viewed' and actor_id = ${viewer.id}`,
    );
    expect(rows.rows.map((r) => r.details)).toEqual([{ weeks: 4, agency: orgId }]);
    await expect(openDashboard(db(), actors.reviewer, { weeks: 4 })).rejects.toThrow(/reports:read/);
  });
});
