/**
 * A referral's draft as the approval takes it: the draft (lib/approval/read-draft.ts), the
 * editor's starting values made from it (prefill.ts), and the approval's own checks run over
 * those values. A draft is complete only when the approval would accept it as it is: every
 * required value has a source, no check of the order disagrees, no duplicate is flagged, and the
 * schema and ACCloud's reference data (trusted network, code, funder) accept the values.
 */
import "server-only";
import { z } from "zod";
import { assertScope } from "../access/scopes";
import type { Actor } from "../access/actors";
import type { Db } from "../db";
import { recordReferralView } from "../referrals/audited-view";
import { readDraft, type DraftRow, type ReadDraftOptions } from "./read-draft";
import type { Draft } from "../draft/types";
import { fieldErrorsOf } from "../validations/decisions";
import { checkAgainstReferenceData } from "./approve";
import { editorSources, editorValues, type EditorSources } from "./prefill";
import { ZApproval, type TApproval, type TApprovalInput } from "./schema";

export type DraftedApproval = {
  draft: Draft;
  row: DraftRow;
  /** the editor's starting values */
  values: TApprovalInput;
  sources: EditorSources;
  /** the values as the approval parses them, when it accepts them */
  approval: TApproval | null;
};

/** The draft of a referral with its editor values and the approval's checks; null when there is no such referral. */
export async function draftApproval(
  db: Db,
  referralId: string,
  opts: ReadDraftOptions = {},
): Promise<DraftedApproval | null> {
  const read = await readDraft(db, referralId, opts);
  if (!read) return null;
  const { draft, row } = read;
  const values = editorValues(draft, row.agencyOrgId);
  const parsed = ZApproval.safeParse(values);
  let invalid: Draft["invalid"] = [];
  let approval: TApproval | null = null;
  if (!parsed.success) {
    invalid = Object.entries(fieldErrorsOf(parsed.error)).map(([field, messages]) => ({
      field,
      message: messages[0]!,
    }));
  } else {
    const refused = await checkAgainstReferenceData(db, parsed.data);
    invalid = Object.entries(refused).map(([field, messages]) => ({ field, message: messages[0]! }));
    if (!invalid.length) approval = parsed.data;
  }
  // A value without a source is "missing", not also "invalid".
  const missingFields = new Set(draft.missing.map(editorFieldOf));
  invalid = invalid.filter((i) => ![...missingFields].some((m) => i.field === m || i.field.startsWith(`${m}.`)));
  const complete = draft.complete && invalid.length === 0;
  return {
    draft: { ...draft, invalid, complete },
    row,
    values,
    sources: editorSources(draft),
    approval: complete ? approval : null,
  };
}

/** The editor field a missing draft value stands for ("funder_id" → "funderId"). */
function editorFieldOf(missing: string): string {
  const known: Record<string, string> = {
    care_type: "careType",
    service_code_id: "serviceCodeId",
    funder_id: "funderId",
    start_date: "startDate",
    end_date: "endDate",
    rules: "authorizations",
    "case_manager.name": "caseManager.name",
  };
  return known[missing] ?? missing;
}

/**
 * `GET /api/referrals/{id}/draft`: the draft for a reader (referral:read), its read audited as a
 * view of the referral. null when there is no such referral.
 */
export async function getReferralDraft(db: Db, actor: Actor, referralId: string): Promise<Draft | null> {
  assertScope(actor, "referral:read");
  if (!z.uuid().safeParse(referralId).success) return null;
  const drafted = await draftApproval(db, referralId);
  if (!drafted) return null;
  await recordReferralView(db, actor, referralId, "draft");
  return drafted.draft;
}
