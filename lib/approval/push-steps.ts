/**
 * The vocabulary of a push, in one place: its kinds' steps in order, the referral's status around
 * each kind, and the words for both. The runner (lib/push/) implements the steps; the approval
 * services, the pages and the timeline speak of them. Plain module (types only from the schema),
 * safe in client components.
 */
import type { PushKind, PushStepState, ReferralStatus } from "../../db/schema";

/** Every step any kind of push runs (an update also removes the authorizations it replaced; a cancel only cancels). */
export const PUSH_STEP_NAMES = [
  "client",
  "service",
  "authorizations",
  "referral",
  "attachments",
  "cleanup",
  "cancel",
] as const;
export type PushStepName = (typeof PUSH_STEP_NAMES)[number];

/** The steps of each kind of push, in the order they run. */
export const STEPS_OF_KIND: Record<PushKind, readonly PushStepName[]> = {
  approve: ["client", "service", "authorizations", "referral", "attachments"],
  update: ["client", "service", "authorizations", "referral", "attachments", "cleanup"],
  cancel: ["cancel"],
  documents: ["attachments"],
};

export const stepNamesOf = (kind: PushKind): readonly PushStepName[] => STEPS_OF_KIND[kind];

/** A new push's step record: every step of its kind, waiting. */
export const stepsFor = (kind: PushKind): Record<string, PushStepState> =>
  Object.fromEntries(stepNamesOf(kind).map((s) => [s, { status: "waiting", attempts: 0 }]));

/**
 * The referral's status around a push of each kind: while it waits, while it runs, once sent.
 * null: the status does not change (documents added to a sent referral leave it sent or processed).
 */
export const PUSH_KIND_STATUS: Record<
  PushKind,
  {
    waiting: readonly ReferralStatus[];
    running: ReferralStatus | null;
    sent: ReferralStatus | null;
    failed: ReferralStatus | null;
  }
> = {
  approve: { waiting: ["approved", "pushing"], running: "pushing", sent: "sent", failed: "push_failed" },
  update: { waiting: ["approved", "pushing"], running: "pushing", sent: "sent", failed: "push_failed" },
  cancel: { waiting: ["cancelling"], running: "cancelling", sent: "cancelled", failed: "push_failed" },
  documents: { waiting: ["sent", "processed"], running: null, sent: null, failed: null },
};

export const STEP_LABELS: Record<PushStepName, string> = {
  client: "Client",
  service: "Service",
  authorizations: "Authorizations",
  referral: "Referral approval",
  attachments: "Documents",
  cleanup: "Replaced authorizations removed",
  cancel: "Cancellation",
};

/** What a push that went through did, in words: a heading and what it means for the agency. */
const SENT: Record<PushKind, { title: string; effect: string }> = {
  approve: { title: "Sent to ACCloud", effect: "the agency has the referral" },
  update: { title: "Update sent to ACCloud", effect: "the agency has the new revision" },
  cancel: { title: "Cancelled in ACCloud", effect: "the agency sees the cancellation" },
  documents: { title: "Documents sent to ACCloud", effect: "the agency can open them there" },
};

export const pushSentWords = (kind: unknown) => SENT[String(kind) as PushKind] ?? SENT.approve;
