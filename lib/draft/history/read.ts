/**
 * The draft's history: what reviewers chose before, read from approval_choices (one row per
 * approved referral, db/schema/draft.ts), as of a moment (now, or an approval's own time when the
 * history is replayed: scripts/measure-drafts.ts). Each read is bounded by an index and a count:
 *  - the funders chosen for the insurer: the distinct insurance names (a loose index scan), those
 *    that stand for the same insurer (lib/draft/match.ts), their latest RECENT approvals;
 *  - the codes and care types for the "Service Requested" (the same value, else the same discipline);
 *  - the client's own case managers (same agency and agency client id);
 *  - the agency's case managers of the last 90 days.
 * record.ts writes a referral's row in the transaction that approves it.
 */
import "server-only";
import { and, desc, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import { approvalChoices } from "../../../db/schema";
import type { Db } from "../../db";
import { disciplineOf } from "../../form/discipline";
import { caseManagerKey, cleanCaseManager, sameInsurer } from "../suggest";
import type { CareType, CaseManager, Counted, DraftHistory } from "../types";

/** How many of the latest approvals of a key are counted ("12 of 13" is over at most these). */
export const RECENT = 500;
/** The agency's case managers are those of this many days. */
export const AGENCY_DAYS = 90;

type Row<T> = { value: T; at: Date };

/** Counts of each value (by `key`), with when it was chosen last. */
export function countBy<T>(rows: readonly Row<T>[], key: (v: T) => string = (v) => String(v)): Counted<T>[] {
  const out = new Map<string, Counted<T>>();
  for (const r of rows) {
    const k = key(r.value);
    const at = r.at.toISOString();
    const c = out.get(k);
    if (!c) out.set(k, { value: r.value, count: 1, last: at });
    else {
      c.count++;
      if (at > c.last) c.last = at;
    }
  }
  return [...out.values()];
}

/** The distinct values of an indexed text column, one index probe each (a loose index scan). */
async function distinctValues(db: Db, column: "insurer_name" | "service_requested"): Promise<string[]> {
  const col = sql.identifier(column);
  const r = await db.execute<{ v: string }>(sql`
    with recursive vs(v) as (
      (select ${col} from approval_choices where ${col} is not null order by ${col} limit 1)
      union all
      select (select ${col} from approval_choices where ${col} > vs.v order by ${col} limit 1) from vs where vs.v is not null
    )
    select v from vs where v is not null`);
  return r.rows.map((x) => x.v);
}

export type HistoryQuery = {
  /** the referral drafted: never part of its own history */
  referralId: string;
  agencyOrgId: string;
  agencyName: string;
  clientExternalId: number;
  insurerName: string | null;
  serviceRequested: string | null;
  /** only approvals before this count (default: now) */
  asOf?: Date;
};

export async function readDraftHistory(db: Db, q: HistoryQuery): Promise<DraftHistory> {
  const asOf = q.asOf ?? new Date();
  const before = and(lt(approvalChoices.approvedAt, asOf), ne(approvalChoices.referralRequestId, q.referralId));

  const [insurer, service, client, agency] = await Promise.all([
    readInsurer(db, q, before),
    readService(db, q, before),
    db
      .select({ cm: approvalChoices.caseManager, at: approvalChoices.approvedAt })
      .from(approvalChoices)
      .where(
        and(
          eq(approvalChoices.agencyOrgId, q.agencyOrgId),
          eq(approvalChoices.clientExternalId, q.clientExternalId),
          before,
        ),
      )
      .orderBy(desc(approvalChoices.approvedAt))
      .limit(50),
    db
      .select({ cm: approvalChoices.caseManager, at: approvalChoices.approvedAt })
      .from(approvalChoices)
      .where(
        and(
          eq(approvalChoices.agencyOrgId, q.agencyOrgId),
          gte(approvalChoices.approvedAt, new Date(asOf.getTime() - AGENCY_DAYS * 86_400_000)),
          before,
        ),
      )
      .orderBy(desc(approvalChoices.approvedAt))
      .limit(RECENT * 2),
  ]);
  const managers = (rows: Array<{ cm: CaseManager; at: Date }>) =>
    countBy(
      rows.map((r) => ({ value: cleanCaseManager(r.cm), at: r.at })),
      caseManagerKey,
    );
  return {
    insurer,
    service,
    client: { caseManagers: managers(client), total: client.length, lastAt: client[0]?.at.toISOString() ?? null },
    agency: { name: q.agencyName, caseManagers: managers(agency), total: agency.length, days: AGENCY_DAYS },
  };
}

async function readInsurer(db: Db, q: HistoryQuery, before: ReturnType<typeof and>): Promise<DraftHistory["insurer"]> {
  const name = q.insurerName;
  if (!name) return { name: null, funders: [], total: 0 };
  const names = (await distinctValues(db, "insurer_name")).filter((n) => sameInsurer(name, n));
  if (!names.length) return { name, funders: [], total: 0 };
  const rows = await db
    .select({ value: approvalChoices.funderId, at: approvalChoices.approvedAt })
    .from(approvalChoices)
    .where(and(inArray(approvalChoices.insurerName, names), before))
    .orderBy(desc(approvalChoices.approvedAt))
    .limit(RECENT);
  return { name, funders: countBy(rows), total: rows.length };
}

async function readService(db: Db, q: HistoryQuery, before: ReturnType<typeof and>): Promise<DraftHistory["service"]> {
  const requested = q.serviceRequested;
  const none = { requested, how: null, key: null, serviceCodes: [], careTypes: [], total: 0 };
  if (!requested) return none;
  const read = (values: string[]) =>
    db
      .select({ code: approvalChoices.serviceCodeId, care: approvalChoices.careType, at: approvalChoices.approvedAt })
      .from(approvalChoices)
      .where(and(inArray(approvalChoices.serviceRequested, values), before))
      .orderBy(desc(approvalChoices.approvedAt))
      .limit(RECENT);
  let how: "exact" | "discipline" = "exact";
  let key = requested;
  let rows = await read([requested]);
  const discipline = disciplineOf(requested);
  if (!rows.length && discipline) {
    const alike = (await distinctValues(db, "service_requested")).filter((v) => disciplineOf(v) === discipline);
    if (alike.length) {
      rows = await read(alike);
      how = "discipline";
      key = `${discipline} services`;
    }
  }
  if (!rows.length) return none;
  return {
    requested,
    how,
    key,
    serviceCodes: countBy(rows.map((r) => ({ value: r.code, at: r.at }))),
    careTypes: countBy(rows.map((r) => ({ value: r.care as CareType, at: r.at }))),
    total: rows.length,
  };
}
