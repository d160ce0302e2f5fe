/**
 * Possible duplicates: a referral request for a client the app already knows (the same agency
 * and agency client id, or the same birthday and a close name in any agency) for the same service
 * over overlapping dates is "possibly the same request as" the other.
 *
 * When: checked after a request arrives or is amended, once that change has committed
 * (lib/intake/ingest.ts), and again when its page opens (so requests stored before this existed
 * get theirs). The pairs are stored (db/schema/duplicates.ts), both ways round: the queue reads a
 * row's pairs by its id, not a fuzzy search per row. Checking after the commit finds every pair:
 * of two requests arriving at once, the one whose change commits last is checked after both are
 * visible, and its check stores the pair for both.
 *
 * How: an index-backed candidate set (same agency + client id, or same birthday; overlapping
 * dates; newest first, at most CANDIDATE_LIMIT of each), then the fuzzy part in Node: the names
 * (lib/draft/match.ts sameClientLikely) and the services (disciplineOf: "Physical Therapy" = "PT").
 */
import { sql, type SQL } from "drizzle-orm";
import type { DuplicateBasis } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { hasScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db, TxDb } from "../db";
import { disciplineOf, disciplineWords, type Discipline } from "../form/discipline";
import { nameSimilarity, sameClientLikely } from "../draft/match";
import type { ActionResult } from "../validations/action-result";
import { forbiddenResult } from "./transitions";

/** Requests closed without being sent are nobody's duplicate (a resubmission after a rejection is the new attempt). */
export const CLOSED_STATUSES = ["rejected", "cancelling", "cancelled"] as const;
const closedList = sql.raw(CLOSED_STATUSES.map((s) => `'${s}'`).join(", "));
/** Candidates read per way of finding them (newest first): bounds a check whatever the data. */
export const CANDIDATE_LIMIT = 25;
/** Pairs kept per request (its newest look-alikes). */
export const MAX_PAIRS = 10;

/** What a check compares of a request. */
export type DuplicateSubject = {
  id: string;
  agencyOrgId: string;
  clientExternalId: number;
  firstName: string;
  lastName: string;
  birthday: string | null;
  service: string | null;
  serviceStart: string | null;
  serviceEnd: string | null;
  /** the request this one continues as a new client: another person by definition */
  continuesId: string | null;
};

export type DuplicateMatch = {
  otherId: string;
  basis: DuplicateBasis;
  nameScore: number;
  discipline: Discipline | null;
};

/**
 * Whether two services are the same: by discipline when both name one ("Physical Therapy" = "PT"),
 * by their words otherwise ("Wound vac" = "wound-vac"). A side that names no service cannot tell
 * the two apart: the same.
 */
export function sameService(
  a: string | null | undefined,
  b: string | null | undefined,
): { same: boolean; discipline: Discipline | null } {
  const wa = disciplineWords(a ?? "");
  const wb = disciplineWords(b ?? "");
  if (!wa.length || !wb.length) return { same: true, discipline: disciplineOf(a) ?? disciplineOf(b) };
  const da = disciplineOf(a);
  const db = disciplineOf(b);
  if (da && db) return { same: da === db, discipline: da === db ? da : null };
  return { same: wa.join(" ") === wb.join(" "), discipline: null };
}

/** The columns of a request that a check compares, as the check's read answers them. */
type RequestColumns = {
  id: string;
  agency_org_id: string;
  client_external_id: number;
  client_first_name: string;
  client_last_name: string;
  client_birthday: string | null;
  service_requested: string | null;
};

type CandidateRow = RequestColumns & {
  /** received_at in epoch milliseconds */
  at: number;
};

/**
 * A check's one read: the request's columns, its stored pairs, and its candidate set as JSON:
 * the requests of the same agency client id, and of the same birthday in any agency, each
 * through its index newest first, with overlapping service dates (an open end overlaps
 * everything), not closed, neither the request itself nor its continuation. The request's values
 * reach the candidates' subqueries as parameters (the `me` row), so each branch is an index
 * condition (the plan is checked in duplicates.test.ts); a missing birthday finds nothing.
 */
export function checkReadSql(id: string): SQL {
  const common = sql`r.id <> me.id
    and r.status not in (${closedList})
    and coalesce(r.service_start, '-infinity'::date) <= coalesce(me.service_end, 'infinity'::date)
    and coalesce(me.service_start, '-infinity'::date) <= coalesce(r.service_end, 'infinity'::date)
    and r.continues_id is distinct from me.id and r.id is distinct from me.continues_id`;
  const cols = sql`r.id, r.agency_org_id, r.client_external_id, r.client_first_name, r.client_last_name, r.client_birthday,
    r.service_requested, extract(epoch from r.received_at)::float8 * 1000 as at`;
  return sql`with me as (
      select id, agency_org_id, client_external_id, client_first_name, client_last_name, client_birthday,
        service_requested, service_start, service_end, continues_id
      from referral_requests where id = ${id})
    select me.*,
      (select json_agg(json_build_object('other', d.other_id, 'basis', d.basis, 'name_score', d.name_score, 'discipline', d.discipline))
         from referral_duplicates d where d.referral_request_id = me.id) as stored,
      (select json_agg(c) from (
        (select ${cols} from referral_requests r
          where r.agency_org_id = me.agency_org_id and r.client_external_id = me.client_external_id and ${common}
          order by r.received_at desc limit ${CANDIDATE_LIMIT})
        union
        (select ${cols} from referral_requests r
          where r.client_birthday = me.client_birthday and ${common}
          order by r.received_at desc limit ${CANDIDATE_LIMIT})) c) as candidates
    from me`;
}

/** The fuzzy part: which candidates are likely the same request as the subject, newest first. */
export function scoreCandidates(s: DuplicateSubject, candidates: readonly CandidateRow[]): DuplicateMatch[] {
  const me = { first: s.firstName, last: s.lastName, birthday: s.birthday };
  const out: Array<DuplicateMatch & { at: number }> = [];
  for (const c of candidates) {
    const service = sameService(s.service, c.service_requested);
    if (!service.same) continue;
    const other = { first: c.client_first_name, last: c.client_last_name, birthday: c.client_birthday };
    const nameScore = nameSimilarity(me, other);
    const sameClientId = c.agency_org_id === s.agencyOrgId && c.client_external_id === s.clientExternalId;
    const basis: DuplicateBasis | null = sameClientId
      ? "agency_client_id"
      : sameClientLikely(me, other)
        ? "birthday_name"
        : null;
    if (basis) out.push({ otherId: c.id, basis, nameScore, discipline: service.discipline, at: c.at });
  }
  return out
    .sort((a, b) => b.at - a.at || (a.otherId < b.otherId ? -1 : 1))
    .slice(0, MAX_PAIRS)
    .map((m) => ({ otherId: m.otherId, basis: m.basis, nameScore: m.nameScore, discipline: m.discipline }));
}

type StoredPair = { other: string; basis: string; name_score: number; discipline: string | null };
type Read = { subject: DuplicateSubject; stored: StoredPair[]; found: DuplicateMatch[] };

/** The request, its stored pairs (either way round: they are stored both ways) and what it matches now. */
async function readCheck(db: TxDb, id: string): Promise<Read | null> {
  const res = await db.execute<
    RequestColumns & {
      service_start: string | null;
      service_end: string | null;
      continues_id: string | null;
      stored: StoredPair[] | null;
      candidates: CandidateRow[] | null;
    }
  >(checkReadSql(id));
  const r = res.rows[0];
  if (!r) return null;
  const subject: DuplicateSubject = {
    id: r.id,
    agencyOrgId: r.agency_org_id,
    clientExternalId: r.client_external_id,
    firstName: r.client_first_name,
    lastName: r.client_last_name,
    birthday: r.client_birthday,
    service: r.service_requested,
    serviceStart: r.service_start,
    serviceEnd: r.service_end,
    continuesId: r.continues_id,
  };
  return { subject, stored: r.stored ?? [], found: scoreCandidates(subject, r.candidates ?? []) };
}

/** The possible duplicates of one request, computed now (reads only). */
export async function findDuplicateMatches(db: TxDb, id: string): Promise<DuplicateMatch[]> {
  return (await readCheck(db, id))?.found ?? [];
}

const sameSet = (stored: StoredPair[], found: DuplicateMatch[]) =>
  stored.length === found.length &&
  found.every((m) =>
    stored.some(
      (p) =>
        p.other === m.otherId &&
        p.basis === m.basis &&
        Math.abs(p.name_score - m.nameScore) < 1e-6 &&
        p.discipline === m.discipline,
    ),
  );

/**
 * Checks one request and stores what it finds, both ways round: new pairs are added, pairs it no
 * longer finds (an amendment moved the dates) are removed, unless a reviewer marked them "not a
 * duplicate" (that mark stays). Nothing is written when the stored pairs are already right (the
 * usual case: two reads and no transaction).
 *
 * A write locks every request it touches first (transaction-scoped advisory locks, in one order),
 * then reads again and writes with what it now finds: two checks that share a pair take turns
 * (no deadlock between their row locks, and the later one writes last, from what both stored).
 */
export async function checkDuplicates(db: TxDb, id: string): Promise<DuplicateMatch[]> {
  let read = await readCheck(db, id);
  if (!read) return [];
  if (sameSet(read.stored, read.found)) return read.found;
  let locked = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    locked = new Set([...locked, ...involved(id, read)]);
    const next = await db.transaction(async (tx) => {
      await tx.execute(sql`select count(pg_advisory_xact_lock(h)) from (
          select hashtextextended('referral-duplicates:' || x, 0) as h
          from unnest(string_to_array(${[...locked].join(",")}, ',')) x order by 1) k`);
      const again = await readCheck(tx, id);
      if (!again) return { read: null, done: true };
      // A request not locked joined in meanwhile: start over with it locked too (in order).
      if (involved(id, again).some((x) => !locked.has(x)) && attempt < 3) return { read: again, done: false };
      if (!sameSet(again.stored, again.found)) await writePairs(tx, id, again.found);
      return { read: again, done: true };
    });
    if (!next.read) return [];
    if (next.done) return next.read.found;
    read = next.read;
  }
}

/** The requests a write of `id`'s pairs touches. */
const involved = (id: string, read: Read) => [
  id,
  ...read.stored.map((p) => p.other),
  ...read.found.map((m) => m.otherId),
];

/** One statement: the pairs no longer found go (unless marked "not a duplicate"), the found ones are upserted. */
async function writePairs(tx: TxDb, id: string, found: DuplicateMatch[]): Promise<void> {
  const rows = found.map((m) => ({
    other: m.otherId,
    basis: m.basis,
    name_score: m.nameScore,
    discipline: m.discipline,
  }));
  await tx.execute(sql`with found as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as f(other uuid, basis text, name_score real, discipline text)),
    gone as (
      delete from referral_duplicates d where d.dismissed_at is null and (
        (d.referral_request_id = ${id} and d.other_id not in (select other from found))
        or (d.other_id = ${id} and d.referral_request_id not in (select other from found))))
    insert into referral_duplicates (referral_request_id, other_id, basis, name_score, discipline)
      select a, b, basis, name_score, discipline from (
        select ${id}::uuid as a, other as b, basis, name_score, discipline from found
        union all
        select other, ${id}::uuid, basis, name_score, discipline from found) p
      order by a, b
    on conflict (referral_request_id, other_id) do update
      set basis = excluded.basis, name_score = excluded.name_score, discipline = excluded.discipline`);
}

export type NotDuplicateInput = { referralId: string; otherId: string };

/**
 * A reviewer's "Not a duplicate" for a pair. Not a referral transition: it changes no status and
 * must not bump either referral's version (a reviewer approving one of the two at that moment
 * would get a conflict for something that changed nothing of theirs), the same reasoning as a
 * second review's verdict (lib/second-review/reviews.ts). It is its own guarded change instead:
 * both rows of the pair are locked, their state checked (marked once), and the mark and one audit
 * record per referral (each timeline says it) commit in ONE transaction. The mark sticks: later
 * checks never clear dismissed_at.
 */
export async function markNotDuplicate(db: Db, actor: Actor, input: NotDuplicateInput): Promise<ActionResult> {
  if (!hasScope(actor, "referral:decide")) return forbiddenResult("referral:decide");
  return db.transaction(async (tx) => {
    const locked = await tx.execute<{
      referral_request_id: string;
      other_id: string;
      basis: string;
      dismissed_at: string | null;
      dismissed_by: string | null;
      other_request_id: string;
    }>(sql`select d.referral_request_id, d.other_id, d.basis, d.dismissed_at::text, u.name as dismissed_by, o.request_id as other_request_id
      from referral_duplicates d
        join referral_requests o on o.id = d.other_id
        left join users u on u.id = d.dismissed_by_id
      where (d.referral_request_id, d.other_id) in ((${input.referralId}::uuid, ${input.otherId}::uuid), (${input.otherId}::uuid, ${input.referralId}::uuid))
      order by d.referral_request_id, d.other_id
      for update of d`);
    const mine = locked.rows.find((r) => r.referral_request_id === input.referralId);
    if (!mine)
      return {
        status: "failed" as const,
        message:
          "These two requests are no longer listed as possibly the same (an amendment changed one). Reload the page.",
      };
    if (mine.dismissed_at)
      return {
        status: "conflict" as const,
        message: `${mine.dismissed_by ?? "Another reviewer"} already marked these as not the same request.`,
      };
    await tx.execute(sql`update referral_duplicates set dismissed_at = now(), dismissed_by_id = ${actor.id}
      where (referral_request_id, other_id) in ((${input.referralId}::uuid, ${input.otherId}::uuid), (${input.otherId}::uuid, ${input.referralId}::uuid))`);
    const theirs = locked.rows.find((r) => r.referral_request_id === input.otherId);
    for (const [entityId, otherId, otherRequestId] of [
      [input.referralId, input.otherId, mine.other_request_id],
      ...(theirs ? [[input.otherId, input.referralId, theirs.other_request_id]] : []),
    ] as const)
      await recordAudit(tx, {
        actor,
        action: "review.not_duplicate",
        entityType: "referral_request",
        entityId,
        details: { otherId, otherRequestId, basis: mine.basis },
      });
    return {
      status: "success" as const,
      message: `Marked: not the same request as ${mine.other_request_id.slice(0, 8)}.`,
    };
  });
}
