/**
 * Signed deliveries' message ids (Standard Webhooks' webhook-id): a sender's retry of a message
 * already stored gets its original answer, another body under a used id a 409.
 */
import { and, eq, sql } from "drizzle-orm";
import { webhookMessages, type ReferralStatus } from "../../db/schema";
import type { Tx, TxDb } from "../db";
import { ApiError } from "../errors";
import type { IngestResult, WebhookMessage } from "./delivery";

const replayRefused = () =>
  new ApiError(
    "conflict",
    "This webhook-id was already accepted with a different body; a message id names one message",
    [{ path: "headers.webhook-id", message: "already used for another body" }],
  );

/**
 * A message id this client already used: its original answer when the body is the same (a
 * sender's retry), a 409 when it is not. null when the id is new (or still being stored by a
 * concurrent delivery, which the insert in claimWebhookMessage then waits for).
 */
export async function replayOfWebhookMessage(
  db: TxDb,
  apiClientId: string,
  message: WebhookMessage,
): Promise<IngestResult | null> {
  const [seen] = await db
    .select({ bodySha256: webhookMessages.bodySha256, result: webhookMessages.result })
    .from(webhookMessages)
    .where(and(eq(webhookMessages.apiClientId, apiClientId), eq(webhookMessages.messageId, message.id)))
    .limit(1);
  if (!seen) return null;
  if (!seen.result || seen.bodySha256 !== message.bodySha256) throw replayRefused();
  return { ...seen.result, status: seen.result.status as ReferralStatus, replayed: true };
}

/** Deletes message ids older than the retention; returns how many went. */
export async function pruneWebhookMessages(db: TxDb, retentionHours: number): Promise<number> {
  const gone = await db
    .delete(webhookMessages)
    .where(sql`${webhookMessages.receivedAt} < now() - make_interval(hours => ${retentionHours})`)
    .returning({ id: webhookMessages.messageId });
  return gone.length;
}

/**
 * Records a signed message's id. A sender's retry of a message already stored gets its original
 * answer; a concurrent delivery of the same id waits on the insert until the first commits or
 * rolls back. null: the id is new, store the delivery.
 */
export async function claimWebhookMessage(
  tx: Tx,
  message: WebhookMessage & { apiClientId: string },
): Promise<IngestResult | null> {
  const inserted = await tx
    .insert(webhookMessages)
    .values({ apiClientId: message.apiClientId, messageId: message.id, bodySha256: message.bodySha256 })
    .onConflictDoNothing()
    .returning({ messageId: webhookMessages.messageId });
  if (inserted.length > 0) return null;
  const replay = await replayOfWebhookMessage(tx, message.apiClientId, message);
  if (replay) return replay;
  throw replayRefused();
}
