/**
 * The app's copy of ACCloud's referral revisions (accloud_referral_revisions: the Revisions panel
 * reads it). Two writers: a push step queues a revision it made or found on its context, to be
 * written with its next statement (saveRevision in lib/push/context.ts), and the agency sync
 * (lib/worker/agency-sync.ts) records what it read back at once (recordRevision). Nothing here
 * knows a push's context, so both can use it.
 */
import { sql, type SQL } from "drizzle-orm";
import { accloudReferralRevisions } from "../../db/schema";
import type { TReferralDetail } from "../accloud/schemas";
import type { Db } from "../db";

type Revision = {
  revision_group_id: string;
  revision_number: number;
  is_latest_revision?: boolean;
  revision_reasons?: string[] | null;
  revision_comment?: string | null;
};

/** A referral as ACCloud answers it, with the revision it is (absent or null on answers without one). */
export type RevisedReferral = { referral: TReferralDetail["referral"]; revision?: Revision | null };

/** The i-th of a statement's data-modifying CTEs, named w<i> (also the push's pending writes, lib/push/context.ts). */
export const asCte = (write: SQL, i: number) => sql`${sql.raw(`w${i}`)} as (${write})`;

/**
 * The app's copy of one of ACCloud's revisions (the Revisions panel reads it), as statements that
 * can run as the CTEs of one: the revision's upsert and, for the latest, the others no longer latest.
 */
export function revisionWrites(db: Db, referralId: string, r: RevisedReferral, cancelledBy: string | null): SQL[] {
  if (!r.revision) return [];
  const values = {
    referralRequestId: referralId,
    revisionGroupId: r.revision.revision_group_id,
    revisionNumber: r.revision.revision_number,
    accloudReferralId: r.referral.id,
    status: r.referral.status,
    isLatest: r.revision.is_latest_revision ?? true,
    reasons: r.revision.revision_reasons ?? [],
    revisionComment: r.revision.revision_comment ?? null,
    cancelReasonCode: r.referral.reason_code ?? null,
    cancelledBy,
    accloudCreatedAt: r.referral.created_at,
  };
  const upsert = db
    .insert(accloudReferralRevisions)
    .values(values)
    .onConflictDoUpdate({
      target: [accloudReferralRevisions.referralRequestId, accloudReferralRevisions.revisionNumber],
      set: { ...values, syncedAt: sql`now()` },
    })
    .getSQL();
  // In one statement the update does not see the upserted row, and does not touch it either.
  const others = sql`update accloud_referral_revisions set is_latest = false where referral_request_id = ${referralId} and revision_number <> ${values.revisionNumber} and is_latest`;
  return values.isLatest ? [upsert, others] : [upsert];
}

/** Records one of ACCloud's revisions now (the agency sync), in one statement. */
export async function recordRevision(
  db: Db,
  referralId: string,
  r: RevisedReferral,
  cancelledBy: string | null = null,
) {
  const writes = revisionWrites(db, referralId, r, cancelledBy);
  if (writes.length) await db.execute(sql`with ${sql.join(writes.map(asCte), sql`, `)} select 1`);
}
