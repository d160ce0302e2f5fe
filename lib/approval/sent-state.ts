/**
 * What ACCloud holds of a referral: the approval, the submission and the authorization ids of the
 * last approve or update push that was sent. The change editor opens with it, an update's plan is
 * made against it, and the push runner compares with it.
 */
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { approvalRevisions, pushes, referralSubmissions } from "../../db/schema";
import type { TxDb } from "../db";
import type { TReferralRequest } from "../intake/schema";
import { ZApproval, type TApproval } from "./schema";

export type SentState = { approval: TApproval; payload: TReferralRequest; authorizationIds: number[] };

/** What ACCloud holds: the approval, submission and authorization ids of the last approve or update that was sent. */
export async function sentState(
  db: TxDb,
  referralId: string,
  exceptPushId?: string,
): Promise<(SentState & { revisionId: string; revision: number }) | null> {
  const [last] = await db
    .select({
      steps: pushes.steps,
      data: approvalRevisions.data,
      revisionId: approvalRevisions.id,
      revision: approvalRevisions.revision,
      payload: referralSubmissions.payload,
    })
    .from(pushes)
    .innerJoin(approvalRevisions, eq(approvalRevisions.id, pushes.approvalRevisionId))
    .innerJoin(referralSubmissions, eq(referralSubmissions.id, approvalRevisions.submissionId))
    .where(
      and(
        eq(pushes.referralRequestId, referralId),
        eq(pushes.status, "sent"),
        inArray(pushes.kind, ["approve", "update"]),
        exceptPushId ? ne(pushes.id, exceptPushId) : undefined,
      ),
    )
    .orderBy(desc(pushes.finishedAt))
    .limit(1);
  if (!last) return null;
  return {
    approval: ZApproval.parse(last.data),
    payload: last.payload,
    authorizationIds: (last.steps.authorizations?.accloudIds ?? []).map(Number),
    revisionId: last.revisionId,
    revision: last.revision,
  };
}
