/**
 * The notification outbox. `queueNotification` runs INSIDE the transaction of the event that
 * causes it (an assignment, a failed push, a cancel, a disagreement, the overdue check) and
 * writes, per recipient, one notifications row and one pg-boss job through that same
 * transaction: both commit with the event or neither exists. The row's dedupe_key (event,
 * referral, what makes the event unique, recipient) is unique, so a transaction or job that is
 * retried never makes a second message. Sending happens later, in the job (./send.ts): mail
 * never blocks a request.
 *
 * Messages carry a link and the request id only: no client names, birthdays, diagnoses or
 * notes (a supervisor's note may quote the file).
 */
// No "server-only": the push worker (a plain Node process) queues notifications too.
import { sql } from "drizzle-orm";
import type { NotificationEvent } from "../../db/schema";
import type { TxDb } from "../db";
import { getEnv } from "../env";
import { enqueue } from "../jobs/queue";

export type NotificationInput = {
  event: NotificationEvent;
  referralId: string;
  /**
   * What makes this occurrence of the event unique for the referral (a push id and the
   * referral's version, a review id, the SLA due time, an agency message id…). The same key
   * again is the same event: it is not sent twice.
   */
  eventKey: string;
  /** who is told; default: the people who hold or decided the referral, and who sent its latest push */
  userIds?: string[];
};

export const referralLink = (referralId: string) => `${appUrl()}/referrals/${referralId}`;
export function appUrl(): string {
  const env = getEnv();
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** Subject and body of a message: the request id and a link, nothing about the client. */
export function renderMessage(
  event: NotificationEvent,
  ref: { id: string; requestId: string },
): { subject: string; body: string } {
  const short = ref.requestId.slice(0, 8);
  const lines: Record<NotificationEvent, [string, string]> = {
    assigned: [
      `A referral request was assigned to you (request ${short})`,
      "A supervisor assigned a referral request to you.",
    ],
    overdue: [
      `A request you hold is overdue (request ${short})`,
      "A referral request you hold has passed its review SLA.",
    ],
    push_failed: [
      `A push to ACCloud failed (request ${short})`,
      "An approval could not be delivered to ACCloud. The request page shows ACCloud's answer and lets you retry.",
    ],
    agency_cancelled: [
      `The agency cancelled a request (request ${short})`,
      "The agency cancelled a referral request you work on or decided.",
    ],
    review_disagreed: [
      `A second review disagreed with your approval (request ${short})`,
      "A supervisor disagreed with one of your approvals on second review. The note is on the request page.",
    ],
  };
  const [subject, first] = lines[event];
  const body = [
    first,
    "",
    `Request id: ${ref.requestId}`,
    `Open it: ${referralLink(ref.id)}`,
    "",
    "This message carries no client details; sign in to see the request.",
    `Choose which e-mails you get: ${appUrl()}/preferences`,
  ].join("\n");
  return { subject: `[CSI Referral Review] ${subject}`, body };
}

/** The default recipients: the assignee, the decider, the reviewer who approved and who sent the latest push. */
async function defaultRecipients(tx: TxDb, referralId: string): Promise<string[]> {
  const r = await tx.execute<{ id: string }>(sql`
    select r.assignee_id::text as id from referral_requests r where r.id = ${referralId} and r.assignee_id is not null
    union select r.decided_by_id::text from referral_requests r where r.id = ${referralId} and r.decided_by_id is not null
    union (select p.created_by_id::text from pushes p where p.referral_request_id = ${referralId} and p.created_by_id is not null order by p.created_at desc limit 1)`);
  return r.rows.map((x) => x.id);
}

/**
 * Queues the event's messages in the caller's transaction. Recipients who switched the event
 * off, disabled accounts and accounts without an e-mail address get none. Returns the ids of the
 * rows written now (none when the same event was queued before).
 */
export async function queueNotification(tx: TxDb, input: NotificationInput): Promise<string[]> {
  const recipients = [...new Set(input.userIds ?? (await defaultRecipients(tx, input.referralId)))];
  if (!recipients.length) return [];
  const ref = await tx.execute<{ id: string; request_id: string }>(
    sql`select id::text, request_id from referral_requests where id = ${input.referralId}`,
  );
  const referral = ref.rows[0];
  if (!referral) throw new Error("queueNotification: no such referral request");
  const { subject, body } = renderMessage(input.event, { id: referral.id, requestId: referral.request_id });
  const inserted = await tx.execute<{ id: string }>(sql`
    insert into notifications (dedupe_key, event, user_id, referral_request_id, to_address, subject, body)
    select ${input.event} || ':' || ${input.referralId} || ':' || ${input.eventKey} || ':' || u.id::text, ${input.event}::notification_event, u.id, ${input.referralId}::uuid, u.email, ${subject}, ${body}
    from users u
    where u.id = any(${sql.param(recipients)}::uuid[]) and u.disabled_at is null and u.email like '%@%'
      and coalesce((select p.enabled from notification_preferences p where p.user_id = u.id and p.event = ${input.event}::notification_event), true)
    on conflict (dedupe_key) do nothing
    returning id::text`);
  const ids = inserted.rows.map((x) => x.id);
  if (ids.length) {
    for (const id of ids) await enqueue(tx, "notify", { notificationId: id });
  }
  return ids;
}
