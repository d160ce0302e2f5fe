/**
 * One delivery, read: the payload as stored (file bytes replaced by their digest), its request_id
 * (derived when the sender gave none) and the queue's columns read through the label mapping.
 */
import { createHash } from "node:crypto";
import type { ReferralStatus, WebhookMessageResult } from "../../db/schema";
import type { ApiClientActor, SystemActor } from "../access/actors";
import { getEnv } from "../env";
import { dateOf, indexFields, textOf } from "../form/mapping";
import { canonical } from "../json/canonical";
import type { DecodedFile } from "./files";
import type { TReferralRequest } from "./schema";

/** Who delivers a request: the webhook's API client, or the system (demo data, tests). */
export type Actor = ApiClientActor | SystemActor;

/** What a delivery answers: what a signed message keeps of it (webhook_messages.result), and more. */
export type IngestResult = Omit<WebhookMessageResult, "status"> & {
  status: ReferralStatus;
  /** a sender's retry of a signed message already stored: the original answer, nothing stored */
  replayed?: boolean;
};

/** A signed delivery's Standard Webhooks message: its id and the sha256 of its raw body. */
export type WebhookMessage = { id: string; bodySha256: string };

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
