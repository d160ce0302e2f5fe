/**
 * E-mail notifications.
 *  - notifications: the outbox. A row is written in the same transaction as the event that
 *    causes it (unique dedupe_key per event and recipient), then sent by a job; with no SMTP
 *    configured it stays here as the local outbox (/admin/outbox);
 *  - notification_preferences: per user and event, on unless switched off.
 */
import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, tstz } from "./columns";
import { referralRequests } from "./referrals";
import { users } from "./users";

/** The events a person can be told of by e-mail (each can be switched off in /preferences). */
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
