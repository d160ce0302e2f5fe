/**
 * Stores one validated referral request. One call is one transaction with its audit record.
 * Idempotent on request_id: the same content again stores nothing; different content under the
 * same request_id is kept as an amendment (a new submission) of the same referral request.
 * Deliveries of one request_id are serialised with a transaction-scoped advisory lock, so
 * concurrent duplicates never create two rows and never fail on a unique violation. A new
 * request_id takes one statement (new-request.ts); a signed delivery records its message id in the
 * same transaction as what it stores (webhook-messages.ts).
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  referralFiles,
  referralRequests,
  referralSubmissions,
  webhookMessages,
  type ReferralStatus,
} from "../../db/schema";
import { recordAudit } from "../audit/record";
import { isDatabaseUnavailable, type Db, type Tx } from "../db";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { checkDuplicates } from "../workflow/duplicates";
import { DECIDED, transitionIn } from "../workflow/transitions";
import { diffSubmissions } from "../form/diff";
import { identityDifferences, identityOf } from "../form/identity";
import { readDelivery, type Delivery, type IngestInput, type IngestResult } from "./delivery";
import { queueDocumentReads } from "./document-jobs";
import { insertNewRequest } from "./new-request";
import { claimWebhookMessage } from "./webhook-messages";

export type { Delivery, IngestInput, IngestResult } from "./delivery";

const log = logger("intake");

/**
 * Stores a delivery the webhook has authenticated and validated: a new request, a redelivery of
 * one already stored (nothing stored) or an amendment (a new submission). Then, once that has
 * committed, checks the request for possible duplicates (lib/workflow/duplicates.ts). A
 * redelivery is checked too: a sender retries a delivery whose answer it never got, which may be
 * one stored just before the process stopped, so its check runs then.
 */
export async function ingestReferralRequest(db: Db, input: IngestInput): Promise<IngestResult> {
  const result = await storeReferralRequest(db, input);
  if (!result.replayed) await checkDuplicatesAfterIntake(db, result.id);
  return result;
}

/**
 * The duplicate check of a stored delivery. The delivery is stored whatever happens here: a
 * database that stopped answering fails the delivery (503, the sender retries and the retry
 * checks again); any other failure is logged by name and the delivery answered.
 */
async function checkDuplicatesAfterIntake(db: Db, id: string): Promise<void> {
  try {
    await checkDuplicates(db, id);
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    log.error(`duplicate check failed: ${errorBrief(err)}`);
  }
}

async function storeReferralRequest(db: Db, input: IngestInput): Promise<IngestResult> {
  const d = readDelivery(input);
  // Unsigned deliveries of a new request_id take one statement; signed ones record their
  // webhook-id in the same transaction as what they store, so they take the locked path.
  if (!d.webhookMessageId) {
    const created = await insertNewRequest(db, d);
    if (created)
      return { outcome: "created", id: created.id, requestId: d.requestId, status: created.status, submission: 1 };
  }
  const message =
    input.webhookMessage && d.apiClientId ? { ...input.webhookMessage, apiClientId: d.apiClientId } : null;
  return db.transaction(async (tx) => {
    if (message) {
      const replay = await claimWebhookMessage(tx, message);
      if (replay) return replay;
    }
    const result = await storeDelivery(tx, d);
    if (message) {
      const answer = {
        outcome: result.outcome,
        id: result.id,
        requestId: result.requestId,
        status: result.status,
        submission: result.submission,
      };
      await tx
        .update(webhookMessages)
        .set({ result: answer })
        .where(and(eq(webhookMessages.apiClientId, message.apiClientId), eq(webhookMessages.messageId, message.id)));
    }
    return result;
  });
}

/** The locked path: serialises deliveries of one request_id, then stores it as new, a redelivery or an amendment. */
async function storeDelivery(tx: Tx, d: Delivery): Promise<IngestResult> {
  // The same statement takes the lock and hashes the content (PostgreSQL's hash of the jsonb).
  const locked = await tx.execute<{ hash: string }>(
    sql`select pg_advisory_xact_lock(hashtextextended(${`referral:${d.requestId}`}, 0)), referral_payload_hash(${JSON.stringify(d.stored)}::jsonb) as hash`,
  );
  const contentHash = locked.rows[0]!.hash;
  const [existing] = await tx
    .select({
      id: referralRequests.id,
      status: referralRequests.status,
      submissionCount: referralRequests.submissionCount,
    })
    .from(referralRequests)
    .where(eq(referralRequests.requestId, d.requestId))
    .limit(1);
  if (!existing) return storeNewRequest(tx, d, contentHash);
  // A referral that continues as a new client (another person, approved as a new ACCloud client)
  // takes the agency's later deliveries under the request_id; every request of the chain counts
  // for the redelivery check.
  const chain = [existing];
  for (;;) {
    const [next] = await tx
      .select({
        id: referralRequests.id,
        status: referralRequests.status,
        submissionCount: referralRequests.submissionCount,
      })
      .from(referralRequests)
      .where(eq(referralRequests.continuesId, chain[chain.length - 1]!.id))
      .limit(1);
    if (!next) break;
    chain.push(next);
  }
  return storeRedeliveryOrAmendment(
    tx,
    d,
    chain[chain.length - 1]!,
    contentHash,
    chain.map((r) => r.id),
  );
}

async function storeNewRequest(tx: Tx, d: Delivery, contentHash: string): Promise<IngestResult> {
  // The submission id is chosen here so the request row is written once (no follow-up UPDATE).
  const submissionId = randomUUID();
  const [row] = await tx
    .insert(referralRequests)
    .values({
      requestId: d.requestId,
      requestIdDerived: d.requestIdDerived,
      latestSubmissionId: submissionId,
      ...d.columns,
      receivedAt: d.receivedAt,
      updatedAt: d.receivedAt,
      slaDueAt: d.slaDueAt,
    })
    .returning({ id: referralRequests.id, status: referralRequests.status });
  if (!row) throw new Error("insert returned nothing");
  const { fileIds } = await insertSubmission(tx, d, {
    referralRequestId: row.id,
    seq: 1,
    contentHash,
    id: submissionId,
  });
  if (fileIds.length) await queueDocumentReads(tx, row.id, fileIds);
  await recordAudit(tx, {
    actor: d.actor,
    action: "referral.received",
    entityType: "referral_request",
    entityId: row.id,
    details: d.receivedDetails,
  });
  return { outcome: "created", id: row.id, requestId: d.requestId, status: row.status, submission: 1 };
}

/**
 * The same content again stores nothing; different content is a new submission, through the
 * "amend" transition. An amendment naming another person than the one the referral's ACCloud
 * client stands for (lib/form/identity.ts) marks the referral "different person".
 */
async function storeRedeliveryOrAmendment(
  tx: Tx,
  d: Delivery,
  existing: { id: string; status: ReferralStatus; submissionCount: number },
  contentHash: string,
  chain: string[] = [existing.id],
): Promise<IngestResult> {
  const [same] = await tx
    .select({ seq: referralSubmissions.seq })
    .from(referralSubmissions)
    .where(and(inArray(referralSubmissions.referralRequestId, chain), eq(referralSubmissions.contentHash, contentHash)))
    .orderBy(sql`${referralSubmissions.referralRequestId} = ${existing.id} desc`)
    .limit(1);
  if (same)
    return {
      outcome: "duplicate",
      id: existing.id,
      requestId: d.requestId,
      status: existing.status,
      submission: same.seq,
    };

  const [previous] = await tx
    .select({ payload: referralSubmissions.payload })
    .from(referralSubmissions)
    .where(eq(referralSubmissions.referralRequestId, existing.id))
    .orderBy(sql`${referralSubmissions.seq} desc`)
    .limit(1);
  const seq = existing.submissionCount + 1;
  const { id: submissionId, fileIds } = await insertSubmission(tx, d, {
    referralRequestId: existing.id,
    seq,
    contentHash,
  });
  // The form changed, and perhaps the files: their reads (or, without files, the check alone) are redone.
  await queueDocumentReads(tx, existing.id, fileIds);
  // An amendment after a decision flags the request for a reviewer (nothing already approved is
  // changed or pushed by it).
  const amended = await transitionIn(tx, d.actor, {
    name: "amend",
    id: existing.id,
    apply: async ({ row }) => {
      const afterDecision = DECIDED.includes(row.status);
      // Compared with the person the ACCloud client stands for (once an approval pinned one), not with the previous submission.
      const [identity] = row.identitySubmissionId
        ? await tx
            .select({ payload: referralSubmissions.payload })
            .from(referralSubmissions)
            .where(eq(referralSubmissions.id, row.identitySubmissionId))
        : [];
      const differentPerson = identity ? identityDifferences(identityOf(identity.payload), identityOf(d.stored)) : [];
      return {
        set: {
          ...d.columns,
          latestSubmissionId: submissionId,
          submissionCount: seq,
          amendedAt: d.receivedAt,
          ...(afterDecision ? { amendedAfterDecisionAt: d.receivedAt } : {}),
          ...(identity
            ? { differentPersonAt: differentPerson.length ? (row.differentPersonAt ?? d.receivedAt) : null }
            : {}),
        },
        audit: {
          action: "referral.amended",
          details: {
            requestId: d.requestId,
            submission: seq,
            statusAtAmendment: row.status,
            afterDecision,
            changed: diffSubmissions(previous?.payload, d.stored).map((c) => c.label),
            ...(differentPerson.length ? { differentPerson } : {}),
            ...(!differentPerson.length && row.differentPersonAt ? { differentPersonCleared: true } : {}),
          },
        },
        message: "",
        data: {},
      };
    },
  });
  if (amended.status !== "success") throw new Error(`amendment refused: ${amended.message}`);
  return { outcome: "amended", id: existing.id, requestId: d.requestId, status: existing.status, submission: seq };
}

async function insertSubmission(
  tx: Tx,
  d: Delivery,
  s: { referralRequestId: string; seq: number; contentHash: string; id?: string },
): Promise<{ id: string; fileIds: string[] }> {
  const [sub] = await tx
    .insert(referralSubmissions)
    .values({
      ...(s.id ? { id: s.id } : {}),
      referralRequestId: s.referralRequestId,
      seq: s.seq,
      contentHash: s.contentHash,
      payload: d.stored,
      apiClientId: d.apiClientId,
      webhookMessageId: d.webhookMessageId,
      receivedAt: d.receivedAt,
    })
    .returning({ id: referralSubmissions.id });
  if (!sub) throw new Error("insert returned nothing");
  if (!d.files.length) return { id: sub.id, fileIds: [] };
  const files = await tx
    .insert(referralFiles)
    .values(
      d.files.map((f) => ({
        referralRequestId: s.referralRequestId,
        submissionId: sub.id,
        idx: f.idx,
        originalName: f.originalName,
        safeName: f.safeName,
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
        data: f.data,
      })),
    )
    .returning({ id: referralFiles.id });
  return { id: sub.id, fileIds: files.map((f) => f.id) };
}
