/**
 * Reading the audit trail (audit:read): the filters of /audit and of its CSV export as SQL,
 * keyset pages newest first by (at, id), a total that never scans the table, "who saw this"
 * per referral, and the look-ups that put names into the sentences.
 *
 * Each filter has its own index (actor, action group, agency, referral, time), so a page is
 * an index scan that stops after 51 rows. The total counts matching rows up to COUNT_CAP
 * (at most COUNT_CAP index entries, under a statement timeout); beyond that it is PostgreSQL's
 * own estimate for the filter (EXPLAIN), shown as "about". An exact count of a million-row
 * filter would read a million rows on every page view.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { hasScope, assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import { withOwnStatementTimeout, type Db } from "../db";
import { errorCode } from "../errors";
import { DISPLAY_TIME_ZONE } from "../format";
import type { TAuditFilters } from "./filters";
import { withoutFreeText } from "../audit/free-text";
import { recordAudit } from "../audit/record";
import { describeAuditEvent, type Described } from "./describe";

export const AUDIT_PAGE_SIZE = 50;
export const COUNT_CAP = 10_000;
const COUNT_TIMEOUT_MS = 400;

export type AuditEventRow = {
  id: number;
  at: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  actionGroup: string;
  entityType: string;
  entityId: string | null;
  agencyOrgId: string | null;
  details: Record<string, unknown>;
};

export type DescribedEvent = AuditEventRow &
  Described & { actorName: string; agencyName: string | null; requestId: string | null };

/** Filters resolved against the database: the user's id for the e-mail, the referral by id or request id. */
export type ResolvedFilters = { where: SQL[]; empty: boolean; userId: string | null; referralId: string | null };

export async function resolveFilters(db: Db, f: TAuditFilters): Promise<ResolvedFilters> {
  const where: SQL[] = [];
  let empty = false;
  let userId: string | null = null;
  let referralId: string | null = null;
  if (f.user) {
    const r = await db.execute<{ id: string }>(sql`select id from users where email = ${f.user}`);
    userId = r.rows[0]?.id ?? null;
    // Events by that account; an unknown e-mail still matches what was recorded under that label (a deleted or renamed account).
    where.push(userId ? sql`e.actor_id = ${userId}` : sql`e.actor_label = ${f.user}`);
  }
  if (f.referral) {
    const r = await db.execute<{ id: string }>(
      sql`select id from referral_requests where id = ${f.referral}::uuid or request_id = ${f.referral} limit 1`,
    );
    referralId = r.rows[0]?.id ?? f.referral;
    where.push(sql`e.entity_type = 'referral_request' and e.entity_id = ${referralId}`);
  }
  if (f.action) where.push(sql`e.action_group = ${f.action}`);
  if (f.agency) where.push(sql`e.agency_org_id = ${f.agency}`);
  if (f.from) where.push(sql`e.at >= (${f.from}::date)::timestamp at time zone ${DISPLAY_TIME_ZONE}`);
  if (f.to) where.push(sql`e.at < (${f.to}::date + 1)::timestamp at time zone ${DISPLAY_TIME_ZONE}`);
  if (f.from && f.to && f.from > f.to) empty = true;
  return { where, empty, userId, referralId };
}

const whereSql = (conds: SQL[]) => (conds.length ? sql.join(conds, sql` and `) : sql`true`);

const COLUMNS = sql.raw(
  `e.id::float8 as id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, e.actor_type as "actorType", e.actor_id as "actorId",
   e.actor_label as "actorLabel", e.action, e.action_group as "actionGroup", e.entity_type as "entityType", e.entity_id as "entityId",
   e.agency_org_id as "agencyOrgId", e.details`,
);

/** Up to `limit` events of the filter, newest first, strictly older than `before` or newer than `after` (event ids). */
export async function selectEvents(
  db: Db,
  where: SQL[],
  opts: { before?: number; after?: number; limit: number },
): Promise<AuditEventRow[]> {
  const conds = [...where];
  // The cursor is an event id; its (at, id) position is looked up, so the cursor needs no timestamp text.
  if (opts.before) conds.push(sql`(e.at, e.id) < (select c.at, c.id from audit_events c where c.id = ${opts.before})`);
  if (opts.after) conds.push(sql`(e.at, e.id) > (select c.at, c.id from audit_events c where c.id = ${opts.after})`);
  const order = opts.after ? sql`order by e.at asc, e.id asc` : sql`order by e.at desc, e.id desc`;
  const r = await db.execute<AuditEventRow>(
    sql`select ${COLUMNS} from audit_events e where ${whereSql(conds)} ${order} limit ${opts.limit}`,
  );
  const rows = r.rows.map((x) => ({ ...x, id: Number(x.id), details: (x.details ?? {}) as Record<string, unknown> }));
  return opts.after ? rows.reverse() : rows;
}

/** exact: the number; else more than COUNT_CAP (or too slow to count), with PostgreSQL's estimate. */
export type AuditTotal = { exact: true; n: number } | { exact: false; estimate: number };

/** Exact up to COUNT_CAP, else PostgreSQL's estimate of the filter. */
export async function countEvents(db: Db, where: SQL[]): Promise<AuditTotal> {
  const w = whereSql(where);
  // Its own timeout, caught below: not a sign the database is down (lib/db.ts).
  const counted = await withOwnStatementTimeout(() =>
    db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${COUNT_TIMEOUT_MS}`));
      const r = await tx.execute<{ n: number }>(
        sql`select count(*)::int as n from (select 1 from audit_events e where ${w} limit ${COUNT_CAP + 1}) x`,
      );
      return r.rows[0]?.n ?? 0;
    }),
  ).catch((err: unknown) => {
    // 57014: the timeout (on the driver's error, which drizzle wraps); the estimate answers instead.
    if (errorCode(err) === "57014") return null;
    throw err;
  });
  if (counted !== null && counted <= COUNT_CAP) return { exact: true, n: counted };
  const plan = await db.execute<{ "QUERY PLAN": Array<{ Plan: { "Plan Rows": number } }> }>(
    sql`explain (format json) select 1 from audit_events e where ${w}`,
  );
  const estimate = Math.round(plan.rows[0]?.["QUERY PLAN"]?.[0]?.Plan?.["Plan Rows"] ?? 0);
  return { exact: false, estimate: Math.max(estimate, counted === null ? 1 : COUNT_CAP + 1) };
}

/**
 * Names for the sentences, in bulk: actors and users named in details, agencies, request ids.
 * Free text (lib/audit/free-text.ts) is written out only with `freeText` (a viewer with
 * referral:read); otherwise its length stands in its place.
 */
export async function describeRows(
  db: Db,
  rows: AuditEventRow[],
  opts: { freeText: boolean },
): Promise<DescribedEvent[]> {
  const userIds = new Set<string>();
  const agencyIds = new Set<string>();
  const referralIds = new Set<string>();
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const r of rows) {
    if (r.actorType === "user" && r.actorId && uuid.test(r.actorId)) userIds.add(r.actorId);
    if (r.entityType === "user" && r.entityId && uuid.test(r.entityId)) userIds.add(r.entityId);
    if (typeof r.details.previousAssignee === "string" && uuid.test(r.details.previousAssignee))
      userIds.add(r.details.previousAssignee);
    if (r.agencyOrgId) agencyIds.add(r.agencyOrgId);
    if (r.entityType === "referral_request" && r.entityId && uuid.test(r.entityId)) referralIds.add(r.entityId);
  }
  const [u, a, q] = await Promise.all([
    userIds.size
      ? db.execute<{ id: string; name: string }>(
          sql`select id::text, name from users where id = any(${sql.param([...userIds])}::uuid[])`,
        )
      : { rows: [] },
    agencyIds.size
      ? db.execute<{ id: string; name: string }>(
          sql`select org_id as id, name from referral_agencies where org_id = any(${sql.param([...agencyIds])}::text[])`,
        )
      : { rows: [] },
    referralIds.size
      ? db.execute<{ id: string; request_id: string }>(
          sql`select id::text, request_id from referral_requests where id = any(${sql.param([...referralIds])}::uuid[])`,
        )
      : { rows: [] },
  ]);
  const userNames = new Map(u.rows.map((x) => [x.id, x.name]));
  const agencyNames = new Map(a.rows.map((x) => [x.id, x.name]));
  const requestIds = new Map(q.rows.map((x) => [x.id, x.request_id]));
  return rows.map((r) => {
    const actorName = (r.actorId && userNames.get(r.actorId)) || r.actorLabel;
    const agencyName = r.agencyOrgId ? (agencyNames.get(r.agencyOrgId) ?? null) : null;
    return {
      ...r,
      // The record itself goes with the sentence: without free text unless the viewer may read it.
      details: opts.freeText ? r.details : withoutFreeText(r.details),
      actorName,
      agencyName,
      requestId: r.entityId ? (requestIds.get(r.entityId) ?? null) : null,
      ...describeAuditEvent(r, { actorName, agencyName, userNames, freeText: opts.freeText }),
    };
  });
}

export type AuditPage = {
  rows: DescribedEvent[];
  /** an older page exists: its cursor */
  olderCursor: number | null;
  /** a newer page exists: its cursor */
  newerCursor: number | null;
};

export async function listAuditPage(
  db: Db,
  actor: Actor,
  resolved: ResolvedFilters,
  cursor: { before?: number; after?: number },
): Promise<AuditPage> {
  assertScope(actor, "audit:read");
  if (resolved.empty) return { rows: [], olderCursor: null, newerCursor: null };
  const rows = await selectEvents(db, resolved.where, { ...cursor, limit: AUDIT_PAGE_SIZE + 1 });
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const page = cursor.after ? (hasMore ? rows.slice(1) : rows) : rows.slice(0, AUDIT_PAGE_SIZE);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: await describeRows(db, page, { freeText: hasScope(actor, "referral:read") }),
    olderCursor: last && (cursor.after ? true : hasMore) ? last.id : null,
    newerCursor: first && (cursor.before ? true : cursor.after ? hasMore : false) ? first.id : null,
  };
}

export type WhoSaw = Array<{
  actorId: string | null;
  label: string;
  name: string;
  views: number;
  fileViews: number;
  downloads: number;
  first: string;
  last: string;
}>;

/** Every read of one referral's pages and files, per person. */
export async function whoSaw(db: Db, actor: Actor, referralId: string): Promise<WhoSaw> {
  assertScope(actor, "audit:read");
  const r = await db.execute<{
    actor_id: string | null;
    label: string;
    name: string | null;
    views: number;
    file_views: number;
    downloads: number;
    first: string;
    last: string;
  }>(sql`
    select e.actor_id, e.actor_label as label, u.name,
      count(*) filter (where e.action = 'referral.viewed')::int as views,
      count(*) filter (where e.action = 'referral.file_viewed')::int as file_views,
      count(*) filter (where e.action = 'referral.file_downloaded')::int as downloads,
      to_char(min(e.at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as first,
      to_char(max(e.at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as last
    from audit_events e left join users u on u.id::text = e.actor_id
    where e.entity_type = 'referral_request' and e.entity_id = ${referralId} and e.action_group = 'views'
    group by e.actor_id, e.actor_label, u.name order by max(e.at) desc`);
  return r.rows.map((x) => ({
    actorId: x.actor_id,
    label: x.label,
    name: x.name ?? x.label,
    views: x.views,
    fileViews: x.file_views,
    downloads: x.downloads,
    first: x.first,
    last: x.last,
  }));
}

/** The referral a filter names, for the page's header (client name only for viewers who may read referrals). */
export async function referralSummary(db: Db, actor: Actor, referralId: string) {
  assertScope(actor, "audit:read");
  const r = await db.execute<{ id: string; request_id: string; agency_name: string; status: string; client: string }>(
    sql`select id::text, request_id, agency_name, status, client_first_name || ' ' || client_last_name as client from referral_requests where id = ${referralId}::uuid`,
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    requestId: row.request_id,
    agencyName: row.agency_name,
    status: row.status,
    clientName: hasScope(actor, "referral:read") ? row.client : null,
  };
}

/** Filter options: users (e-mails) and agencies. */
export async function auditFilterOptions(db: Db, actor: Actor) {
  assertScope(actor, "audit:read");
  const [u, a] = await Promise.all([
    db.execute<{ email: string; name: string }>(sql`select email, name from users order by name`),
    db.execute<{ org_id: string; name: string }>(sql`select org_id, name from referral_agencies order by name`),
  ]);
  return { users: u.rows, agencies: a.rows.map((x) => ({ orgId: x.org_id, name: x.name })) };
}

/** Opening the trail and exporting it are audited too, with the filter used (ids, dates and an e-mail: no PHI). */
export async function recordAuditAccess(
  db: Db,
  actor: Actor,
  action: "audit.viewed" | "audit.exported",
  f: TAuditFilters,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const filters = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
  await recordAudit(db, { actor: actor, action, entityType: "audit_trail", details: { filters, ...extra } });
}

export type AuditTrail = {
  page: AuditPage;
  total: AuditTotal;
  saw: WhoSaw | null;
  summary: Awaited<ReturnType<typeof referralSummary>>;
};

/**
 * What /audit shows for a filter: a page of events, the total, and for one referral who saw it
 * and its header. Reading the trail is itself recorded (after the reads, so the record is not on
 * its own first page).
 */
export async function openAuditTrail(
  db: Db,
  actor: Actor,
  f: TAuditFilters,
  cursor: { before?: number; after?: number },
): Promise<AuditTrail> {
  assertScope(actor, "audit:read");
  const resolved = await resolveFilters(db, f);
  const [page, total, saw, summary] = await Promise.all([
    listAuditPage(db, actor, resolved, cursor),
    countEvents(db, resolved.where),
    resolved.referralId ? whoSaw(db, actor, resolved.referralId) : Promise.resolve(null),
    resolved.referralId ? referralSummary(db, actor, resolved.referralId) : Promise.resolve(null),
  ]);
  await recordAuditAccess(db, actor, "audit.viewed", f);
  return { page, total, saw, summary };
}
