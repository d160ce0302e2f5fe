import { bigint, date, index, pgTable, smallint, text } from "drizzle-orm/pg-core";

/**
 * The turnaround dashboard's aggregates, kept by statement-level triggers on referral_requests
 * (migration 0011) as insert-only deltas, like the queue's counts: per week (Monday, in the
 * display time zone), agency and metric, a count, and for the two durations a histogram over
 * log-spaced buckets (5% wide), from which the dashboard reads medians and 90th percentiles.
 * So the dashboard sums a few thousand rows whatever the number of requests.
 * Metrics: received, decided (bucket: time to decision), decided_in_sla, sent (bucket: time
 * to the first "sent"), cancelled; each in the week it happened.
 */
export const turnaroundDeltas = pgTable(
  "turnaround_deltas",
  {
    week: date("week", { mode: "string" }).notNull(),
    agencyOrgId: text("agency_org_id").notNull(),
    metric: text("metric").notNull(),
    /** 0 for counts; for durations 0 = under a minute, b ≥ 1 = [1.05^(b-1), 1.05^b) minutes */
    bucket: smallint("bucket").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [index("turnaround_deltas_week").on(t.week, t.agencyOrgId)],
);
