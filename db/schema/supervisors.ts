/**
 * The supervisor's half: settings, second reviews of approvals, and e-mail notifications.
 *  - app_settings: small admin settings (the share of approvals drawn for a second review);
 *  - second_reviews: one row per approval drawn at random when approved; a supervisor's verdict;
 *  - notifications: the outbox. A row is written in the same transaction as the event that
 *    causes it (unique dedupe_key per event and recipient), then sent by a job; with no SMTP
 *    configured it stays here as the local outbox (/admin/outbox);
 *  - notification_preferences: per user and event, on unless switched off.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, tstz } from "./columns";
import { referralRequests, referralRowTable } from "./referrals";
import { users } from "./users";
import { approvalRevisions } from "./push";

export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
  updatedById: uuid("updated_by_id").references(() => users.id),
});

export const secondReviewVerdict = pgEnum("second_review_verdict", ["agree", "disagree"]);

export const secondReviews = referralRowTable(
  "second_reviews",
  {
    /** the approval drawn; one draw per approval */
    approvalRevisionId: uuid("approval_revision_id")
      .notNull()
      .references(() => approvalRevisions.id),
    /** the reviewer who approved: a disagreement reaches them */
    approvedById: uuid("approved_by_id").references(() => users.id),
    sampledAt: tstz("sampled_at").notNull().defaultNow(),
    /** the share (percent) in force when the approval was drawn */
    samplePercent: integer("sample_percent").notNull(),
    /** null while it waits for a supervisor */
    verdict: secondReviewVerdict("verdict"),
    note: text("note"),
    reviewedById: uuid("reviewed_by_id").references(() => users.id),
    reviewedAt: tstz("reviewed_at"),
    /** the approving reviewer has read the disagreement */
    acknowledgedAt: tstz("acknowledged_at"),
  },
  (t) => [
    uniqueIndex("second_reviews_revision").on(t.approvalRevisionId),
    index("second_reviews_request").on(t.referralRequestId),
    index("second_reviews_pending")
      .on(t.sampledAt)
      .where(sql`verdict is null`),
    index("second_reviews_disagreed")
      .on(t.approvedById, t.reviewedAt)
      .where(sql`verdict = 'disagree'`),
  ],
);
export type SecondReview = typeof secondReviews.$inferSelect;

export const notificationEvent = pgEnum("notification_event", [
  "assigned",
  "overdue",
  "push_failed",
  "agency_cancelled",
  "review_disagreed",
]);
export type NotificationEvent = (typeof notificationEvent.enumValues)[number];
/** queued → sent (SMTP accepted it) or outbox (no SMTP: kept here); failed after the last retry */
export const notificationStatus = pgEnum("notification_status", ["queued", "sent", "outbox", "failed"]);

export const notifications = pgTable(
  "notifications",
  {
    id: idColumn(),
    /** one per event and recipient: a retried transaction or job never writes a second */
    dedupeKey: text("dedupe_key").notNull(),
    event: notificationEvent("event").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    referralRequestId: uuid("referral_request_id").references(() => referralRequests.id),
    toAddress: text("to_address").notNull(),
    /** rendered when queued, never with PHI: a link and the request id */
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    status: notificationStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** "smtp" or "outbox" */
    transport: text("transport"),
    /** the Message-ID sent (stable per notification, so a resend is recognisable) */
    messageId: text("message_id"),
    createdAt: createdAtColumn(),
    sentAt: tstz("sent_at"),
  },
  (t) => [
    uniqueIndex("notifications_dedupe").on(t.dedupeKey),
    index("notifications_created").on(t.createdAt, t.id),
    index("notifications_user").on(t.userId, t.createdAt),
  ],
);
export type Notification = typeof notifications.$inferSelect;

export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    event: notificationEvent("event").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.event] })],
);

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
