/**
 * The draft's history is written here: what an approved revision chose, as the referral's row of
 * approval_choices (db/schema/draft.ts), in the transaction that approves it.
 */
import { eq, sql } from "drizzle-orm";
import { approvalChoices, referralRequests, referralSubmissions } from "../../../db/schema";
import type { TxDb } from "../../db";
import { draftKeys } from "../draft";
import { cleanCaseManager } from "../suggest";
import type { CareType } from "../types";

/** What an approved revision chose, as the history keeps it. */
export type Choice = {
  careType: CareType;
  serviceCodeId: number;
  funderId: number;
  caseManager: { name: string; phone?: string | null; fax?: string | null; email?: string | null };
};

/**
 * Records what an approved revision chose as the referral's history row (replacing an earlier
 * one: a correction or an update is the choice ACCloud has now). Keyed by the approved
 * submission's form values; run in the transaction that approves.
 */
export async function recordChoice(
  tx: TxDb,
  input: { referralId: string; revisionId: string; submissionId: string | null; approvedAt: Date; choice: Choice },
): Promise<void> {
  const [row] = await tx
    .select({
      agencyOrgId: referralRequests.agencyOrgId,
      clientExternalId: referralRequests.clientExternalId,
      payload: referralSubmissions.payload,
    })
    .from(referralRequests)
    .leftJoin(
      referralSubmissions,
      eq(referralSubmissions.id, sql`coalesce(${input.submissionId}::uuid, ${referralRequests.latestSubmissionId})`),
    )
    .where(eq(referralRequests.id, input.referralId));
  if (!row) throw new Error("recordChoice: no such referral request");
  const form = (row.payload as { form_data?: { fields?: []; form_schema_id?: string } } | null)?.form_data;
  const keys = draftKeys(form?.fields ?? [], form?.form_schema_id ?? null);
  const values = {
    approvalRevisionId: input.revisionId,
    approvedAt: input.approvedAt,
    agencyOrgId: row.agencyOrgId,
    clientExternalId: row.clientExternalId,
    insurerName: keys.insurerName,
    serviceRequested: keys.serviceRequested,
    careType: input.choice.careType,
    serviceCodeId: input.choice.serviceCodeId,
    funderId: input.choice.funderId,
    caseManager: cleanCaseManager(input.choice.caseManager),
  };
  await tx
    .insert(approvalChoices)
    .values({ referralRequestId: input.referralId, ...values })
    .onConflictDoUpdate({ target: approvalChoices.referralRequestId, set: values });
}
