/**
 * Approval decisions. Approve stores the decision, the push and its queue job in ONE
 * transaction (the job is enqueued through the same connection), so an approval is never lost
 * and never pushed without being recorded. Callers (server actions) check the session and scope.
 */
import { and, desc, eq } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PoolClient } from "pg";
import type PgBoss from "pg-boss";
import * as schema from "../../db/schema";
import { approvalRevisions, pushes, referralRequests, PUSH_STEPS, type PushStepState } from "../../db/schema";
import { getReferenceData } from "../accloud/reference-data";
import { recordAudit, type Actor } from "../audit";
import { getDb, getPool, type Db } from "../db";
import { enqueuePush, getSenderBoss } from "../push/queue";
import { fieldErrorsOf } from "../validations/decisions";
import { ZApproval, ZApprovalDraft, type TApproval } from "./schema";

export type ApprovalResult =
  | { status: "success"; pushId?: string; version: number; message?: string }
  | { status: "invalid_data"; fieldErrors: Record<string, string[]>; message: string }
  | { status: "conflict"; message: string; currentVersion?: number; currentStatus?: string }
  | { status: "failed"; message: string };

export const APPROVABLE = ["new", "in_review", "pending_info"] as const;


/** Checks against ACCloud's reference data (cached): supplier in the trusted network, code and funder known. */
export async function checkAgainstReferenceData(db: Db, a: TApproval): Promise<Record<string, string[]>> {
  const ref = await getReferenceData(getPool());
  const errors: Record<string, string[]> = {};
  if (!ref.lastSuccessfulRefresh) return { _form: ["ACCloud reference data has not been loaded yet; try again in a minute"] };
  if (!ref.suppliers.some((s) => s.id.toLowerCase() === a.supplyPersonaId.toLowerCase())) {
    errors.supplyPersonaId = ["This agency is not in CSI's trusted network in ACCloud"];
  }
  if (!ref.serviceCodes.some((c) => c.id === a.serviceCodeId)) errors.serviceCodeId = ["Unknown service code"];
  if (!ref.funders.some((f) => f.id === a.funderId)) errors.funderId = ["Unknown funder"];
  return errors;
}


type QueueTx = { tx: NodePgDatabase<typeof schema>; conn: PoolClient; boss: PgBoss };
/** Thrown inside `inQueueTransaction` to roll back and answer `result` (a refusal, not an error). */
class Refusal {
  constructor(readonly result: ApprovalResult) {}
}
const refuse = (result: ApprovalResult): never => {
  throw new Refusal(result);
};

/**
 * One transaction on a dedicated connection, so the job-queue `send` runs on the same connection
 * and commits with the decision. A `refuse(...)` rolls back and returns its result.
 */
async function inQueueTransaction(fn: (q: QueueTx) => Promise<ApprovalResult>): Promise<ApprovalResult> {
  const boss = await getSenderBoss();
  const conn = await getPool().connect();
  try {
    await conn.query("begin");
    const result = await fn({ tx: drizzle(conn, { schema }), conn, boss });
    await conn.query("commit");
    return result;
  } catch (err) {
    await conn.query("rollback").catch(() => {});
    if (err instanceof Refusal) return err.result;
    throw err;
  } finally {
    conn.release();
  }
}

const initialSteps = (): Record<string, PushStepState> => Object.fromEntries(PUSH_STEPS.map((s) => [s, { status: "waiting", attempts: 0 }]));

export async function approveReferral(input: { referralId: string; version: number; approval: unknown; actor: Actor & { type: "user" } }): Promise<ApprovalResult> {
  const parsed = ZApproval.safeParse(input.approval);
  if (!parsed.success) return { status: "invalid_data", fieldErrors: fieldErrorsOf(parsed.error), message: "Some fields need attention" };
  const approval = parsed.data;
  const refErrors = await checkAgainstReferenceData(getDb(), approval);
  if (Object.keys(refErrors).length) return { status: "invalid_data", fieldErrors: refErrors, message: "Some fields do not match ACCloud" };

  return inQueueTransaction(async ({ tx, conn, boss }) => {
    const [row] = await tx.select().from(referralRequests).where(eq(referralRequests.id, input.referralId)).for("update");
    if (!row) return refuse({ status: "failed", message: "Referral request not found" });
    if (row.version !== input.version) {
      refuse({ status: "conflict", message: "Someone else changed this referral request since you opened it. Reload to see the change.", currentVersion: row.version, currentStatus: row.status });
    }
    if (!(APPROVABLE as readonly string[]).includes(row.status)) {
      refuse({ status: "conflict", message: `A ${row.status.replace("_", " ")} referral request cannot be approved`, currentVersion: row.version, currentStatus: row.status });
    }
    if (approval.supplyPersonaId.toLowerCase() !== row.agencyOrgId.toLowerCase()) {
      refuse({ status: "invalid_data", fieldErrors: { supplyPersonaId: ["The referral goes back to the requesting agency"] }, message: "Some fields need attention" });
    }
    const [last] = await tx
      .select({ revision: approvalRevisions.revision, state: approvalRevisions.state, id: approvalRevisions.id })
      .from(approvalRevisions)
      .where(eq(approvalRevisions.referralRequestId, row.id))
      .orderBy(desc(approvalRevisions.revision))
      .limit(1);
    const now = new Date();
    let revisionId: string;
    let revisionNumber: number;
    if (last?.state === "draft") {
      revisionId = last.id;
      revisionNumber = last.revision;
      await tx.update(approvalRevisions).set({ state: "approved", data: approval, approvedById: input.actor.id, approvedAt: now, updatedAt: now }).where(eq(approvalRevisions.id, last.id));
    } else {
      revisionNumber = (last?.revision ?? 0) + 1;
      const [rev] = await tx
        .insert(approvalRevisions)
        .values({ referralRequestId: row.id, revision: revisionNumber, state: "approved", data: approval, createdById: input.actor.id, approvedById: input.actor.id, approvedAt: now })
        .returning({ id: approvalRevisions.id });
      revisionId = rev!.id;
    }
    const [push] = await tx
      .insert(pushes)
      .values({ referralRequestId: row.id, approvalRevisionId: revisionId, kind: "approve", status: "queued", steps: initialSteps(), createdById: input.actor.id })
      .returning({ id: pushes.id });
    const newVersion = row.version + 1;
    await tx
      .update(referralRequests)
      .set({ status: "approved", version: newVersion, decidedById: input.actor.id, decidedAt: now, updatedAt: now, slaPausedAt: null })
      .where(eq(referralRequests.id, row.id));
    await recordAudit(tx as unknown as Db, {
      actor: input.actor,
      action: "referral.approved",
      entityType: "referral_request",
      entityId: row.id,
      details: {
        from: row.status,
        to: "approved",
        revision: revisionNumber,
        pushId: push!.id,
        authorizations: approval.authorizations.length,
        startDate: approval.startDate,
        endDate: approval.endDate,
        serviceCodeId: approval.serviceCodeId,
        funderId: approval.funderId,
      },
    });
    const jobId = await enqueuePush(boss, conn, push!.id);
    await tx.update(pushes).set({ jobId }).where(eq(pushes.id, push!.id));
    return { status: "success", pushId: push!.id, version: newVersion, message: "Approved: sending to ACCloud" };
  });
}

/** Saves the editor's content without approving (validated loosely: a draft may be incomplete). */
export async function saveApprovalDraft(input: { referralId: string; data: unknown; actor: Actor & { type: "user" } }): Promise<ApprovalResult> {
  const draft = ZApprovalDraft.safeParse(input.data);
  if (!draft.success) return { status: "invalid_data", fieldErrors: fieldErrorsOf(draft.error), message: "The draft could not be saved" };
  const db = getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ id: referralRequests.id, version: referralRequests.version }).from(referralRequests).where(eq(referralRequests.id, input.referralId)).for("update");
    if (!row) return { status: "failed", message: "Referral request not found" } as const;
    const [last] = await tx
      .select({ id: approvalRevisions.id, revision: approvalRevisions.revision, state: approvalRevisions.state })
      .from(approvalRevisions)
      .where(eq(approvalRevisions.referralRequestId, row.id))
      .orderBy(desc(approvalRevisions.revision))
      .limit(1);
    if (last?.state === "draft") {
      await tx.update(approvalRevisions).set({ data: draft.data, updatedAt: new Date() }).where(eq(approvalRevisions.id, last.id));
    } else {
      await tx.insert(approvalRevisions).values({ referralRequestId: row.id, revision: (last?.revision ?? 0) + 1, state: "draft", data: draft.data, createdById: input.actor.id });
    }
    await recordAudit(tx, { actor: input.actor, action: "approval.draft_saved", entityType: "referral_request", entityId: row.id });
    return { status: "success", version: row.version, message: "Draft saved" } as const;
  });
}

/**
 * Retries a failed push from its failed step (done steps keep their ACCloud ids). When the
 * reviewer fixed the data, the corrected approval replaces the revision's content first.
 */
export async function retryPush(input: { referralId: string; version: number; approval?: unknown; actor: Actor & { type: "user" } }): Promise<ApprovalResult> {
  let approval: TApproval | undefined;
  if (input.approval !== undefined) {
    const parsed = ZApproval.safeParse(input.approval);
    if (!parsed.success) return { status: "invalid_data", fieldErrors: fieldErrorsOf(parsed.error), message: "Some fields need attention" };
    approval = parsed.data;
    const refErrors = await checkAgainstReferenceData(getDb(), approval);
    if (Object.keys(refErrors).length) return { status: "invalid_data", fieldErrors: refErrors, message: "Some fields do not match ACCloud" };
  }
  return inQueueTransaction(async ({ tx, conn, boss }) => {
    const [row] = await tx.select().from(referralRequests).where(eq(referralRequests.id, input.referralId)).for("update");
    if (!row || row.version !== input.version || row.status !== "push_failed") {
      return refuse({ status: "conflict", message: row ? "This referral request changed or is not waiting for a retry. Reload to see it." : "Referral request not found", currentVersion: row?.version, currentStatus: row?.status });
    }
    const [push] = await tx
      .select()
      .from(pushes)
      .where(and(eq(pushes.referralRequestId, row.id), eq(pushes.status, "failed")))
      .orderBy(desc(pushes.createdAt))
      .limit(1);
    if (!push) return refuse({ status: "conflict", message: "No failed push to retry" });
    if (approval && push.approvalRevisionId) {
      await tx.update(approvalRevisions).set({ data: approval, updatedAt: new Date() }).where(eq(approvalRevisions.id, push.approvalRevisionId));
    }
    const steps = Object.fromEntries(Object.entries(push.steps).map(([k, v]) => [k, v.status === "done" ? v : { ...v, status: "waiting" as const, error: null }]));
    await tx.update(pushes).set({ status: "queued", steps, lastError: null, finishedAt: null, updatedAt: new Date() }).where(eq(pushes.id, push.id));
    const newVersion = row.version + 1;
    await tx.update(referralRequests).set({ status: "approved", version: newVersion, updatedAt: new Date() }).where(eq(referralRequests.id, row.id));
    await recordAudit(tx as unknown as Db, {
      actor: input.actor,
      action: "push.retried",
      entityType: "referral_request",
      entityId: row.id,
      details: { pushId: push.id, previousError: push.lastError, dataChanged: Boolean(approval) },
    });
    const jobId = await enqueuePush(boss, conn, push.id);
    await tx.update(pushes).set({ jobId }).where(eq(pushes.id, push.id));
    return { status: "success", pushId: push.id, version: newVersion, message: "Retrying the push" };
  });
}

export type PushProgress = {
  referralStatus: string;
  version: number;
  push: null | {
    id: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    finishedAt: string | null;
    steps: Array<{ name: string } & PushStepState>;
  };
};

export async function getPushProgress(db: Db, referralId: string): Promise<PushProgress | null> {
  const [row] = await db.select({ status: referralRequests.status, version: referralRequests.version }).from(referralRequests).where(eq(referralRequests.id, referralId)).limit(1);
  if (!row) return null;
  const [push] = await db.select().from(pushes).where(eq(pushes.referralRequestId, referralId)).orderBy(desc(pushes.createdAt)).limit(1);
  return {
    referralStatus: row.status,
    version: row.version,
    push: push
      ? {
          id: push.id,
          status: push.status,
          attempts: push.attempts,
          lastError: push.lastError,
          createdAt: push.createdAt.toISOString(),
          finishedAt: push.finishedAt?.toISOString() ?? null,
          steps: PUSH_STEPS.map((name) => ({ name, ...(push.steps[name] ?? { status: "waiting", attempts: 0 }) })),
        }
      : null,
  };
}

export async function getLatestApproval(db: Db, referralId: string) {
  const [rev] = await db.select().from(approvalRevisions).where(eq(approvalRevisions.referralRequestId, referralId)).orderBy(desc(approvalRevisions.revision)).limit(1);
  return rev ?? null;
}

