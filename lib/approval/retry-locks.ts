/**
 * What each push step sends to ACCloud from the approval. A retry resumes at the failed step and
 * keeps what the finished steps created, so a correction may not change what a finished step
 * already sent: that would be silently lost. (Changes after sending are updates.)
 */
import { STEP_LABELS, type PushStepName } from "./push-steps";
import { canonical } from "../json/canonical";
import type { TApproval } from "./schema";

type ApprovalField = keyof TApproval;

export const STEP_INPUTS: Record<PushStepName, readonly ApprovalField[]> = {
  client: [],
  service: ["serviceCodeId", "funderId", "startDate", "endDate"],
  authorizations: ["startDate", "endDate", "authorizations", "caseManager"],
  referral: ["careType", "startDate", "endDate", "supplyPersonaId", "comment", "caseManager", "authorizations"],
  attachments: [],
  cleanup: [],
  cancel: [],
};

/** The approval fields a correction may not change, with the finished step that sent each. */
export function lockedFields(doneSteps: readonly PushStepName[]): Map<ApprovalField, PushStepName> {
  const out = new Map<ApprovalField, PushStepName>();
  for (const step of doneSteps) for (const f of STEP_INPUTS[step]) if (!out.has(f)) out.set(f, step);
  return out;
}

/** Field errors for a correction that changes what a finished step already sent; empty when allowed. */
export function correctionErrors(
  before: TApproval,
  after: TApproval,
  doneSteps: readonly PushStepName[],
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const [field, step] of lockedFields(doneSteps)) {
    if (canonical(before[field]) !== canonical(after[field])) {
      errors[field] = [
        `Already in ACCloud (step “${STEP_LABELS[step]}” is done): a retry cannot change it. Send the change as an update once the referral is sent.`,
      ];
    }
  }
  return errors;
}
