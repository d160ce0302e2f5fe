/**
 * State changes that need no ACCloud: claim / assign / unassign, reject, pending information,
 * reopen. Each runs in one transaction with its audit record, locks the row, and refuses a
 * stale version or a state that no longer allows the change with a conflict that carries the
 * current state and who changed it, so nothing is silently overwritten.
 */
import "server-only";
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditEvents, decisionReasons, referralRequests, users, type ReferralStatus } from "../../db/schema";
import { recordAudit, type Actor as AuditActor } from "../audit";
import { assertScope, hasScope, ScopeError, type Actor } from "../auth/scopes";
import type { Db, Tx } from "../db";
import { getEnv } from "../env";
import type { ActionResult } from "../validations/action-result";
import type { TBulkAssignInput, TPendingInfoInput, TRejectInput, TReopenInput } from "../validations/decisions";
import { isAssignmentActive } from "./claims-sql";
import type { ReferralSnapshot } from "./detail";
import { STATUS_LABELS } from "./format";

export type ConflictData = { current: ReferralSnapshot; lastChange: { actorLabel: string; at: string; action: string } | null };
export type WorkflowResult = ActionResult<ConflictData | { version: number } | { assigned: number; skipped: number }>;

/** Statuses a reviewer can still work on (claim, assign, decide). */
const WORKABLE: ReferralStatus[] = ["new", "in_review", "pending_info"];
const VIEW_ACTIONS = ["referral.viewed", "referral.file_viewed", "referral.file_downloaded"];

const auditActor = (a: Actor): AuditActor => ({ type: "user", id: a.id, label: a.email });

type Locked = typeof referralRequests.$inferSelect & { assigneeName: string | null };

async function lockReferral(tx: Tx, id: string): Promise<Locked | null> {
  const assignee = alias(users, "assignee");
  const [row] = await tx
    .select({ r: referralRequests, assigneeName: assignee.name })
    .from(referralRequests)
    .leftJoin(assignee, eq(assignee.id, referralRequests.assigneeId))
    .where(eq(referralRequests.id, id))
    .for("update", { of: referralRequests });
  return row ? { ...row.r, assigneeName: row.assigneeName } : null;
}

async function conflict(tx: Tx, row: Locked, message: string): Promise<WorkflowResult> {
  const [last] = await tx
    .select({ actorLabel: auditEvents.actorLabel, at: auditEvents.at, action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "referral_request"), eq(auditEvents.entityId, row.id), notInArray(auditEvents.action, VIEW_ACTIONS)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(1);
  return {
    status: "conflict",
    message,
    data: {
      current: {
        status: row.status,
        version: row.version,
        assigneeName: row.assigneeId ? row.assigneeName : null,
        pendingInfoNote: row.pendingInfoNote,
        decisionReasonCode: row.decisionReasonCode,
        decisionComment: row.decisionComment,
        submissionCount: row.submissionCount,
        updatedAt: row.updatedAt.toISOString(),
      },
      lastChange: last ? { actorLabel: last.actorLabel, at: last.at.toISOString(), action: last.action } : null,
    },
  };
}

const notFound: WorkflowResult = { status: "failed", message: "This referral request does not exist." };

/** The checks every decision shares: version, allowed status, nobody else's live claim. */
async function guardDecision(tx: Tx, actor: Actor, id: string, version: number, allowed: ReferralStatus[], verb: string) {
  const row = await lockReferral(tx, id);
  if (!row) return { result: notFound };
  if (row.version !== version) {
    return { result: await conflict(tx, row, "This referral request changed since you opened it. Review the changes, then try again.") };
  }
  if (!allowed.includes(row.status)) {
    return { result: await conflict(tx, row, `A request that is ${STATUS_LABELS[row.status]?.toLowerCase()} cannot be ${verb}.`) };
  }
  if (row.assigneeId && row.assigneeId !== actor.id && isAssignmentActive(row, getEnv().CLAIM_IDLE_MINUTES)) {
    return { result: await conflict(tx, row, `${row.assigneeName ?? "Another reviewer"} is working on this request. Ask them or a supervisor to release it.`) };
  }
  return { row };
}

export async function rejectReferral(db: Db, actor: Actor, input: TRejectInput): Promise<WorkflowResult> {
  assertScope(actor, "referral:decide");
  return db.transaction(async (tx) => {
    const [reason] = await tx.select().from(decisionReasons).where(and(eq(decisionReasons.code, input.reasonCode), eq(decisionReasons.active, true)));
    if (!reason) return { status: "invalid_data", fieldErrors: { reasonCode: ["Choose a reason from the list"] } };
    const g = await guardDecision(tx, actor, input.id, input.version, ["new", "in_review", "pending_info"], "rejected");
    if (!g.row) return g.result;
    const version = g.row.version + 1;
    await tx
      .update(referralRequests)
      .set({
        status: "rejected",
        version,
        updatedAt: sql`now()`,
        decidedById: actor.id,
        decidedAt: sql`now()`,
        decisionReasonCode: reason.code,
        decisionComment: input.comment,
        slaPausedAt: null,
      })
      .where(eq(referralRequests.id, input.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "referral.rejected",
      entityType: "referral_request",
      entityId: input.id,
      details: { from: g.row.status, to: "rejected", version, reasonCode: reason.code, reason: reason.label, comment: input.comment },
    });
    return { status: "success", message: "Rejected.", data: { version } };
  });
}

export async function requestPendingInfo(db: Db, actor: Actor, input: TPendingInfoInput): Promise<WorkflowResult> {
  assertScope(actor, "referral:decide");
  return db.transaction(async (tx) => {
    const g = await guardDecision(tx, actor, input.id, input.version, ["new", "in_review"], "put on pending information");
    if (!g.row) return g.result;
    const version = g.row.version + 1;
    await tx
      .update(referralRequests)
      .set({ status: "pending_info", version, updatedAt: sql`now()`, pendingInfoNote: input.note, slaPausedAt: sql`now()` })
      .where(eq(referralRequests.id, input.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "referral.pending_info",
      entityType: "referral_request",
      entityId: input.id,
      details: { from: g.row.status, to: "pending_info", version, note: input.note },
    });
    return { status: "success", message: "Marked as pending information; the SLA clock is paused.", data: { version } };
  });
}

export async function reopenReferral(db: Db, actor: Actor, input: TReopenInput): Promise<WorkflowResult> {
  assertScope(actor, "referral:decide");
  return db.transaction(async (tx) => {
    const g = await guardDecision(tx, actor, input.id, input.version, ["pending_info", "rejected"], "reopened");
    if (!g.row) return g.result;
    const version = g.row.version + 1;
    await tx
      .update(referralRequests)
      .set({
        status: "in_review",
        version,
        updatedAt: sql`now()`,
        // The paused span moves the due time; nothing else of the SLA changes.
        slaDueAt: g.row.slaPausedAt ? sql`${referralRequests.slaDueAt} + (now() - ${referralRequests.slaPausedAt})` : undefined,
        slaPausedAt: null,
        pendingInfoNote: null,
        decidedById: null,
        decidedAt: null,
        decisionReasonCode: null,
        decisionComment: null,
      })
      .where(eq(referralRequests.id, input.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "referral.reopened",
      entityType: "referral_request",
      entityId: input.id,
      details: { from: g.row.status, to: "in_review", version, comment: input.comment ?? null },
    });
    return { status: "success", message: "Reopened.", data: { version } };
  });
}

/** A reviewer takes a request (new → in review). Someone else's live claim is a conflict. */
export async function claimReferral(db: Db, actor: Actor, id: string): Promise<WorkflowResult> {
  assertScope(actor, "referral:claim");
  return db.transaction(async (tx) => {
    const row = await lockReferral(tx, id);
    if (!row) return notFound;
    if (!WORKABLE.includes(row.status)) return conflict(tx, row, `A request that is ${STATUS_LABELS[row.status]?.toLowerCase()} cannot be claimed.`);
    if (row.assigneeId && row.assigneeId !== actor.id && isAssignmentActive(row, getEnv().CLAIM_IDLE_MINUTES)) {
      return conflict(tx, row, `${row.assigneeName ?? "Another reviewer"} already works on this request.`);
    }
    const toStatus: ReferralStatus = row.status === "new" ? "in_review" : row.status;
    const version = row.version + 1;
    await tx
      .update(referralRequests)
      .set({ assigneeId: actor.id, assignedById: actor.id, claimedAt: sql`now()`, status: toStatus, version, updatedAt: sql`now()` })
      .where(eq(referralRequests.id, id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "referral.claimed",
      entityType: "referral_request",
      entityId: id,
      details: { from: row.status, to: toStatus, version, previousAssignee: row.assigneeId },
    });
    return { status: "success", message: "Claimed.", data: { version } };
  });
}

/** Releases a request: one's own claim with referral:claim, anyone's with referral:assign. */
export async function unassignReferral(db: Db, actor: Actor, id: string): Promise<WorkflowResult> {
  assertScope(actor, hasScope(actor.role, "referral:assign") ? "referral:assign" : "referral:claim");
  return db.transaction(async (tx) => {
    const row = await lockReferral(tx, id);
    if (!row) return notFound;
    if (!row.assigneeId) return { status: "success", message: "Already unassigned.", data: { version: row.version } };
    if (row.assigneeId !== actor.id && !hasScope(actor.role, "referral:assign")) throw new ScopeError("referral:assign");
    const version = row.version + 1;
    await tx
      .update(referralRequests)
      .set({ assigneeId: null, assignedById: null, claimedAt: null, version, updatedAt: sql`now()` })
      .where(eq(referralRequests.id, id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "referral.unassigned",
      entityType: "referral_request",
      entityId: id,
      details: { version, previousAssignee: row.assigneeId },
    });
    return { status: "success", message: "Unassigned.", data: { version } };
  });
}

/** Supervisors and admins assign requests to reviewers (or unassign with null), many at once. */
export async function assignReferrals(db: Db, actor: Actor, input: TBulkAssignInput): Promise<WorkflowResult> {
  assertScope(actor, "referral:assign");
  return db.transaction(async (tx) => {
    let assigneeLabel: string | null = null;
    if (input.assigneeId) {
      const [target] = await tx.select().from(users).where(eq(users.id, input.assigneeId));
      if (!target || target.disabledAt || target.role !== "reviewer") {
        return { status: "invalid_data", fieldErrors: { assigneeId: ["Choose an active reviewer"] } };
      }
      assigneeLabel = target.email;
    }
    const ids = [...new Set(input.ids)].sort();
    // Locked in id order, so two bulk assignments never deadlock.
    const rows = await tx
      .select({ id: referralRequests.id, status: referralRequests.status, assigneeId: referralRequests.assigneeId, version: referralRequests.version })
      .from(referralRequests)
      .where(inArray(referralRequests.id, ids))
      .orderBy(referralRequests.id)
      .for("update");
    const workable = rows.filter((r) => WORKABLE.includes(r.status));
    for (const r of workable) {
      const toStatus: ReferralStatus = input.assigneeId && r.status === "new" ? "in_review" : r.status;
      await tx
        .update(referralRequests)
        .set(
          input.assigneeId
            ? { assigneeId: input.assigneeId, assignedById: actor.id, claimedAt: sql`now()`, status: toStatus, version: r.version + 1, updatedAt: sql`now()` }
            : { assigneeId: null, assignedById: null, claimedAt: null, version: r.version + 1, updatedAt: sql`now()` },
        )
        .where(eq(referralRequests.id, r.id));
      await recordAudit(tx, {
        actor: auditActor(actor),
        action: input.assigneeId ? "referral.assigned" : "referral.unassigned",
        entityType: "referral_request",
        entityId: r.id,
        details: { from: r.status, to: toStatus, version: r.version + 1, assignee: assigneeLabel, previousAssignee: r.assigneeId, bulk: ids.length > 1 },
      });
    }
    const skipped = ids.length - workable.length;
    return {
      status: "success",
      message: `${input.assigneeId ? "Assigned" : "Unassigned"} ${workable.length} request${workable.length === 1 ? "" : "s"}${skipped ? `; ${skipped} skipped (closed or unknown)` : ""}.`,
      data: { assigned: workable.length, skipped },
    };
  });
}
