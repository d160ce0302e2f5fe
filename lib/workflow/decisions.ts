/**
 * Changes that need no ACCloud: claim / assign / unassign, reject, pending information, reopen,
 * and dismissing an amendment that arrived after a decision. Each is one transition of
 * ./transitions.ts (lock, version, allowed status, claim, audit in one transaction).
 */
import "server-only";
import { eq, sql } from "drizzle-orm";
import { users, type ReferralStatus } from "../../db/schema";
import { hasScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { queueNotification } from "../notifications/outbox";
import type {
  TBulkAssignInput,
  TDismissAmendmentInput,
  TPendingInfoInput,
  TRejectInput,
  TReopenInput,
} from "../validations/decisions";
import { decidedBy, undecided } from "./decided";
import { listActiveReasons } from "./reasons";
import { forbiddenResult, refuse, transition, transitionMany, type TransitionResult } from "./transitions";

export type { ConflictData } from "./transitions";

export async function rejectReferral(db: Db, actor: Actor, input: TRejectInput): Promise<TransitionResult> {
  return transition(db, actor, {
    name: "reject",
    id: input.referralId,
    version: input.version,
    apply: async ({ tx, row }) => {
      const reason = (await listActiveReasons(tx, "rejection")).find((r) => r.code === input.reasonCode);
      if (!reason) refuse.invalid({ reasonCode: ["Choose a reason from the list"] });
      return {
        to: "rejected",
        set: {
          ...decidedBy(actor, row, sql`now()`),
          decisionReasonCode: reason!.code,
          decisionComment: input.comment,
          slaPausedAt: null,
        },
        audit: {
          action: "referral.rejected",
          details: { reasonCode: reason!.code, reason: reason!.label, comment: input.comment },
        },
        message: "Rejected.",
        data: {},
      };
    },
  });
}

export async function requestPendingInfo(db: Db, actor: Actor, input: TPendingInfoInput): Promise<TransitionResult> {
  return transition(db, actor, {
    name: "pending_info",
    id: input.referralId,
    version: input.version,
    apply: () => ({
      to: "pending_info",
      set: { pendingInfoNote: input.note, slaPausedAt: sql`now()` },
      audit: { action: "referral.pending_info", details: { note: input.note } },
      message: "Marked as pending information; the SLA clock is paused.",
      data: {},
    }),
  });
}

export async function reopenReferral(db: Db, actor: Actor, input: TReopenInput): Promise<TransitionResult> {
  return transition(db, actor, {
    name: "reopen",
    id: input.referralId,
    version: input.version,
    apply: ({ row }) => ({
      to: "in_review",
      set: {
        // The paused span moves the due time; nothing else of the SLA changes.
        slaDueAt: row.slaPausedAt ? sql`sla_due_at + (now() - sla_paused_at)` : undefined,
        slaPausedAt: null,
        pendingInfoNote: null,
        ...undecided,
      },
      audit: { action: "referral.reopened", details: { comment: input.comment ?? null } },
      message: "Reopened.",
      data: {},
    }),
  });
}

/** A reviewer takes a request (new → in review). Someone else's live claim is a conflict. */
export async function claimReferral(db: Db, actor: Actor, id: string, version?: number): Promise<TransitionResult> {
  return transition(db, actor, {
    name: "claim",
    id,
    version,
    apply: ({ row }) => ({
      to: row.status === "new" ? "in_review" : row.status,
      set: { assigneeId: actor.id, assignedById: actor.id, claimedAt: sql`now()` },
      audit: { action: "referral.claimed", details: { previousAssignee: row.assigneeId } },
      message: "Claimed.",
      data: {},
    }),
  });
}

/** Releases a request: one's own claim with referral:claim, anyone's with referral:assign. */
export async function unassignReferral(db: Db, actor: Actor, id: string): Promise<TransitionResult> {
  const canAssign = hasScope(actor, "referral:assign");
  if (!canAssign && !hasScope(actor, "referral:claim")) return forbiddenResult("referral:claim");
  return transition(db, actor, {
    name: "unassign",
    id,
    apply: ({ row }) => {
      if (row.assigneeId && row.assigneeId !== actor.id && !canAssign) refuse.forbidden("referral:assign");
      if (!row.assigneeId) return { noop: true, audit: { action: "" }, message: "Already unassigned.", data: {} };
      return {
        set: { assigneeId: null, assignedById: null, claimedAt: null },
        audit: { action: "referral.unassigned", details: { previousAssignee: row.assigneeId } },
        message: row.assigneeId ? "Unassigned." : "Already unassigned.",
        data: {},
      };
    },
  });
}

/** Supervisors and admins assign requests to reviewers (or unassign with null), many at once. */
export type BulkAssignResult =
  | { status: "success"; message: string; data: { assigned: number; skipped: number } }
  | Extract<TransitionResult, { status: "forbidden" | "invalid_data" }>;

export async function assignReferrals(db: Db, actor: Actor, input: TBulkAssignInput): Promise<BulkAssignResult> {
  if (!hasScope(actor, "referral:assign")) return forbiddenResult("referral:assign");
  let assigneeLabel: string | null = null;
  if (input.assigneeId) {
    const [target] = await db.select().from(users).where(eq(users.id, input.assigneeId));
    if (
      !target ||
      target.disabledAt ||
      !hasScope({ role: target.role, roles: [target.role, ...target.extraRoles] }, "referral:claim")
    ) {
      return {
        status: "invalid_data",
        message: "Choose an active reviewer.",
        fieldErrors: { assigneeId: ["Choose an active reviewer"] },
      };
    }
    assigneeLabel = target.email;
  }
  const assigneeId = input.assigneeId;
  const r = await transitionMany(db, actor, {
    name: input.assigneeId ? "assign" : "unassign",
    ids: input.ids,
    apply: async ({ tx, row, nextVersion }) => {
      const to: ReferralStatus = assigneeId && row.status === "new" ? "in_review" : row.status;
      // The new assignee hears of it by e-mail, queued in this transaction (lib/notifications/outbox.ts).
      if (assigneeId && assigneeId !== row.assigneeId)
        await queueNotification(tx, {
          event: "assigned",
          referralId: row.id,
          userIds: [assigneeId],
          eventKey: `v${nextVersion}`,
        });
      return {
        to,
        set: assigneeId
          ? { assigneeId, assignedById: actor.id, claimedAt: sql`now()` }
          : { assigneeId: null, assignedById: null, claimedAt: null },
        audit: {
          action: assigneeId ? "referral.assigned" : "referral.unassigned",
          details: { assignee: assigneeLabel, previousAssignee: row.assigneeId, bulk: input.ids.length > 1 },
        },
        message: "",
        data: {},
      };
    },
  });
  if (r.status !== "success") return r;
  const n = r.done;
  return {
    status: "success",
    message: `${assigneeId ? "Assigned" : "Unassigned"} ${n} request${n === 1 ? "" : "s"}${r.skipped ? `; ${r.skipped} skipped (closed or unknown)` : ""}.`,
    data: { assigned: n, skipped: r.skipped },
  };
}

/**
 * The agency amended a request after it was decided; the reviewer read the change and answers
 * that no action is needed, with a note. The flag goes, the note stays in the trail.
 */
export async function dismissAmendment(db: Db, actor: Actor, input: TDismissAmendmentInput): Promise<TransitionResult> {
  return transition(db, actor, {
    name: "dismiss_amendment",
    id: input.referralId,
    version: input.version,
    apply: ({ row }) => {
      if (!row.amendedAfterDecisionAt) refuse.conflict("There is no amendment waiting for an answer on this request.");
      return {
        set: { amendedAfterDecisionAt: null },
        audit: {
          action: "referral.amendment_dismissed",
          details: { note: input.note, submission: row.submissionCount },
        },
        message: "Noted: the amendment needs no change.",
        data: {},
      };
    },
  });
}
