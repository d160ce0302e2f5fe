/**
 * Stores one validated referral request. One call is one transaction with its audit record.
 * Idempotent on request_id: the same content again stores nothing; different content under the
 * same request_id is kept as an amendment (a new submission) of the same referral request.
 * Deliveries of one request_id are serialised with a transaction-scoped advisory lock, so
 * concurrent duplicates never create two rows and never fail on a unique violation.
 */
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  referralFiles,
  referralRequests,
  referralSubmissions,
  webhookMessages,
  type ReferralStatus,
} from "../../db/schema";
import { recordAudit } from "../audit/record";
import { actorId, actorLabel, type ApiClientActor, type SystemActor } from "../access/actors";

/** Who delivers a request: the webhook's API client, or the system (demo data, tests). */
type Actor = ApiClientActor | SystemActor;
import { type Db, type Tx, type TxDb } from "../db";
import { getEnv } from "../env";
import { ApiError } from "../errors";
import { dateOf, indexFields, textOf } from "../form/mapping";
import type { DecodedFile } from "./files";
import type { TReferralRequest } from "./schema";
import { DECIDED, transitionIn } from "../workflow/transitions";
import { diffSubmissions } from "../form/diff";
import { identityDifferences, identityOf } from "../form/identity";
import { canonical } from "../json/canonical";

export type IngestResult = {
  outcome: "created" | "duplicate" | "amended";
  id: string;
  requestId: string;
  status: ReferralStatus;
  submission: number;
  /** a sender's retry of a signed message already stored: the original answer, nothing stored */
  replayed?: boolean;
};

/** A signed delivery's Standard Webhooks message: its id and the sha256 of its raw body. */
export type WebhookMessage = { id: string; bodySha256: string };

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

export const sha256Hex = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/**
 * A payload without request_id gets a stable id derived from who sent what form when:
 * agency org, agency client id, form schema and submission time. A redelivery derives the
 * same id (idempotent); the id is a UUID (version-5 layout) so it fits ACCloud's service_id.
 */
export function deriveRequestId(p: TReferralRequest, contentHash: string): string {
  const fd = p.form_data;
  const basis = fd.created_at
    ? [p.agency.alayamarket_org_id, p.client.id, fd.form_schema_id ?? fd.form_id ?? "", fd.created_at].join("|")
    : `content|${contentHash}`;
  const h = createHash("sha256").update(`csi-referral-request|${basis}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Queue columns are copies for sorting and searching; the payload keeps every value whole.
 * Indexed text is cut to a length a btree entry always holds (PostgreSQL refuses an index row
 * over about 2.7 kB, which would refuse the referral on every retry).
 */
export const QUEUE_TEXT_MAX_CHARS = 200;
const indexable = (text: string) => (text.length > QUEUE_TEXT_MAX_CHARS ? text.slice(0, QUEUE_TEXT_MAX_CHARS) : text);
/** A date PostgreSQL's date type takes: year 0000 is valid ISO 8601 but not a PostgreSQL date. */
const storableDate = (d: string | null | undefined) => (d && !d.startsWith("0000-") ? d : null);

/** The queue's columns, read from the payload through the label mapping. */
export function queueColumns(p: TReferralRequest) {
  const fd = p.form_data;
  const byKey = indexFields(fd.fields, fd.form_schema_id);
  const service = textOf(byKey.serviceRequested?.field_value);
  return {
    agencyName: p.agency.name,
    agencyHost: p.agency.host,
    agencyBranchId: p.agency.branch_id,
    agencyOrgId: p.agency.alayamarket_org_id.toLowerCase(),
    agencyTimezone: p.agency.timezone,
    clientExternalId: p.client.id,
    clientFirstName: indexable(p.client.first_name),
    clientLastName: indexable(p.client.last_name),
    clientBirthday: storableDate(p.client.birthday ?? dateOf(byKey.clientBirthday?.field_value)),
    clientTimezone: p.client.timezone,
    formSchemaId: fd.form_schema_id ?? null,
    formId: fd.form_id ?? null,
    formName: fd.form_name ?? null,
    serviceRequested: service === null ? null : indexable(service),
    serviceStart: storableDate(dateOf(byKey.serviceStart?.field_value)),
    serviceEnd: storableDate(dateOf(byKey.serviceEnd?.field_value)),
  };
}

/** The payload as received, file bytes replaced by their digest (the bytes live in referral_files). */
function storedPayload(p: TReferralRequest, files: DecodedFile[]): TReferralRequest {
  if (!p.files) return p;
  // A file sent without bytes stores none and keeps its (empty) value.
  const digests = new Map(files.map((f) => [f.idx, f.sha256]));
  return {
    ...p,
    files: p.files.map((f, i) => (digests.has(i) ? { ...f, file_value: `sha256:${digests.get(i)}` } : f)),
  };
}

/**
 * A request_id not seen before (the common case) is stored by ONE statement: the request, its
 * first submission, its files and the audit record, in a single atomic INSERT ... RETURNING chain
 * (ON CONFLICT on request_id makes a concurrent duplicate insert nothing). null = the request_id
 * exists: the caller takes the locked path (redelivery or amendment).
 *
 * Everything but the file bytes travels as ONE JSON document (the payload nested in it) that
 * PostgreSQL unpacks with jsonb_to_record: one serialisation in Node instead of thirty-odd
 * positional parameters. File bytes are binary parameters ($2, $3, ...: no encoding, no escaping,
 * which for a 50 MB scan was a fifth of a second of blocked event loop). A named statement per
 * file count is parsed and planned once per pooled connection.
 */
export async function insertNewRequest(db: Db, v: Delivery): Promise<{ id: string; status: ReferralStatus } | null> {
  const c = v.columns;
  const doc = {
    request_id: v.requestId,
    request_id_derived: v.requestIdDerived,
    agency_name: c.agencyName,
    agency_host: c.agencyHost,
    agency_branch_id: c.agencyBranchId,
    agency_org_id: c.agencyOrgId,
    agency_timezone: c.agencyTimezone,
    client_external_id: c.clientExternalId,
    client_first_name: c.clientFirstName,
    client_last_name: c.clientLastName,
    client_birthday: c.clientBirthday,
    client_timezone: c.clientTimezone,
    form_schema_id: c.formSchemaId,
    form_id: c.formId,
    form_name: c.formName,
    service_requested: c.serviceRequested,
    service_start: c.serviceStart,
    service_end: c.serviceEnd,
    received_at: v.receivedAt.toISOString(),
    sla_due_at: v.slaDueAt.toISOString(),
    submission_id: randomUUID(),
    api_client_id: v.apiClientId,
    payload: v.stored,
    files: v.files.map((f, i) => ({
      n: i + 1,
      idx: f.idx,
      original_name: f.originalName,
      safe_name: f.safeName,
      content_type: f.contentType,
      size: f.size,
      sha256: f.sha256,
    })),
    actor_type: v.actor.type,
    actor_id: actorId(v.actor),
    actor_label: actorLabel(v.actor),
    audit: v.receivedDetails,
  };
  const res = await db.$client.query<{ id: string; status: ReferralStatus }>({
    // Named (kept per connection) for the usual few files; an unusual count runs unnamed.
    name: v.files.length <= NAMED_UP_TO_FILES ? `intake-insert-new-request-${v.files.length}` : undefined,
    text: insertNewRequestSql(v.files.length),
    values: [JSON.stringify(doc), ...v.files.map((f) => f.data)],
  });
  return res.rows[0] ?? null;
}

const NAMED_UP_TO_FILES = 8;
const insertSqlByFileCount = new Map<number, string>();
function insertNewRequestSql(fileCount: number): string {
  let text = insertSqlByFileCount.get(fileCount);
  if (text) return text;
  const fileParams = Array.from({ length: fileCount }, (_, i) => `$${i + 2}`).join(", ");
  text = `with d as (
       select * from jsonb_to_record($1::jsonb) as d(request_id text, request_id_derived boolean, agency_name text, agency_host text,
         agency_branch_id integer, agency_org_id text, agency_timezone text, client_external_id integer, client_first_name text,
         client_last_name text, client_birthday date, client_timezone text, form_schema_id text, form_id integer, form_name text,
         service_requested text, service_start date, service_end date, received_at timestamptz, sla_due_at timestamptz,
         submission_id uuid, api_client_id uuid, payload jsonb, files jsonb, actor_type actor_type, actor_id text, actor_label text, audit jsonb)),
     req as (
       insert into referral_requests (request_id, request_id_derived, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
         client_external_id, client_first_name, client_last_name, client_birthday, client_timezone, form_schema_id, form_id, form_name,
         service_requested, service_start, service_end, received_at, updated_at, latest_submission_id, sla_due_at)
       select request_id, request_id_derived, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
         client_external_id, client_first_name, client_last_name, client_birthday, client_timezone, form_schema_id, form_id, form_name,
         service_requested, service_start, service_end, received_at, received_at, submission_id, sla_due_at
       from d
       on conflict (request_id) do nothing
       returning id, status),
     sub as (
       insert into referral_submissions (id, referral_request_id, seq, content_hash, payload, api_client_id, received_at)
       select d.submission_id, req.id, 1, referral_payload_hash(d.payload), d.payload, d.api_client_id, d.received_at from req, d
       returning id),
     files as (
       insert into referral_files (referral_request_id, submission_id, idx, original_name, safe_name, content_type, size, sha256, data)
       select req.id, sub.id, x.idx, x.original_name, x.safe_name, x.content_type, x.size, x.sha256, b.data
       from req, sub, d, jsonb_to_recordset(d.files) as x(n integer, idx integer, original_name text, safe_name text, content_type text, size integer, sha256 text)
         join unnest(array[${fileParams}]::bytea[]) with ordinality as b(data, n) on b.n = x.n),
     audit as (
       insert into audit_events (actor_type, actor_id, actor_label, action, entity_type, entity_id, details)
       select d.actor_type, d.actor_id, d.actor_label, 'referral.received', 'referral_request', req.id::text, d.audit from req, d)
     select id, status from req`;
  if (fileCount <= NAMED_UP_TO_FILES) insertSqlByFileCount.set(fileCount, text);
  return text;
}

/** One delivery, read: what is stored and under which request_id. */
export type Delivery = {
  payload: TReferralRequest;
  files: DecodedFile[];
  actor: Actor;
  apiClientId: string | null;
  webhookMessageId: string | null;
  /** the payload as stored (file bytes replaced by their digest) */
  stored: TReferralRequest;
  requestId: string;
  requestIdDerived: boolean;
  receivedAt: Date;
  slaDueAt: Date;
  columns: ReturnType<typeof queueColumns>;
  receivedDetails: Record<string, unknown>;
};

export type IngestInput = {
  payload: TReferralRequest;
  files: DecodedFile[];
  actor: Actor;
  apiClientId?: string | null;
  webhookMessage?: WebhookMessage | null;
  receivedAt?: Date;
};

/**
 * Stores a delivery the webhook has authenticated and validated: a new request, a redelivery of
 * one already stored (nothing stored) or an amendment (a new submission).
 */
export async function ingestReferralRequest(db: Db, input: IngestInput): Promise<IngestResult> {
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

/** Reads a delivery: its stored form, its request_id (derived when the sender gave none) and queue columns. */
export function readDelivery(input: IngestInput): Delivery {
  const { payload, files } = input;
  const stored = storedPayload(payload, files);
  const requestIdDerived = !payload.request_id;
  const requestId = payload.request_id ?? deriveRequestId(payload, sha256Hex(canonical(stored)));
  const receivedAt = input.receivedAt ?? new Date();
  return {
    payload,
    files,
    actor: input.actor,
    apiClientId: input.apiClientId ?? null,
    webhookMessageId: input.webhookMessage?.id ?? null,
    stored,
    requestId,
    requestIdDerived,
    receivedAt,
    slaDueAt: new Date(receivedAt.getTime() + getEnv().REVIEW_SLA_HOURS * 3_600_000),
    columns: queueColumns(payload),
    receivedDetails: { requestId, requestIdDerived, files: files.length, fields: payload.form_data.fields.length },
  };
}

/**
 * Records a signed message's id. A sender's retry of a message already stored gets its original
 * answer; a concurrent delivery of the same id waits on the insert until the first commits or
 * rolls back. null: the id is new, store the delivery.
 */
async function claimWebhookMessage(
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
  await insertSubmission(tx, d, { referralRequestId: row.id, seq: 1, contentHash, id: submissionId });
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
  const submissionId = await insertSubmission(tx, d, { referralRequestId: existing.id, seq, contentHash });
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
): Promise<string> {
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
  if (d.files.length) {
    await tx.insert(referralFiles).values(
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
    );
  }
  return sub.id;
}
