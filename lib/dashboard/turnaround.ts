/**
 * The turnaround dashboard's figures, from turnaround_deltas (kept by triggers, migration
 * 0011): requests received, decided, sent and cancelled, medians and 90th percentiles of the
 * time to decision and to the first "sent", and SLA compliance, overall, per agency and per
 * week. One query sums the aggregates of the range (a few thousand rows at a million requests)
 * and computes every percentile in SQL from the 5%-wide histogram buckets, interpolating inside
 * the bucket; no request row is read into Node.
 *
 * Each figure belongs to the week it happened in: received in the week of receipt, decided in
 * the week of the decision (its time to decision counted from receipt), sent in the week of the
 * first "sent". SLA compliance is the share of the week's decisions made by the SLA due time
 * (REVIEW_SLA_HOURS after receipt, moved by time spent pending information).
 */
import "server-only";
import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";

export const DASHBOARD_WEEKS = [4, 12, 26, 52] as const;
export type DashboardWeeks = (typeof DASHBOARD_WEEKS)[number];
/** Delta rows above this many per folded row make a read fold them (out of band). */
const COMPACT_RATIO = 3;

export type Durations = { p50: number | null; p90: number | null };
export type Figures = {
  received: number;
  decided: number;
  decidedInSla: number;
  sent: number;
  cancelled: number;
  /** share of decisions made within the SLA, 0–1; null without decisions */
  slaCompliance: number | null;
  /** hours */
  toDecision: Durations;
  /** hours */
  toSent: Durations;
};
export type Dashboard = {
  weeks: string[];
  from: string;
  to: string;
  totals: Figures & { overdueNow: number };
  byWeek: Array<Figures & { week: string }>;
  byAgency: Array<Figures & { orgId: string; name: string }>;
  agencies: Array<{ orgId: string; name: string }>;
};

type Row = {
  dim: "all" | "agency" | "week";
  key: string;
  metric: string;
  total: number;
  p50: number | null;
  p90: number | null;
};

const empty = (): Figures => ({
  received: 0,
  decided: 0,
  decidedInSla: 0,
  sent: 0,
  cancelled: 0,
  slaCompliance: null,
  toDecision: { p50: null, p90: null },
  toSent: { p50: null, p90: null },
});

function fill(f: Figures, r: Row) {
  const hours = (m: number | null) => (m === null ? null : m / 60);
  if (r.metric === "received") f.received = r.total;
  else if (r.metric === "decided") {
    f.decided = r.total;
    f.toDecision = { p50: hours(r.p50), p90: hours(r.p90) };
  } else if (r.metric === "decided_in_sla") f.decidedInSla = r.total;
  else if (r.metric === "sent") {
    f.sent = r.total;
    f.toSent = { p50: hours(r.p50), p90: hours(r.p90) };
  } else if (r.metric === "cancelled") f.cancelled = r.total;
}
const finish = <T extends Figures>(f: T): T => ({ ...f, slaCompliance: f.decided ? f.decidedInSla / f.decided : null });

export async function turnaroundDashboard(
  db: Db,
  actor: Actor,
  opts: { weeks: DashboardWeeks; agency?: string },
): Promise<Dashboard> {
  assertScope(actor, "reports:read");
  const agency = opts.agency ? sql`and agency_org_id = ${opts.agency}` : sql``;
  const res = await db.transaction(async (tx) => {
    // The histogram sums sort a few thousand rows; enough memory keeps them off disk.
    await tx.execute(sql`set local work_mem = '64MB'`);
    return tx.execute<{
      range: { from: string; to: string; weeks: string[] };
      rows: Row[] | null;
      raw: number;
      folded: number;
      overdue: number;
    }>(sql`
      with range as (
        select turnaround_week(now()) - (${opts.weeks}::int - 1) * 7 as from_week, turnaround_week(now()) as to_week
      ),
      d as (
        select week, agency_org_id, metric, bucket, sum(n)::float8 as n, count(*) as raw
        from turnaround_deltas, range
        where week between range.from_week and range.to_week ${agency}
        group by 1, 2, 3, 4
      ),
      g as (
        select case when grouping(agency_org_id) = 0 then 'agency' when grouping(week) = 0 then 'week' else 'all' end as dim,
          coalesce(agency_org_id, week::text, '') as key, metric, bucket, sum(n) as n
        from d where n <> 0
        group by grouping sets ((metric, bucket), (agency_org_id, metric, bucket), (week, metric, bucket))
      ),
      c as (
        select *, sum(n) over (partition by dim, key, metric order by bucket) as cum, sum(n) over (partition by dim, key, metric) as total from g
      ),
      -- Bucket 0 is [0, 1) minute; bucket b is [1.05^(b-1), 1.05^b) minutes: interpolate within it.
      pct as (
        select distinct on (c.dim, c.key, c.metric, q.q) c.dim, c.key, c.metric, q.q,
          lo + (hi - lo) * least(1, greatest(0, (q.q * c.total - (c.cum - c.n)) / c.n)) as minutes
        from c cross join (values (0.5::float8), (0.9::float8)) as q(q)
          cross join lateral (select case when c.bucket = 0 then 0 else power(1.05, c.bucket - 1) end as lo,
                                     case when c.bucket = 0 then 1 else power(1.05, c.bucket) end as hi) b
        where c.metric in ('decided', 'sent') and c.cum >= q.q * c.total
        order by c.dim, c.key, c.metric, q.q, c.bucket
      ),
      t as (
        select c.dim, c.key, c.metric, max(c.total)::float8 as total,
          (select p.minutes from pct p where p.dim = c.dim and p.key = c.key and p.metric = c.metric and p.q = 0.5) as p50,
          (select p.minutes from pct p where p.dim = c.dim and p.key = c.key and p.metric = c.metric and p.q = 0.9) as p90
        from c group by c.dim, c.key, c.metric
      )
      select
        (select json_build_object('from', from_week, 'to', to_week,
                 'weeks', (select json_agg(w::date order by w) from generate_series(from_week, to_week, interval '7 days') w)) from range) as range,
        (select json_agg(t) from t) as rows,
        (select coalesce(sum(raw), 0)::int from d) as raw,
        (select count(*)::int from d) as folded,
        (select count(*)::int from referral_requests where status in ('new', 'in_review') and sla_due_at < now() ${agency}) as overdue`);
  });
  const out = res.rows[0]!;
  if (out.raw > COMPACT_RATIO * out.folded + 1000)
    void db.execute(sql`select turnaround_compact()`).catch(() => undefined);

  const totals = empty();
  const weeks = new Map(out.range.weeks.map((w) => [w, empty()]));
  const agencies = new Map<string, Figures>();
  for (const r of out.rows ?? []) {
    if (r.dim === "all") fill(totals, r);
    else if (r.dim === "week") {
      const f = weeks.get(r.key) ?? empty();
      fill(f, r);
      weeks.set(r.key, f);
    } else {
      const f = agencies.get(r.key) ?? empty();
      fill(f, r);
      agencies.set(r.key, f);
    }
  }
  const names = await db.execute<{ org_id: string; name: string }>(
    sql`select org_id, name from referral_agencies order by name`,
  );
  const nameOf = new Map(names.rows.map((n) => [n.org_id, n.name]));
  return {
    weeks: out.range.weeks,
    from: out.range.from,
    to: out.range.to,
    totals: { ...finish(totals), overdueNow: out.overdue },
    byWeek: out.range.weeks.map((w) => ({ week: w, ...finish(weeks.get(w) ?? empty()) })),
    byAgency: [...agencies.entries()]
      .map(([orgId, f]) => ({ orgId, name: nameOf.get(orgId) ?? orgId, ...finish(f) }))
      .sort((a, b) => b.received - a.received || a.name.localeCompare(b.name)),
    agencies: names.rows.map((n) => ({ orgId: n.org_id, name: n.name })),
  };
}

/** The dashboard as /dashboard shows it; opening it is recorded with the period and agency chosen. */
export async function openDashboard(
  db: Db,
  actor: Actor,
  opts: { weeks: DashboardWeeks; agency?: string },
): Promise<Dashboard> {
  const [dashboard] = await Promise.all([
    turnaroundDashboard(db, actor, opts),
    recordAudit(db, {
      actor,
      action: "dashboard.viewed",
      entityType: "dashboard",
      details: { weeks: opts.weeks, ...(opts.agency ? { agency: opts.agency } : {}) },
    }),
  ]);
  return dashboard;
}
