/**
 * What the specs read from and write to the run's database, by name. The specs check the app's
 * outcome against the rows it stored, and set up the few states the UI cannot reach quickly
 * (an aged session, a page of rows in one millisecond, a payload stored before a limit).
 */
import pg from "pg";
import { readRunFile } from "./run-data";
import { REFERENCE_REQUEST_ID } from "./webhook";

let pool: pg.Pool | undefined;
/** The launcher's embedded PostgreSQL, as its owner (the app's own role cannot age sessions). */
function getPool(): pg.Pool {
  pool ??= new pg.Pool({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${readRunFile("owner.json").port}/app`,
    max: 2,
    idleTimeoutMillis: 1000,
    allowExitOnIdle: true,
  });
  return pool;
}

async function queryRows<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query<T>(text, params)).rows;
}

/** The first row, or undefined: a caller that needs a row says so with its expectation. */
async function queryFirst<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await queryRows<T>(text, params))[0];
}

/** The first row of a query that always returns one (a lookup of seeded data, an aggregate). */
async function queryOne<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T> {
  const row = await queryFirst<T>(text, params);
  if (!row) throw new Error(`no row: ${text.replace(/\s+/g, " ").slice(0, 80)}`);
  return row;
}

/** The one value of a query that always returns one row of one column (an id, a count, an aggregate). */
async function queryValue<T>(text: string, params: unknown[] = []): Promise<T> {
  return Object.values(await queryOne<Record<string, T>>(text, params))[0]!;
}

// ——— Referral requests ———

/** The seeded reference request's id. */
export const readReferenceReferralId = async () =>
  queryValue<string>("select id from referral_requests where request_id = $1", [REFERENCE_REQUEST_ID]);

/** A new, unassigned demo request other than the reference one (tests that change state use these). */
export async function takeNewReferral(): Promise<{ id: string; client: string }> {
  return queryOne(
    `select id, client_first_name || ' ' || client_last_name as client from referral_requests
     where request_id <> $1 and status = 'new' and assignee_id is null order by received_at desc limit 1`,
    [REFERENCE_REQUEST_ID],
  );
}

/** Any request still new (for a read-only look). */
export const findNewReferralId = async () =>
  queryValue<string>("select id from referral_requests where status = 'new' limit 1");

/** The newest new request's client last name and request id; `dashedRequestId` keeps to request ids with a "-" (their first 8 characters make a search). */
export async function findNewestNewReferral({ dashedRequestId = false } = {}): Promise<{
  lastName: string;
  requestId: string;
}> {
  return queryOne(
    `select client_last_name as "lastName", request_id as "requestId" from referral_requests
     where status = 'new' ${dashedRequestId ? "and request_id like '%-%'" : ""} order by received_at desc limit 1`,
  );
}

/** The newest request that has a stored file, and that file. */
export async function findNewestReferralWithFile(): Promise<{ id: string; fileId: string }> {
  return queryOne(
    'select r.id, f.id as "fileId" from referral_requests r join referral_files f on f.referral_request_id = r.id order by r.received_at desc limit 1',
  );
}

export const readReferralStatus = async (id: string) =>
  (await queryFirst<{ status: string }>("select status from referral_requests where id = $1", [id]))?.status;

export const readReferralRequestId = async (id: string) =>
  queryValue<string>("select request_id from referral_requests where id = $1", [id]);

export async function readReferralDecision(
  id: string,
): Promise<{ status: string; reasonCode: string | null } | undefined> {
  return queryFirst('select status, decision_reason_code as "reasonCode" from referral_requests where id = $1', [id]);
}

/** The status and whether an amendment after the decision is waiting for an answer. */
export async function readAmendmentFlag(id: string): Promise<{ status: string; flagged: boolean } | undefined> {
  return queryFirst(
    "select status, amended_after_decision_at is not null as flagged from referral_requests where id = $1",
    [id],
  );
}

export const countReferralsWithRequestId = async (requestId: string) =>
  queryValue<number>("select count(*)::int as n from referral_requests where request_id = $1", [requestId]);

/** New requests of one agency for one service: what the queue's "New" tab counts under those filters. */
export const countNewReferrals = async (filter: { agencyOrgId: string; service: string }) =>
  queryValue<number>(
    "select count(*)::int as n from referral_requests where agency_org_id = $1 and service_requested = $2 and status = 'new'",
    [filter.agencyOrgId, filter.service],
  );

/** New requests whose client's last name starts with `prefix`, case-insensitively, as the queue's name search matches. */
export const countNewReferralsByLastNamePrefix = async (prefix: string) =>
  queryValue<number>(
    "select count(*)::int as n from referral_requests where status = 'new' and lower(client_last_name) like lower($1) || '%'",
    [prefix],
  );

export async function findAgencyByName(name: string): Promise<{ orgId: string; name: string }> {
  return queryOne('select org_id as "orgId", name from referral_agencies where name = $1', [name]);
}

/**
 * `count` cancelled requests of an agency of their own, request ids e2e-page-1… in received
 * order, 1 µs apart within one millisecond: a JavaScript-Date cursor would skip rows here.
 */
export async function insertSameMillisecondReferrals(agencyOrgId: string, count: number): Promise<void> {
  await getPool().query(
    `insert into referral_requests (request_id, status, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
       client_external_id, client_first_name, client_last_name, client_timezone, received_at)
     select 'e2e-page-' || g, 'cancelled', 'Paging Agency', 'https://x', 1, $1, 'UTC', g, 'Page', 'Row ' || lpad(g::text, 2, '0'), 'UTC',
       '2026-01-01 00:00:00.5'::timestamptz + g * interval '1 microsecond'
     from generate_series(1, $2::int) g`,
    [agencyOrgId, count],
  );
}

/** Appends a field to every stored submission of the request, its value given as JSON text (so any depth goes in). */
export async function appendStoredField(
  referralId: string,
  field: { id: number; label: string; type: string; valueJson: string },
): Promise<void> {
  await getPool().query(
    `update referral_submissions set payload = jsonb_set(payload, '{form_data,fields}', (payload->'form_data'->'fields') || jsonb_build_array(jsonb_build_object('field_id', $2::int, 'field_label', $3::text, 'field_type', $4::text, 'field_value', $5::jsonb)))
     where referral_request_id = $1`,
    [referralId, field.id, field.label, field.type, field.valueJson],
  );
}

export const readFirstFileId = async (referralId: string) =>
  queryValue<string>("select id from referral_files where referral_request_id = $1 limit 1", [referralId]);

// ——— Approvals, pushes, ACCloud links, second reviews ———

export const countPushes = async (referralId: string) =>
  queryValue<number>("select count(*)::int as n from pushes where referral_request_id = $1", [referralId]);

/** The request's approval revisions as "kind:state", in revision order, comma-separated. */
export const readRevisionKinds = async (referralId: string) =>
  queryValue<string | null>(
    "select string_agg(kind || ':' || state, ',' order by revision) as kinds from approval_revisions where referral_request_id = $1",
    [referralId],
  );

/** The ACCloud id of the request's latest referral revision. */
export const readLatestAccloudReferralId = async (referralId: string) =>
  queryValue<string>(
    "select accloud_id as id from accloud_links where referral_request_id = $1 and kind = 'referral' and local_key = 'latest'",
    [referralId],
  );

/** An approval of the request by `approverEmail`, sent three hours ago and drawn for a second review (the draw itself is random: lib/second-review/second-review.test.ts). */
export async function recordApprovalDrawnForReview(referralId: string, approverEmail: string): Promise<void> {
  const approver = await queryOne<{ id: string }>("select id from users where email = $1", [approverEmail]);
  await getPool().query(
    `with rev as (
       insert into approval_revisions (referral_request_id, revision, state, data, submission_id, created_by_id, approved_by_id, approved_at)
       select id, 1, 'approved', '{}', latest_submission_id, $2, $2, now() from referral_requests where id = $1 returning id)
     insert into second_reviews (referral_request_id, approval_revision_id, approved_by_id, sample_percent) select $1, rev.id, $2, 10 from rev`,
    [referralId, approver.id],
  );
  await getPool().query(
    "update referral_requests set status = 'sent', decided_by_id = $2, decided_at = now() - interval '3 hours', version = version + 1 where id = $1",
    [referralId, approver.id],
  );
}

export const readSecondReviewVerdict = async (referralId: string) =>
  (
    await queryFirst<{ verdict: string }>("select verdict from second_reviews where referral_request_id = $1", [
      referralId,
    ])
  )?.verdict;

// ——— Audit ———

/**
 * The newest audit record's id: a test counts only the records after its mark, so views of the
 * shared demo referrals by earlier specs (one worker, run in turn) cannot satisfy its counts.
 */
export const markAudit = async () =>
  queryValue<number>("select coalesce(max(id), 0)::bigint::float8 as id from audit_events");

/** This test's audit actions on one entity by one actor since its mark, oldest first. */
export async function readAuditActionsSince(mark: number, entityId: string, actorLabel: string): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(
    "select action from audit_events where id > $1 and entity_id = $2 and actor_label = $3 order by id",
    [mark, entityId, actorLabel],
  );
  return rows.map((r) => r.action);
}

/** Every audit action by one user on one entity, newest first (the audit page's order). */
export async function readAuditActionsByUser(entityId: string, email: string): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(
    "select e.action from audit_events e join users u on u.id::text = e.actor_id where e.entity_id = $1 and u.email = $2 order by e.at desc, e.id desc",
    [entityId, email],
  );
  return rows.map((r) => r.action);
}

/** CSV exports of the audit trail filtered to one referral. */
export const countAuditExports = async (referralId: string) =>
  queryValue<number>(
    "select count(*)::int as n from audit_events where action = 'audit.exported' and details -> 'filters' ->> 'referral' = $1",
    [referralId],
  );

/** The audit actions on the API client of this name, oldest first. */
export async function readApiClientAuditActions(name: string): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(
    "select action from audit_events where entity_type = 'api_client' and entity_id = (select id::text from api_clients where name = $1) order by id",
    [name],
  );
  return rows.map((r) => r.action);
}

// ——— Sessions, notifications, preferences ———

/** Moves the user's newest session's last activity `minutes` into the past; the ids of the sessions it aged. */
export async function ageLatestSession(email: string, minutes: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    `update user_sessions set last_seen_at = now() - make_interval(mins => $2)
     where id = (select s.id from user_sessions s join users u on u.id = s.user_id where u.email = $1 order by s.created_at desc limit 1) returning id`,
    [email, minutes],
  );
  return rows.map((r) => r.id);
}

export const readSessionEndReason = async (sessionId: string) =>
  (await queryFirst<{ end_reason: string | null }>("select end_reason from user_sessions where id = $1", [sessionId]))
    ?.end_reason;

export const readLatestSessionEndReason = async (email: string) =>
  (
    await queryFirst<{ end_reason: string | null }>(
      "select end_reason from user_sessions where user_id = (select id from users where email = $1) order by created_at desc limit 1",
      [email],
    )
  )?.end_reason;

export async function readNotificationStatuses(referralId: string, event: string): Promise<string[]> {
  const rows = await queryRows<{ status: string }>(
    "select status from notifications where referral_request_id = $1 and event = $2",
    [referralId, event],
  );
  return rows.map((r) => r.status);
}

export const readNotificationPreference = async (email: string, event: string) =>
  (
    await queryFirst<{ enabled: boolean }>(
      "select p.enabled from notification_preferences p join users u on u.id = p.user_id where u.email = $1 and p.event = $2",
      [email, event],
    )
  )?.enabled;
