/**
 * Possible duplicates as the reviewer reads them: the stored pairs of a request (found by
 * lib/workflow/duplicates.ts when it arrived or changed), not marked "not a duplicate", whose
 * other request is not closed (rejected or cancelled), each with why in words. The words name
 * what matched, never a value of it (no name, birthday or client id): they travel in the draft's
 * JSON and on the page, and a birthday is PHI.
 */
import { sql } from "drizzle-orm";
import type { DuplicateBasis, ReferralStatus } from "../../db/schema";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { STATUS_LABELS, formatShortDateTime } from "../format";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { CLOSED_STATUSES, checkDuplicates } from "../workflow/duplicates";

const log = logger("duplicates");

const closedList = sql.raw(CLOSED_STATUSES.map((s) => `'${s}'`).join(", "));

/** Why two requests look like the same one, in words ("Same agency client id; same service (PT); dates overlap"). */
export function duplicateWhy(p: {
  basis: DuplicateBasis;
  nameScore: number;
  discipline: string | null;
  sameAgency: boolean;
}): string {
  const client =
    p.basis === "agency_client_id"
      ? "Same agency client id"
      : `Same birthday and a close name (${Math.round(p.nameScore * 100)}% alike)${p.sameAgency ? "" : ", from another agency"}`;
  return `${client}; same service${p.discipline ? ` (${p.discipline})` : ""}; dates overlap`;
}

export type DuplicateView = {
  id: string;
  requestId: string;
  agencyName: string;
  status: ReferralStatus;
  statusLabel: string;
  received: string;
  why: string;
};

type Row = {
  id: string;
  request_id: string;
  agency_name: string;
  status: ReferralStatus;
  received_at: Date;
  basis: DuplicateBasis;
  name_score: number;
  discipline: string | null;
  same_agency: boolean;
};

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

async function readPairs(db: Db, referralId: string): Promise<Row[]> {
  if (!isUuid(referralId)) return [];
  const res =
    await db.execute<Row>(sql`select o.id, o.request_id, o.agency_name, o.status, o.received_at, d.basis, d.name_score,
      d.discipline, o.agency_org_id = r.agency_org_id as same_agency
    from referral_duplicates d
      join referral_requests r on r.id = d.referral_request_id
      join referral_requests o on o.id = d.other_id
    where d.referral_request_id = ${referralId} and d.dismissed_at is null and o.status not in (${closedList})
    order by o.received_at desc, o.id`);
  return res.rows;
}

const whyOf = (r: Row) =>
  duplicateWhy({ basis: r.basis, nameScore: r.name_score, discipline: r.discipline, sameAgency: r.same_agency });

/**
 * The request's possible duplicates as the draft lists them (`GET /api/referrals/{id}/draft`'s
 * `duplicates`): the other request's id and why. The caller has checked the reader's scope.
 */
export async function findDuplicates(db: Db, referralId: string): Promise<Array<{ referral_id: string; why: string }>> {
  return (await readPairs(db, referralId)).map((r) => ({ referral_id: r.id, why: whyOf(r) }));
}

/**
 * What the referral page shows. The request is checked again first (a request stored before
 * duplicates were checked gets its pairs here, and so does its queue row from then on); the
 * check writes only when what it finds differs from what is stored.
 */
export async function duplicatesOf(db: Db, actor: Actor, referralId: string): Promise<DuplicateView[]> {
  assertScope(actor, "referral:read");
  if (!isUuid(referralId)) return [];
  // The page does not fail for the check: a check that cannot finish shows what is stored.
  await checkDuplicates(db, referralId).catch((err: unknown) => log.warn(`duplicate check failed: ${errorBrief(err)}`));
  return (await readPairs(db, referralId)).map((r) => ({
    id: r.id,
    requestId: r.request_id,
    agencyName: r.agency_name,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status] ?? r.status,
    received: formatShortDateTime(r.received_at),
    why: whyOf(r),
  }));
}
