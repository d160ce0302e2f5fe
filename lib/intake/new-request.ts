/**
 * The fast path of intake: a request_id not seen before, stored by one statement.
 */
import { randomUUID } from "node:crypto";
import type { ReferralStatus } from "../../db/schema";
import { actorId, actorLabel } from "../access/actors";
import type { Db } from "../db";
import { getEnv } from "../env";
import { getSenderBoss } from "../jobs/queue";
import type { Delivery } from "./delivery";
import { documentReadJobsCte } from "./document-jobs";

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
  // The job queue's tables exist once this process's sender has started (it makes a new schema's); then at once.
  if (v.files.length) await getSenderBoss();
  const schema = getEnv().JOB_QUEUE_SCHEMA;
  const res = await db.$client.query<{ id: string; status: ReferralStatus }>({
    // Named (kept per connection) for the usual few files; an unusual count runs unnamed.
    name: v.files.length <= NAMED_UP_TO_FILES ? `intake-insert-new-request-${v.files.length}-${schema}` : undefined,
    text: insertNewRequestSql(v.files.length, schema),
    values: [JSON.stringify(doc), ...v.files.map((f) => f.data)],
  });
  return res.rows[0] ?? null;
}

const NAMED_UP_TO_FILES = 8;
const insertSqlByFileCount = new Map<string, string>();
function insertNewRequestSql(fileCount: number, schema: string): string {
  const key = `${schema}:${fileCount}`;
  let text = insertSqlByFileCount.get(key);
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
         join unnest(array[${fileParams}]::bytea[]) with ordinality as b(data, n) on b.n = x.n
       returning id, referral_request_id),${fileCount ? documentReadJobsCte(schema) : ""}
     audit as (
       insert into audit_events (actor_type, actor_id, actor_label, action, entity_type, entity_id, details)
       select d.actor_type, d.actor_id, d.actor_label, 'referral.received', 'referral_request', req.id::text, d.audit from req, d)
     select id, status from req`;
  if (fileCount <= NAMED_UP_TO_FILES) insertSqlByFileCount.set(key, text);
  return text;
}
