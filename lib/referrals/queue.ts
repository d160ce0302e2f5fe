/**
 * The review queue: keyset-paginated, filtered, with tab counts from referral_status_counts
 * (kept by triggers), so nothing here counts or offsets through a million rows.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { ReferralStatus } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope, hasScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { getEnv } from "../env";
import {
  AMENDED_TAB,
  encodeCursor,
  filterValues,
  MIN_NAME_SEARCH,
  QUEUE_PAGE_SIZE,
  QUEUE_TABS,
  type QueueTab,
  type TQueueParams,
} from "../validations/queue";
import { activeAssignmentSql } from "../workflow/claims-sql";
import { DISPLAY_TIME_ZONE } from "../format";
import { CLOSED_STATUSES } from "../workflow/duplicates";

const closedList = sql.raw(CLOSED_STATUSES.map((s) => `'${s}'`).join(", "));

export type QueueRow = {
  id: string;
  requestId: string;
  status: ReferralStatus;
  version: number;
  clientName: string;
  agencyName: string;
  service: string | null;
  serviceStart: string | null;
  serviceEnd: string | null;
  receivedAt: string;
  slaDueAt: string | null;
  slaPausedAt: string | null;
  amended: boolean;
  amendedAfterDecision: boolean;
  assignee: { id: string; name: string; active: boolean } | null;
  /** fields the physician's order disagrees with (the latest order check) */
  orderMismatches: number;
  /** requests this one is possibly the same as (lib/workflow/duplicates.ts), newest first */
  duplicates: Array<{ id: string; requestId: string }>;
};

export type QueuePage = {
  rows: QueueRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** database time of the read, as text (microseconds intact): "new since" polls start here */
  snapshot: string;
};

const statusesOf = (tab: QueueTab) => QUEUE_TABS.find((t) => t.key === tab)!.statuses as readonly ReferralStatus[];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The WHERE conditions of a view, except the tab and the cursor. `lasting`: only those a row
 * keeps whatever happens to it (agency, service, dates, request id, name), not the assignment
 * or overdue filters a claim or a decision takes a row out of.
 */
function filterConditions(
  actor: Actor,
  p: TQueueParams,
  nameSearch: string | null,
  opts: { lasting?: boolean } = {},
): SQL[] {
  const env = getEnv();
  const active = activeAssignmentSql(env.CLAIM_IDLE_MINUTES);
  const where: SQL[] = [];
  if (p.agency) where.push(sql`r.agency_org_id = ${p.agency.toLowerCase()}`);
  if (p.service) where.push(sql`r.service_requested = ${p.service}`);
  if (p.from) where.push(sql`r.received_at >= (${p.from}::date)::timestamp at time zone ${DISPLAY_TIME_ZONE}`);
  if (p.to) where.push(sql`r.received_at < (${p.to}::date + 1)::timestamp at time zone ${DISPLAY_TIME_ZONE}`);
  if (!opts.lasting) {
    if (p.assigned === "me") where.push(sql`r.assignee_id = ${actor.id} and ${active}`);
    if (p.assigned === "unassigned") where.push(sql`not ${active}`);
    if (p.overdue) where.push(sql`r.status in ('new', 'in_review') and r.sla_due_at < now()`);
    // The partial indexes on order_mismatches > 0 (in either sort) find these rows without walking the others.
    if (p.disagrees) where.push(sql`r.order_mismatches > 0`);
  }
  if (p.rid) where.push(sql`r.request_id like ${`${escapeLike(p.rid)}%`}`);
  const term = nameSearch?.trim().toLowerCase().replace(/\s+/g, " ");
  if (term && term.length >= MIN_NAME_SEARCH) {
    const pattern = `${escapeLike(term)}%`;
    // Same expressions as the text_pattern_ops indexes of migration 0003.
    where.push(
      sql`(lower(r.client_last_name || ' ' || r.client_first_name) like ${pattern} or lower(r.client_first_name || ' ' || r.client_last_name) like ${pattern})`,
    );
  }
  return where;
}

/** The tab's rows: its statuses, and for the amended tab the flag (a partial index finds those). */
function tabCondition(tab: QueueTab): SQL {
  if (tab === AMENDED_TAB) return sql`r.amended_after_decision_at is not null`;
  return sql`r.status in ${statusesOf(tab)}`;
}

const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

/** One stretch of a view in reading order: its own conditions and ORDER BY (see queuePageStatements). */
type Segment = { where: SQL[]; order: SQL };

/**
 * The statements that read a page of a view, in reading order, each given its row limit (keyset on
 * (sort key, id)). In due order the requests without a due time come last (by id), a second
 * stretch after the dated ones: each stretch is one index range scan of (status, sla_due_at, id)
 * (or the agency's or service's), where `nulls last` and an OR in the cursor condition would sort
 * every row after the cursor. A page usually needs the first statement only.
 */
export function queuePageStatements(
  actor: Actor,
  p: TQueueParams,
  nameSearch: string | null,
): Array<(limit: number) => SQL> {
  const base = [tabCondition(p.tab), ...filterConditions(actor, p, nameSearch)];
  const byDue = p.sort === "due_asc";
  const col = sql.raw(byDue ? "r.sla_due_at" : "r.received_at");
  const { cursor, forwardAsc } = direction(p);
  const dir = sql.raw(forwardAsc ? "asc" : "desc");
  const cmp = sql.raw(forwardAsc ? ">" : "<");
  const after = (c: SQL) => (cursor ? [sql`(${c}, r.id) ${cmp} (${cursor.key}::timestamptz, ${cursor.id}::uuid)`] : []);
  let segments: Segment[];
  if (!byDue) segments = [{ where: after(col), order: sql`${col} ${dir}, r.id ${dir}` }];
  else {
    const inUndated = cursor !== undefined && cursor.key === null;
    const dated: Segment = {
      where: [sql`r.sla_due_at is not null`, ...(cursor && !inUndated ? after(col) : [])],
      order: sql`r.sla_due_at ${dir}, r.id ${dir}`,
    };
    const undated: Segment = {
      where: [sql`r.sla_due_at is null`, ...(inUndated ? [sql`r.id ${cmp} ${cursor.id}::uuid`] : [])],
      order: sql`r.id ${dir}`,
    };
    // Forwards: dated then undated (from the cursor's stretch on); backwards the other way round.
    if (forwardAsc) segments = inUndated ? [undated] : [dated, undated];
    else segments = cursor && !inUndated ? [dated] : [undated, dated];
  }
  return segments.map(
    (seg) => (limit: number) =>
      selectSql(sql`${and([...base, ...seg.where])} order by ${seg.order} limit ${limit}`, col),
  );
}

/** Which way a page reads: backwards (the previous page) flips both the comparison and the order. */
function direction(p: TQueueParams) {
  const asc = p.sort !== "received_desc";
  const backwards = Boolean(p.before) && !p.after;
  return { cursor: p.after ?? p.before, backwards, forwardAsc: backwards ? !asc : asc };
}

export async function listQueue(db: Db, actor: Actor, p: TQueueParams, nameSearch: string | null): Promise<QueuePage> {
  assertScope(actor, "referral:read");
  const { backwards } = direction(p);
  const limit = QUEUE_PAGE_SIZE + 1;
  let rows: RowRecord[] = [];
  let snapshot: string | undefined;
  for (const statement of queuePageStatements(actor, p, nameSearch)) {
    if (rows.length >= limit) break;
    const res = await db.execute<RowRecord>(statement(limit - rows.length));
    snapshot ??= res.rows[0]?.snapshot;
    rows = rows.concat(res.rows);
  }
  const hasMore = rows.length > QUEUE_PAGE_SIZE;
  rows = rows.slice(0, QUEUE_PAGE_SIZE);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = backwards ? true : hasMore;
  const hasPrev = backwards ? hasMore : Boolean(p.after);
  snapshot ??= (await db.execute<{ now: string }>(sql`select now()::text as now`)).rows[0]!.now;
  return {
    rows: rows.map(toQueueRow),
    nextCursor: hasNext && last ? encodeCursor(last.sort_key, last.id) : null,
    prevCursor: hasPrev && first ? encodeCursor(first.sort_key, first.id) : null,
    snapshot,
  };
}

type RowRecord = {
  id: string;
  request_id: string;
  status: ReferralStatus;
  version: number;
  client_first_name: string;
  client_last_name: string;
  agency_name: string;
  service_requested: string | null;
  service_start: string | null;
  service_end: string | null;
  received_at: Date;
  sla_due_at: Date | null;
  sla_paused_at: Date | null;
  amended_at: Date | null;
  amended_after_decision_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  assignment_active: boolean;
  order_mismatches: number;
  sort_key: string | null;
  snapshot: string;
  duplicates: Array<{ id: string; requestId: string }> | null;
};

/** The queue's columns of the rows `rest` selects (a WHERE condition, then ORDER / LIMIT). */
function selectRows(db: Db, rest: SQL) {
  return db.execute<RowRecord>(selectSql(rest, sql.raw("r.received_at")));
}

function selectSql(rest: SQL, col: SQL): SQL {
  const env = getEnv();
  return sql`select r.id, r.request_id, r.status, r.version, r.client_first_name, r.client_last_name, r.agency_name,
      r.service_requested, r.service_start, r.service_end, r.received_at, r.sla_due_at, r.sla_paused_at, r.amended_at, r.amended_after_decision_at,
      r.assignee_id, u.name as assignee_name, ${activeAssignmentSql(env.CLAIM_IDLE_MINUTES)} as assignment_active, r.order_mismatches,
      ${col}::text as sort_key, now()::text as snapshot,
      -- possible duplicates, as stored (a probe of the pairs' primary key per row, no matching here)
      (select json_agg(json_build_object('id', o.id, 'requestId', o.request_id) order by o.received_at desc, o.id)
         from referral_duplicates d join referral_requests o on o.id = d.other_id
         where d.referral_request_id = r.id and d.dismissed_at is null and o.status not in (${closedList})) as duplicates
    from referral_requests r left join users u on u.id = r.assignee_id
    where ${rest}`;
}

function toQueueRow(r: RowRecord): QueueRow {
  return {
    id: r.id,
    requestId: r.request_id,
    status: r.status,
    version: r.version,
    clientName: `${r.client_first_name} ${r.client_last_name}`,
    agencyName: r.agency_name,
    service: r.service_requested,
    serviceStart: r.service_start,
    serviceEnd: r.service_end,
    receivedAt: new Date(r.received_at).toISOString(),
    slaDueAt: r.sla_due_at ? new Date(r.sla_due_at).toISOString() : null,
    slaPausedAt: r.sla_paused_at ? new Date(r.sla_paused_at).toISOString() : null,
    amended: r.amended_at !== null,
    amendedAfterDecision: r.amended_after_decision_at !== null,
    assignee: r.assignee_id
      ? { id: r.assignee_id, name: r.assignee_name ?? "Unknown user", active: r.assignment_active }
      : null,
    duplicates: r.duplicates ?? [],
    orderMismatches: r.order_mismatches,
  };
}

/**
 * The current state of rows already on a reviewer's screen (the live poll), by id: only rows the
 * view can list (its lasting filters, received by the page's snapshot `since`), so naming other
 * ids finds nothing. A claim or a decision since then still shows (the tab and the assignment
 * filters are not applied: the row stays on screen, changed).
 */
export async function listQueueRowsByIds(
  db: Db,
  actor: Actor,
  ids: string[],
  view: { params: TQueueParams; nameSearch: string | null; since: string },
): Promise<QueueRow[]> {
  assertScope(actor, "referral:read");
  if (!ids.length) return [];
  const where = [
    sql`r.id in ${ids}`,
    sql`r.received_at <= ${view.since}::timestamptz`,
    ...filterConditions(actor, view.params, view.nameSearch, { lasting: true }),
  ];
  const res = await selectRows(db, and(where));
  return res.rows.map(toQueueRow);
}

export type TabCounts = Record<QueueTab, number>;

/** Delta rows beyond which a read folds them (see referral_counts_compact in migration 0005). */
const COMPACT_ABOVE_ROWS = 4000;

/** Tab counts from the trigger-kept deltas; exact under the agency and service filters. */
export async function getTabCounts(
  db: Db,
  actor: Actor,
  p: Pick<TQueueParams, "agency" | "service">,
): Promise<TabCounts> {
  assertScope(actor, "referral:read");
  const where: SQL[] = [];
  if (p.agency) where.push(sql`agency_org_id = ${p.agency.toLowerCase()}`);
  if (p.service) where.push(sql`service_requested = ${p.service}`);
  const res = await db.execute<{ status: ReferralStatus; n: string; rows: number }>(
    sql`select status, sum(n)::text as n, count(*)::int as rows from referral_status_counts where ${and(where)} group by status`,
  );
  if (res.rows.reduce((sum, r) => sum + r.rows, 0) > COMPACT_ABOVE_ROWS) {
    // Out of band: the page does not wait, and a concurrent compaction simply skips.
    void db.execute(sql`select referral_counts_compact()`).catch(() => undefined);
  }
  const byStatus = new Map(res.rows.map((r) => [r.status, Number(r.n)]));
  const out = {} as TabCounts;
  for (const t of QUEUE_TABS) out[t.key] = t.statuses.reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
  // Flagged requests are few (a reviewer clears each): counted through their partial index.
  const amendedWhere = [sql`amended_after_decision_at is not null`, ...where];
  const amended = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from referral_requests where ${and(amendedWhere)}`,
  );
  out[AMENDED_TAB] = amended.rows[0]?.n ?? 0;
  return out;
}

/** Requests of the current view received after `since` (the page's snapshot): the "N new" notice. */
export async function countNewSince(
  db: Db,
  actor: Actor,
  p: TQueueParams,
  nameSearch: string | null,
  since: string,
): Promise<number> {
  assertScope(actor, "referral:read");
  const where = [
    sql`r.received_at > ${since}::timestamptz`,
    tabCondition(p.tab),
    ...filterConditions(actor, p, nameSearch),
  ];
  // Bounded: the notice says "50+" beyond that.
  const res = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from referral_requests r where ${and(where)} limit 51) x`,
  );
  return res.rows[0]?.n ?? 0;
}

export type FilterOptions = { agencies: Array<{ orgId: string; name: string }>; services: string[] };

/** Agencies and services change rarely: one read a minute per process is plenty. */
let optionsCache: { at: number; value: FilterOptions } | null = null;
const OPTIONS_TTL_MS = 60_000;

export async function getFilterOptions(db: Db, actor: Actor): Promise<FilterOptions> {
  assertScope(actor, "referral:read");
  if (optionsCache && Date.now() - optionsCache.at < OPTIONS_TTL_MS) return optionsCache.value;
  const [agencies, services] = await Promise.all([
    db.execute<{ org_id: string; name: string }>(
      sql`select org_id, name from referral_agencies order by name limit 500`,
    ),
    db.execute<{ s: string }>(
      sql`select service_requested as s from referral_status_counts where service_requested <> '' group by 1 having sum(n) > 0 order by 1 limit 200`,
    ),
  ]);
  const value = {
    agencies: agencies.rows.map((a) => ({ orgId: a.org_id, name: a.name })),
    services: services.rows.map((s) => s.s),
  };
  optionsCache = { at: Date.now(), value };
  return value;
}

/** Active reviewers, for assignment. */
export async function listAssignableUsers(db: Db, actor: Actor): Promise<Array<{ id: string; name: string }>> {
  assertScope(actor, "referral:assign");
  const res = await db.execute<{ id: string; name: string }>(
    sql`select id, name from users where (role = 'reviewer' or 'reviewer' = any(extra_roles)) and disabled_at is null order by name`,
  );
  return res.rows;
}

export type QueueView = {
  page: QueuePage;
  counts: TabCounts;
  options: FilterOptions;
  reviewers: Array<{ id: string; name: string }>;
};

/**
 * What the queue page shows: a page of rows, the tab counts, the filter options and, for those
 * who may assign, the reviewers. The queue shows client names, so opening it is a PHI access and
 * is recorded, with the names of the filters used and whether a name search was on (never the
 * search term).
 */
export async function openQueue(db: Db, actor: Actor, p: TQueueParams, nameSearch: string | null): Promise<QueueView> {
  assertScope(actor, "referral:read");
  const filters = filterValues(p);
  const [page, counts, options, reviewers] = await Promise.all([
    listQueue(db, actor, p, nameSearch),
    getTabCounts(db, actor, p),
    getFilterOptions(db, actor),
    hasScope(actor, "referral:assign") ? listAssignableUsers(db, actor) : Promise.resolve([]),
    recordAudit(db, {
      actor,
      action: "queue.viewed",
      entityType: "queue",
      details: {
        tab: p.tab,
        filters: Object.keys(filters).filter((k) => k !== "tab" && k !== "sort" && filters[k]),
        nameSearch: Boolean(nameSearch),
      },
    }),
  ]);
  return { page, counts, options, reviewers };
}
