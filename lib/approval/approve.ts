/**
 * Approval decisions, on the one transition path (lib/workflow/transitions.ts). Approve stores
 * the decision, pins the submission it approved, creates the push and enqueues its job in ONE
 * transaction, so an approval is never lost and never pushed without being recorded.
 */
// Not "server-only": the launcher's demo seeding (scripts/start.ts, plain Node) approves through it
// (lib/demo/earlier-decisions.ts). The browser takes only its types.
import { and, desc, eq, max } from "drizzle-orm";
import { approvalRevisions, pushes, type PushInput, type PushKind } from "../../db/schema";
import { getReferenceData } from "../accloud/reference-data";
import { type Actor } from "../access/actors";
import { type Db, type TxDb } from "../db";
import { canonical } from "../json/canonical";
import { drawSecondReview } from "../second-review/reviews";
import { changesDatesOrLimits } from "./plan";
import {
  checkTransitionScopes,
  invalidResult,
  refuse,
  transition,
  type LockedReferral,
  type TransitionResult,
} from "../workflow/transitions";
import { refuseIfDifferentPerson } from "../workflow/different-person";
import { decidedBy } from "../workflow/decided";
import { fieldErrorsOf } from "../validations/decisions";
import { PUSH_KIND_STATUS } from "./push-steps";
import { stepsFor, stepNamesOf } from "./push-steps";
import { correctionErrors } from "./retry-locks";
import { ZApproval, ZApprovalDraft, type TApproval } from "./schema";
import { recordChoice } from "../draft/history/record";

// The push's progress and the latest revision are read from progress.ts; importers of this file still find them here.
export { getLatestApproval, getPushProgress, type PushProgress } from "./progress";

/** What a change to one referral names: the referral and the version the reviewer saw. */
export type OnReferral<T = object> = { referralId: string; version: number } & T;
/** The editor's approval, parsed here (the editor's zod schema is the one the server applies). */
export type ApproveInput = OnReferral<{ approval: unknown }>;
/** The editor's content as it stands, complete or not. */
export type DraftInput = OnReferral<{ data: unknown }>;
/** A retry, with the approval corrected or without it. */
export type RetryInput = OnReferral<{ approval?: unknown }>;
/** A decision that queues a push answers with the push's id. */
export type PushResult = TransitionResult<{ pushId?: string }>;

/** Checks against ACCloud's reference data (cached): supplier in the trusted network, code and funder known. */
export async function checkAgainstReferenceData(db: Db, a: TApproval): Promise<Record<string, string[]>> {
  const ref = await getReferenceData(db);
  const errors: Record<string, string[]> = {};
  if (!ref.lastSuccessfulRefresh)
    return { _form: ["ACCloud reference data has not been loaded yet; try again in a minute"] };
  if (!ref.suppliers.some((s) => s.id.toLowerCase() === a.supplyPersonaId.toLowerCase())) {
    errors.supplyPersonaId = ["This agency is not in CSI's trusted network in ACCloud"];
  }
  if (!ref.serviceCodes.some((c) => c.id === a.serviceCodeId)) errors.serviceCodeId = ["Unknown service code"];
  if (!ref.funders.some((f) => f.id === a.funderId)) errors.funderId = ["Unknown funder"];
  return errors;
}

/** Validates an approval the way approve and retry both need it: schema, then reference data. */
async function validApproval(
  db: Db,
  input: unknown,
): Promise<{ approval: TApproval } | { result: TransitionResult<{ pushId?: string }> }> {
  const parsed = ZApproval.safeParse(input);
  if (!parsed.success) return { result: invalidResult(fieldErrorsOf(parsed.error)) };
  const refErrors = await checkAgainstReferenceData(db, parsed.data);
  if (Object.keys(refErrors).length)
    return { result: invalidResult(refErrors, refErrors._form?.[0] ?? "Some fields do not match ACCloud.") };
  return { approval: parsed.data };
}

/** The referral goes back to the agency that asked: approve and retry check it the same way. */
function assertRequestingAgency(a: TApproval, row: LockedReferral): void {
  if (a.supplyPersonaId.toLowerCase() !== row.agencyOrgId.toLowerCase()) {
    refuse.invalid({ supplyPersonaId: ["The referral goes back to the requesting agency"] });
  }
}

export async function nextRevisionNumber(tx: TxDb, referralId: string): Promise<number> {
  const [r] = await tx
    .select({ n: max(approvalRevisions.revision) })
    .from(approvalRevisions)
    .where(eq(approvalRevisions.referralRequestId, referralId));
  return (r?.n ?? 0) + 1;
}

/** A new push of `kind` for an approval revision, queued with every step waiting; answers its id. */
export async function queuePush(
  tx: TxDb,
  actor: Actor,
  push: { referralId: string; revisionId: string; kind: PushKind; input?: PushInput },
): Promise<string> {
  const [row] = await tx
    .insert(pushes)
    .values({
      referralRequestId: push.referralId,
      approvalRevisionId: push.revisionId,
      kind: push.kind,
      status: "queued",
      steps: stepsFor(push.kind),
      input: push.input,
      createdById: actor.id,
    })
    .returning({ id: pushes.id });
  return row!.id;
}

export async function approveReferral(db: Db, actor: Actor, input: ApproveInput): Promise<PushResult> {
  const denied = checkTransitionScopes("approve", actor);
  if (denied) return denied;
  const valid = await validApproval(db, input.approval);
  if ("result" in valid) return valid.result;
  const approval = valid.approval;

  return transition(db, actor, {
    name: "approve",
    id: input.referralId,
    version: input.version,
    apply: async ({ tx, row }) => {
      assertRequestingAgency(approval, row);
      if (!row.latestSubmissionId) throw new Error("referral request without a submission");
      // A referral whose ACCloud client already stands for a person approves no one else onto it.
      await refuseIfDifferentPerson(tx, row);
      const now = new Date();
      const [draft] = await tx
        .select({ id: approvalRevisions.id, revision: approvalRevisions.revision })
        .from(approvalRevisions)
        .where(and(eq(approvalRevisions.referralRequestId, row.id), eq(approvalRevisions.state, "draft")))
        .orderBy(desc(approvalRevisions.revision))
        .limit(1);
      const pinned = {
        state: "approved" as const,
        kind: "approve" as const,
        data: approval,
        submissionId: row.latestSubmissionId,
        approvedById: actor.id,
        approvedAt: now,
        updatedAt: now,
      };
      let revision: { id: string; revision: number };
      if (draft) {
        await tx.update(approvalRevisions).set(pinned).where(eq(approvalRevisions.id, draft.id));
        revision = draft;
      } else {
        const number = await nextRevisionNumber(tx, row.id);
        const [rev] = await tx
          .insert(approvalRevisions)
          .values({ referralRequestId: row.id, revision: number, createdById: actor.id, ...pinned })
          .returning({ id: approvalRevisions.id, revision: approvalRevisions.revision });
        revision = rev!;
      }
      // What the reviewer chose becomes the draft's history (lib/draft/history/).
      await recordChoice(tx, {
        referralId: row.id,
        revisionId: revision.id,
        submissionId: row.latestSubmissionId,
        approvedAt: now,
        choice: approval,
      });
      const pushId = await queuePush(tx, actor, { referralId: row.id, revisionId: revision.id, kind: "approve" });
      // A share of approvals is drawn at random for a supervisor's second review (lib/second-review/reviews.ts); the approval's record says so.
      const secondReview = await drawSecondReview(tx, {
        referralId: row.id,
        revisionId: revision.id,
        approvedById: actor.id,
      });
      return {
        to: "approved",
        set: {
          ...decidedBy(actor, row, now),
          slaPausedAt: null,
          // The person the push's client step sends: later amendments are compared with it (lib/form/identity.ts).
          identitySubmissionId: row.identitySubmissionId ?? row.latestSubmissionId,
        },
        audit: {
          action: "referral.approved",
          details: {
            revision: revision.revision,
            submission: row.submissionCount,
            pushId,
            authorizations: approval.authorizations.length,
            startDate: approval.startDate,
            endDate: approval.endDate,
            serviceCodeId: approval.serviceCodeId,
            funderId: approval.funderId,
            ...secondReview,
          },
        },
        enqueue: { pushId },
        message: "Approved: sending to ACCloud",
        data: { pushId },
      };
    },
  });
}

/** Saves the editor's content without approving (a draft may be incomplete); the version moves like any change. */
export async function saveApprovalDraft(db: Db, actor: Actor, input: DraftInput): Promise<PushResult> {
  const denied = checkTransitionScopes("save_draft", actor);
  if (denied) return denied;
  const draft = ZApprovalDraft.safeParse(input.data);
  if (!draft.success) return invalidResult(fieldErrorsOf(draft.error), "The draft could not be saved.");
  return transition(db, actor, {
    name: "save_draft",
    id: input.referralId,
    version: input.version,
    apply: async ({ tx, row }) => {
      const [last] = await tx
        .select({ id: approvalRevisions.id })
        .from(approvalRevisions)
        .where(and(eq(approvalRevisions.referralRequestId, row.id), eq(approvalRevisions.state, "draft")))
        .limit(1);
      // Stored in the approval's shape, possibly incomplete (the column's note): drafts are read through ZApprovalDraft.
      const data = draft.data as TApproval;
      let revision: number;
      if (last) {
        const [u] = await tx
          .update(approvalRevisions)
          .set({ data, updatedAt: new Date() })
          .where(eq(approvalRevisions.id, last.id))
          .returning({ revision: approvalRevisions.revision });
        revision = u!.revision;
      } else {
        revision = await nextRevisionNumber(tx, row.id);
        await tx
          .insert(approvalRevisions)
          .values({ referralRequestId: row.id, revision, state: "draft", data, createdById: actor.id });
      }
      return { audit: { action: "approval.draft_saved", details: { revision } }, message: "Draft saved.", data: {} };
    },
  });
}

/**
 * Retries a failed push from its failed step (finished steps keep their ACCloud ids). With
 * corrected data, a new approval revision (kind "correction") replaces the approved one and a new
 * push carries on from the same step; the approved revision itself is never rewritten. Either way
 * the approval goes to the requesting agency and pins the submission that was approved.
 */
export async function retryPush(db: Db, actor: Actor, input: RetryInput): Promise<PushResult> {
  const denied = checkTransitionScopes("retry", actor);
  if (denied) return denied;
  let corrected: TApproval | undefined;
  if (input.approval !== undefined) {
    const valid = await validApproval(db, input.approval);
    if ("result" in valid) return valid.result;
    corrected = valid.approval;
  }
  return transition(db, actor, {
    name: "retry",
    id: input.referralId,
    version: input.version,
    apply: async ({ tx, row }) => {
      const [push] = await tx
        .select()
        .from(pushes)
        .where(eq(pushes.referralRequestId, row.id))
        .orderBy(desc(pushes.createdAt))
        .limit(1);
      if (push?.status !== "failed" || !push.approvalRevisionId) refuse.conflict("There is no failed push to retry.");
      // A failed documents push leaves the referral sent or processed; any other failed push makes it "push failed".
      if ((push!.kind === "documents") !== (row.status !== "push_failed"))
        refuse.conflict("There is no failed push to retry.");
      if (corrected && (push!.kind === "cancel" || push!.kind === "documents"))
        refuse.invalid({
          _form: [`A failed ${push!.kind} push is retried as it is: there is no approval to correct.`],
        });
      const [approved] = await tx
        .select()
        .from(approvalRevisions)
        .where(eq(approvalRevisions.id, push!.approvalRevisionId!));
      if (!approved) throw new Error("push without its approval revision");
      const before = ZApproval.parse(approved.data);
      const changed = corrected !== undefined && canonical(corrected) !== canonical(before);
      assertRequestingAgency(changed ? corrected! : before, row);

      const now = new Date();
      const reset = Object.fromEntries(
        Object.entries(push!.steps).map(([k, v]) => [
          k,
          v.status === "done" ? v : { ...v, status: "waiting" as const, error: null },
        ]),
      );
      let pushId = push!.id;
      let correction: number | null = null;
      let secondReview: Awaited<ReturnType<typeof drawSecondReview>> = {};
      if (changed) {
        const done = stepNamesOf(push!.kind).filter((s) => push!.steps[s]?.status === "done");
        const locked = correctionErrors(before, corrected!, done);
        if (Object.keys(locked).length)
          refuse.invalid(locked, "Part of this approval is already in ACCloud and cannot change in a retry.");
        correction = await nextRevisionNumber(tx, row.id);
        const [rev] = await tx
          .insert(approvalRevisions)
          .values({
            referralRequestId: row.id,
            revision: correction,
            state: "approved",
            kind: "correction",
            data: corrected!,
            submissionId: approved.submissionId,
            supersedesId: approved.id,
            // An update's correction still tells the agency why it changes.
            reasons: approved.reasons,
            revisionComment: approved.revisionComment,
            createdById: actor.id,
            approvedById: actor.id,
            approvedAt: now,
          })
          .returning({ id: approvalRevisions.id });
        await tx
          .update(approvalRevisions)
          .set({ state: "superseded", updatedAt: now })
          .where(eq(approvalRevisions.id, approved.id));
        await recordChoice(tx, {
          referralId: row.id,
          revisionId: rev!.id,
          submissionId: approved.submissionId,
          approvedAt: now,
          choice: corrected!,
        });
        const [next] = await tx
          .insert(pushes)
          .values({
            referralRequestId: row.id,
            approvalRevisionId: rev!.id,
            kind: push!.kind,
            status: "queued",
            steps: reset,
            createdById: actor.id,
          })
          .returning({ id: pushes.id });
        pushId = next!.id;
        // New dates or limits are drawn for a second review like a first approval (lib/second-review/reviews.ts).
        if (changesDatesOrLimits(before, corrected!))
          secondReview = await drawSecondReview(tx, {
            referralId: row.id,
            revisionId: rev!.id,
            approvedById: actor.id,
          });
      } else {
        await tx
          .update(pushes)
          .set({ status: "queued", steps: reset, lastError: null, finishedAt: null, updatedAt: now })
          .where(eq(pushes.id, push!.id));
      }
      return {
        to: push!.kind === "documents" ? row.status : PUSH_KIND_STATUS[push!.kind].waiting[0],
        audit: {
          action: "push.retried",
          details: {
            pushId,
            kind: push!.kind,
            previousPushId: changed ? push!.id : undefined,
            revision: correction ?? approved.revision,
            corrected: changed,
            ...secondReview,
          },
        },
        enqueue: { pushId },
        message: changed ? `Corrected as revision ${correction}; retrying the push` : "Retrying the push",
        data: { pushId },
      };
    },
  });
}
