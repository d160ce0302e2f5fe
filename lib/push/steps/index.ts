/**
 * The steps of a push, one ACCloud call (or a few) each, by kind: which implementation runs each
 * step name of the vocabulary (lib/approval/push-steps.ts, STEPS_OF_KIND, which also fixes their
 * order). Each step is a file of lib/push/steps/; what they share (the push's context, its links
 * and pending writes) is lib/push/context.ts. Every ACCloud id is saved the moment it returns, and
 * before creating anything on a retry a step looks for its earlier work, so a crash, a timeout or
 * an answer lost after ACCloud applied the call never creates a second entity (the README's
 * "Push design" explains each lookup).
 *
 *   approve:   client → service → authorizations → referral (create) → attachments
 *   update:    client (PUT if changed) → service (PUT if changed) → authorizations (keep, PUT, or
 *              create the replacement) → referral (update: a new revision) → attachments →
 *              cleanup (delete the replaced authorizations, once no live revision carries them)
 *   cancel:    cancel
 *   documents: attachments
 */
import type { PushKind } from "../../../db/schema";
import type { PushStepName } from "../../approval/push-steps";
import type { Step } from "../context";
import { stepAttachments } from "./attachments";
import { stepAuthorizations } from "./authorizations";
import { stepCancel } from "./cancel";
import { stepCleanup } from "./cleanup";
import { stepClient } from "./client";
import { createReferral, updateReferral } from "./referral";
import { stepService } from "./service";

/** Each kind's steps (their order is the vocabulary's, lib/approval/push-steps.ts). */
const STEPS: Record<PushKind, Partial<Record<PushStepName, Step>>> = {
  approve: {
    client: stepClient,
    service: stepService,
    authorizations: stepAuthorizations,
    referral: createReferral,
    attachments: stepAttachments,
  },
  update: {
    client: stepClient,
    service: stepService,
    authorizations: stepAuthorizations,
    referral: updateReferral,
    attachments: stepAttachments,
    cleanup: stepCleanup,
  },
  cancel: { cancel: stepCancel },
  documents: { attachments: stepAttachments },
};

export function stepOf(kind: PushKind, name: PushStepName): Step {
  const step = STEPS[kind][name];
  if (!step) throw new Error(`a ${kind} push has no step ${name}`);
  return step;
}
