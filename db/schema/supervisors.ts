/**
 * The supervisor's half: settings and second reviews of approvals.
 *  - app_settings: small admin settings (the share of approvals drawn for a second review);
 *  - second_reviews: one row per approval drawn at random when approved; a supervisor's verdict.
 * The e-mail notifications are in ./notifications.ts, the dashboard's aggregates in ./dashboard.ts.
 */
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { referralRowTable } from "./referrals";
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
