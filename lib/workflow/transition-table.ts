/**
 * The allowed-from table of transition() (transitions.ts): which change may happen in which
 * status, by whom, with which version and claim checks.
 */
import { referralStatus, type ReferralStatus } from "../../db/schema";
import type { Scope } from "../access/scopes";

export type TransitionName =
  | "claim"
  | "unassign"
  | "assign"
  | "reject"
  | "pending_info"
  | "reopen"
  | "save_draft"
  | "approve"
  | "retry"
  | "dismiss_amendment"
  | "change_approval"
  | "cancel"
  | "add_documents"
  | "confirm_same_person"
  | "continue_as_new_client"
  | "amend"
  | "agency_processed"
  | "agency_cancelled"
  | "push_started"
  | "push_retrying"
  | "push_sent"
  | "push_failed";

export const ALL_STATUSES: readonly ReferralStatus[] = referralStatus.enumValues;
/** Statuses a reviewer can still work on before a decision. */
export const WORKABLE: readonly ReferralStatus[] = ["new", "in_review", "pending_info"];
/** Statuses that follow a decision: an amendment arriving now is flagged, never absorbed. */
export const DECIDED: readonly ReferralStatus[] = [
  "approved",
  "pushing",
  "sent",
  "processed",
  "push_failed",
  "rejected",
  "cancelling",
  "cancelled",
];

export type Rule = {
  /** the statuses the change may start from */
  from: readonly ReferralStatus[];
  /** a user holding all of these scopes, or only the system (push worker, intake) */
  by: { scopes: readonly Scope[] } | "system";
  /** the version the user saw must still be the current one (optional: checked when given) */
  version: "required" | "optional";
  /** someone else's live claim refuses the change */
  claim: boolean;
  /** "cannot be …" in the refusal */
  verb: string;
};

/** The allowed-from table: the only place that says which change may happen in which status. */
// One transition per line, so the table reads as a table.
// prettier-ignore
export const TRANSITIONS: Record<TransitionName, Rule> = {
  claim: { from: WORKABLE, by: { scopes: ["referral:claim"] }, version: "optional", claim: true, verb: "claimed" },
  // Own claim with referral:claim, anyone's with referral:assign: the apply step decides.
  unassign: { from: ALL_STATUSES, by: { scopes: [] }, version: "optional", claim: false, verb: "unassigned" },
  assign: { from: WORKABLE, by: { scopes: ["referral:assign"] }, version: "optional", claim: false, verb: "assigned" },
  reject: { from: WORKABLE, by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "rejected" },
  pending_info: { from: ["new", "in_review"], by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "put on pending information" },
  reopen: { from: ["pending_info", "rejected"], by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "reopened" },
  save_draft: { from: WORKABLE, by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "given a draft approval" },
  approve: { from: WORKABLE, by: { scopes: ["referral:decide", "referral:push"] }, version: "required", claim: true, verb: "approved" },
  // push_failed: any failed push; sent / processed: a failed documents push (the referral itself is fine).
  retry: { from: ["push_failed", "sent", "processed"], by: { scopes: ["referral:decide", "referral:push"] }, version: "required", claim: true, verb: "retried" },
  dismiss_amendment: { from: DECIDED, by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "given an amendment note" },
  change_approval: { from: ["sent", "processed"], by: { scopes: ["referral:decide", "referral:push"] }, version: "required", claim: true, verb: "changed" },
  cancel: { from: ["sent", "processed", "push_failed"], by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "cancelled" },
  add_documents: { from: ["sent", "processed"], by: { scopes: ["referral:decide", "referral:push"] }, version: "required", claim: true, verb: "given documents" },
  // The two ways out of "different person" (lib/approval/different-person.ts); the apply step checks the mark.
  confirm_same_person: { from: DECIDED, by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "confirmed as the same person" },
  continue_as_new_client: { from: ["cancelled"], by: { scopes: ["referral:decide"] }, version: "required", claim: true, verb: "continued as a new client" },
  amend: { from: ALL_STATUSES, by: "system", version: "optional", claim: false, verb: "amended" },
  // What the agency did, read back from ACCloud by the sync.
  agency_processed: { from: ["sent"], by: "system", version: "optional", claim: false, verb: "marked processed" },
  agency_cancelled: { from: ["approved", "pushing", "sent", "processed", "push_failed", "cancelling"], by: "system", version: "optional", claim: false, verb: "cancelled by the agency" },
  // The push worker; PUSH_KIND_STATUS (lib/approval/push-steps.ts) narrows each kind of push further.
  push_started: { from: ["approved", "pushing", "cancelling", "sent", "processed"], by: "system", version: "optional", claim: false, verb: "pushed" },
  push_retrying: { from: ["pushing", "cancelling", "sent", "processed"], by: "system", version: "optional", claim: false, verb: "retried" },
  push_sent: { from: ["pushing", "cancelling", "sent", "processed"], by: "system", version: "optional", claim: false, verb: "marked sent" },
  push_failed: { from: ["approved", "pushing", "cancelling", "sent", "processed"], by: "system", version: "optional", claim: false, verb: "marked failed" },
};
