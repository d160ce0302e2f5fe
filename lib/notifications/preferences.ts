/** Per-user e-mail preferences (on unless switched off) and the admins' view of the outbox. */
import { desc, eq, sql } from "drizzle-orm";
import { notificationPreferences, notifications, type NotificationEvent } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { NOTIFICATION_EVENT_KEYS } from "./events";

export type Preferences = Record<NotificationEvent, boolean>;

export async function getNotificationPreferences(db: Db, actor: Actor): Promise<Preferences> {
  const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, actor.id));
  const out = Object.fromEntries(NOTIFICATION_EVENT_KEYS.map((k) => [k, true])) as Preferences;
  for (const r of rows) out[r.event] = r.enabled;
  return out;
}

/** One's own preferences; each change is audited. Returns how many changed. */
export async function setNotificationPreferences(db: Db, actor: Actor, input: Partial<Preferences>): Promise<number> {
  return db.transaction(async (tx) => {
    const current = await getNotificationPreferences(tx as unknown as Db, actor);
    let changed = 0;
    for (const event of NOTIFICATION_EVENT_KEYS) {
      const enabled = input[event];
      if (enabled === undefined || enabled === current[event]) continue;
      await tx
        .insert(notificationPreferences)
        .values({ userId: actor.id, event, enabled })
        .onConflictDoUpdate({
          target: [notificationPreferences.userId, notificationPreferences.event],
          set: { enabled, updatedAt: sql`now()` },
        });
      await recordAudit(tx, {
        actor: actor,
        action: "notification.preference_changed",
        entityType: "user",
        entityId: actor.id,
        details: { event, enabled },
      });
      changed++;
    }
    return changed;
  });
}

export type OutboxRow = {
  id: string;
  createdAt: string;
  event: NotificationEvent;
  to: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  lastError: string | null;
  transport: string | null;
  sentAt: string | null;
  referralId: string | null;
};

export const OUTBOX_PAGE_SIZE = 50;

/** Every message, newest first, keyset by (created_at, id). */
export async function listOutbox(
  db: Db,
  actor: Actor,
  opts: { before?: string },
): Promise<{ rows: OutboxRow[]; olderCursor: string | null }> {
  assertScope(actor, "admin:settings");
  // The cursor row's own (created_at, id), read in SQL: microseconds intact.
  const rows = await db
    .select()
    .from(notifications)
    .where(
      opts.before
        ? sql`(${notifications.createdAt}, ${notifications.id}) < (select c.created_at, c.id from notifications c where c.id = ${opts.before})`
        : undefined,
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(OUTBOX_PAGE_SIZE + 1);
  const page = rows.slice(0, OUTBOX_PAGE_SIZE);
  return {
    rows: page.map((n) => ({
      id: n.id,
      createdAt: n.createdAt.toISOString(),
      event: n.event,
      to: n.toAddress,
      subject: n.subject,
      body: n.body,
      status: n.status,
      attempts: n.attempts,
      lastError: n.lastError,
      transport: n.transport,
      sentAt: n.sentAt?.toISOString() ?? null,
      referralId: n.referralRequestId,
    })),
    olderCursor: rows.length > OUTBOX_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
  };
}
