/**
 * Reads everything a referral's draft is made from and makes it (lib/draft/draft.ts): the
 * referral and its submission's form, ACCloud's reference data (funders that are not disabled,
 * service codes), the history of past approvals as of a moment (lib/draft/history/read.ts), the order's stored
 * check (lib/referrals/order-checks.ts) and the possible duplicates (lib/referrals/duplicates.ts).
 * The caller checks the reader's scope.
 */
import "server-only";
import { eq } from "drizzle-orm";
import { referralRequests, referralSubmissions } from "../../db/schema";
import { getReferenceData } from "../accloud/reference-data";
import type { Db } from "../db";
import type { FormFieldLike } from "../form/mapping";
import { findDuplicates } from "../referrals/duplicates";
import { readOrderView } from "../referrals/order-checks";
import { buildDraft, draftKeys, type OrderCheck } from "../draft/draft";
import type { Draft } from "../draft/types";
import { readDraftHistory } from "../draft/history/read";

export type DraftRow = {
  id: string;
  status: string;
  version: number;
  agencyOrgId: string;
  agencyName: string;
  clientFirstName: string;
  clientLastName: string;
  clientTimezone: string;
};

/** The referral's columns an approval is drafted from and checked against (the approval panel reads it too); null when there is no such referral. */
export async function readApprovalRow(db: Db, referralId: string) {
  const [row] = await db
    .select({
      id: referralRequests.id,
      status: referralRequests.status,
      version: referralRequests.version,
      agencyOrgId: referralRequests.agencyOrgId,
      agencyName: referralRequests.agencyName,
      clientExternalId: referralRequests.clientExternalId,
      clientFirstName: referralRequests.clientFirstName,
      clientLastName: referralRequests.clientLastName,
      clientTimezone: referralRequests.clientTimezone,
      serviceStart: referralRequests.serviceStart,
      serviceEnd: referralRequests.serviceEnd,
      amendedAfterDecisionAt: referralRequests.amendedAfterDecisionAt,
      differentPersonAt: referralRequests.differentPersonAt,
      identitySubmissionId: referralRequests.identitySubmissionId,
      latestSubmissionId: referralRequests.latestSubmissionId,
    })
    .from(referralRequests)
    .where(eq(referralRequests.id, referralId));
  return row ?? null;
}

export type ReadDraftOptions = {
  /** draft from the history before this moment (default: now) */
  asOf?: Date;
  /** the submission to draft (default: the latest); its form's own dates are used */
  submissionId?: string;
  /** read the order's check and the duplicates (default true; a replay of the past leaves them out) */
  signals?: boolean;
};

/** The draft of a referral with the row it was made for; null when there is no such referral. */
export async function readDraft(
  db: Db,
  referralId: string,
  opts: ReadDraftOptions = {},
): Promise<{ draft: Draft; row: DraftRow } | null> {
  const r = await readApprovalRow(db, referralId);
  if (!r) return null;
  const submissionId = opts.submissionId ?? r.latestSubmissionId;
  const [sub] = submissionId
    ? await db
        .select({ payload: referralSubmissions.payload })
        .from(referralSubmissions)
        .where(eq(referralSubmissions.id, submissionId))
    : [];
  const form = (sub?.payload as { form_data?: { fields?: FormFieldLike[]; form_schema_id?: string } } | undefined)
    ?.form_data;
  const fields = form?.fields ?? [];
  const formSchemaId = form?.form_schema_id ?? null;
  const keys = draftKeys(fields, formSchemaId);
  const latest = submissionId === r.latestSubmissionId;
  const signals = opts.signals ?? true;
  const [reference, history, orderView, duplicates] = await Promise.all([
    getReferenceData(db),
    readDraftHistory(db, {
      referralId,
      agencyOrgId: r.agencyOrgId,
      agencyName: r.agencyName,
      clientExternalId: r.clientExternalId,
      insurerName: keys.insurerName,
      serviceRequested: keys.serviceRequested,
      asOf: opts.asOf,
    }),
    signals ? readOrderView(db, referralId) : null,
    signals ? findDuplicates(db, referralId) : [],
  ]);
  const checks: OrderCheck[] | null = orderView?.status === "done" && latest ? orderView.checks : null;
  const draft = buildDraft({
    fields,
    formSchemaId,
    serviceStart: latest ? r.serviceStart : null,
    serviceEnd: latest ? r.serviceEnd : null,
    reference: {
      funders: reference.funders.filter((f) => f.status !== "disabled").map((f) => ({ id: f.id, name: f.name })),
      serviceCodes: reference.serviceCodes.map((c) => ({ id: c.id, name: c.name })),
    },
    history,
    checks,
    duplicates,
  });
  return { draft, row: r };
}
