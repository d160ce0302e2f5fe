/**
 * The one guarded path for every state change of a referral request: claims, assignments,
 * decisions, drafts, approvals, retries, amendments from the agency and every status write of
 * the push worker. Each change, in ONE transaction:
 *   lock the row → check the version the user saw → check the status against the table below →
 *   check nobody else holds a live claim → apply → bump the version → write the audit record →
 *   optionally enqueue a push job (through the same transaction, so it commits with the change).
 * Every refusal is a result, never a partial write: `conflict` carries what changed and who
 * changed it, `forbidden` names the missing scope, `invalid_data` names the fields.
 */
// No "server-only" here: the push worker and the intake (both plain Node processes too) change state through it.
import type { Settled } from "../validations/action-result";
import { desc, eq, sql } from "drizzle-orm";
import { alias, type PgUpdateSetSource } from "drizzle-orm/pg-core";
import { auditEvents, pushes, referralRequests, users, type ReferralStatus } from "../../db/schema";
import { auditInsert } from "../audit/record";
import { isUserActor, type ApiClientActor, type SystemActor } from "../access/actors";
import { hasScope, type Scope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db, TxDb } from "../db";
import { getEnv } from "../env";
import { enqueue } from "../jobs/queue";
import { isAssignmentActive } from "./claims-sql";
import { STATUS_LABELS } from "../format";
import { referralEvents } from "./referral-events";

export { ALL_STATUSES, DECIDED, TRANSITIONS, WORKABLE, type Rule, type TransitionName } from "./transition-table";
import { ALL_STATUSES, TRANSITIONS, type Rule, type TransitionName } from "./transition-table";

/** Who makes a change: a signed-in user (auth actor) or the system / an API client (audit actor). */
export type Who = Actor | SystemActor | ApiClientActor;
const isUser = (w: Who): w is Actor => isUserActor(w);

/** What a reviewer saw of a referral's state: the page shows it, a conflict answers with the current one. */
export type ReferralSnapshot = {
  status: ReferralStatus;
  version: number;
  assigneeName: string | null;
  pendingInfoNote: string | null;
  decisionReasonCode: string | null;
  decisionComment: string | null;
  submissionCount: number;
  /** an amendment arrived after the decision and waits for a reviewer */
  amendedAfterDecision: boolean;
  updatedAt: string;
};

export type ConflictData = {
  current: ReferralSnapshot;
  lastChange: { actorLabel: string; at: string; action: string } | null;
};

/** ActionResult's union (lib/validations/action-result.ts) as a transition answers it. */
export type TransitionResult<T = Record<never, never>> = Settled<T, ConflictData>;

export type LockedReferral = typeof referralRequests.$inferSelect & { assigneeName: string | null };

export type ApplyContext = {
  tx: TxDb;
  row: LockedReferral;
  /** the version the row will have after this change */
  nextVersion: number;
  who: Who;
};

export type Applied<T> = {
  /** the new status (default: unchanged) */
  to?: ReferralStatus;
  /** other columns of the request row */
  set?: PgUpdateSetSource<typeof referralRequests>;
  audit: { action: string; details?: Record<string, unknown> };
  /** a push to put on the job queue, committed with the change */
  enqueue?: { pushId: string; startAfterSeconds?: number };
  message: string;
  data: T;
  /** nothing to change (e.g. releasing a claim nobody holds): no write, no audit record */
  noop?: boolean;
};

/** Thrown (through `refuse`) by an apply step: the transaction rolls back and the result is returned. */
class Refusal {
  constructor(readonly result: TransitionResult<never>) {}
}

/** A refusal for bad input, returned before any transaction opens. */
export const invalidResult = (
  fieldErrors: Record<string, string[]>,
  message = "Some fields need attention.",
): TransitionResult<never> => ({
  status: "invalid_data",
  message,
  fieldErrors,
});

export const refuse = {
  invalid(fieldErrors: Record<string, string[]>, message = "Some fields need attention."): never {
    throw new Refusal({ status: "invalid_data", message, fieldErrors });
  },
  forbidden(scope: Scope): never {
    throw new Refusal(forbiddenResult(scope));
  },
  /** a conflict with the row's current state (built by `transition`) */
  conflict(message: string): never {
    throw new ConflictRefusal(message);
  },
};
class ConflictRefusal {
  constructor(readonly message: string) {}
}

/** The refusal of a user without `scope` (DAL changes outside a transition answer it too). */
export const forbiddenResult = (scope: Scope): Extract<TransitionResult<never>, { status: "forbidden" }> => ({
  status: "forbidden",
  message: `Forbidden: this needs the ${scope} scope.`,
  scope,
});

export type TransitionRequest<T> = {
  name: TransitionName;
  id: string;
  /** the version the user saw */
  version?: number;
  apply: (ctx: ApplyContext) => Promise<Applied<T>> | Applied<T>;
};

async function lockReferral(tx: TxDb, id: string): Promise<LockedReferral | null> {
  const assignee = alias(users, "assignee");
  const [row] = await tx
    .select({ r: referralRequests, assigneeName: assignee.name })
    .from(referralRequests)
    .leftJoin(assignee, eq(assignee.id, referralRequests.assigneeId))
    .where(eq(referralRequests.id, id))
    .for("update", { of: referralRequests });
  return row ? { ...row.r, assigneeName: row.assigneeName } : null;
}

export function snapshotOf(row: LockedReferral): ReferralSnapshot {
  return {
    status: row.status,
    version: row.version,
    assigneeName: row.assigneeId ? row.assigneeName : null,
    pendingInfoNote: row.pendingInfoNote,
    decisionReasonCode: row.decisionReasonCode,
    decisionComment: row.decisionComment,
    submissionCount: row.submissionCount,
    amendedAfterDecision: row.amendedAfterDecisionAt !== null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function conflictResult(tx: TxDb, row: LockedReferral, message: string): Promise<TransitionResult<never>> {
  const [last] = await tx
    .select({ actorLabel: auditEvents.actorLabel, at: auditEvents.at, action: auditEvents.action })
    .from(auditEvents)
    .where(referralEvents(row.id, "changes"))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(1);
  return {
    status: "conflict",
    message,
    data: {
      current: snapshotOf(row),
      lastChange: last ? { actorLabel: last.actorLabel, at: last.at.toISOString(), action: last.action } : null,
    },
  };
}

const statusWord = (s: ReferralStatus) => STATUS_LABELS[s]?.toLowerCase() ?? s;

/** The scope checks of the table; the user's own checks come before any database work. */
function checkWho(rule: Rule, who: Who): TransitionResult<never> | null {
  if (rule.by === "system") {
    if (isUser(who)) throw new Error("a system transition was asked for by a user");
    return null;
  }
  if (!isUser(who)) throw new Error("a user transition was asked for by the system");
  const missing = rule.by.scopes.find((s) => !hasScope(who, s));
  return missing ? forbiddenResult(missing) : null;
}

/** The scope checks of a transition alone, for services that validate input before opening a transaction. */
export function checkTransitionScopes(
  name: TransitionName,
  who: Who,
): Extract<TransitionResult<never>, { status: "forbidden" }> | null {
  const r = checkWho(TRANSITIONS[name], who);
  return r?.status === "forbidden" ? r : null;
}

/**
 * Runs one transition inside the caller's transaction (intake runs amendments this way, under its
 * own advisory lock). Returns a refusal without writing anything; throws only on real errors. A
 * job the change enqueues is written through the same transaction and commits with it.
 */
export async function transitionIn<T>(tx: TxDb, who: Who, req: TransitionRequest<T>): Promise<TransitionResult<T>> {
  const rule = TRANSITIONS[req.name];
  const denied = checkWho(rule, who);
  if (denied) return denied;
  const row = await lockReferral(tx, req.id);
  if (!row) return { status: "failed", message: "This referral request does not exist." };
  if (req.version !== undefined && row.version !== req.version) {
    return conflictResult(
      tx,
      row,
      "This referral request changed since you opened it. Review the changes, then try again.",
    );
  }
  if (req.version === undefined && rule.version === "required")
    throw new Error(`transition ${req.name} needs the version the user saw`);
  if (!rule.from.includes(row.status))
    return conflictResult(tx, row, `A request that is ${statusWord(row.status)} cannot be ${rule.verb}.`);
  if (
    rule.claim &&
    isUser(who) &&
    row.assigneeId &&
    row.assigneeId !== who.id &&
    isAssignmentActive(row, getEnv().CLAIM_IDLE_MINUTES)
  ) {
    const name = row.assigneeName ?? "Another reviewer";
    return conflictResult(
      tx,
      row,
      req.name === "claim"
        ? `${name} already works on this request.`
        : `${name} is working on this request. Ask them or a supervisor to release it.`,
    );
  }

  const nextVersion = row.version + 1;
  let applied: Applied<T>;
  try {
    applied = await req.apply({ tx, row, nextVersion, who });
  } catch (err) {
    if (err instanceof ConflictRefusal) return conflictResult(tx, row, err.message);
    if (err instanceof Refusal) return err.result;
    throw err;
  }
  if (applied.noop)
    return { status: "success", message: applied.message, data: { ...applied.data, version: row.version } };
  const to = applied.to ?? row.status;
  if (!ALL_STATUSES.includes(to)) throw new Error(`unknown status ${to}`);
  // The change and its audit record: one statement (the update a CTE of the record's insert).
  const change = tx
    .update(referralRequests)
    .set({ ...applied.set, status: to, version: nextVersion, updatedAt: sql`now()` })
    .where(eq(referralRequests.id, row.id))
    .getSQL();
  const audit = auditInsert(tx, {
    actor: who,
    action: applied.audit.action,
    entityType: "referral_request",
    entityId: row.id,
    details: { from: row.status, to, version: nextVersion, ...applied.audit.details },
  });
  await tx.execute(sql`with change as (${change}) ${audit}`);
  if (applied.enqueue) {
    const jobId = await enqueue(
      tx,
      "push",
      { pushId: applied.enqueue.pushId },
      { startAfter: applied.enqueue.startAfterSeconds },
    );
    await tx
      .update(pushes)
      .set({ jobId, jobQueue: getEnv().JOB_QUEUE_SCHEMA })
      .where(eq(pushes.id, applied.enqueue.pushId));
  }
  return { status: "success", message: applied.message, data: { ...applied.data, version: nextVersion } };
}

/** Carries a refusal out of db.transaction, so the transaction rolls back and the result is returned. */
class RolledBack<T> extends Error {
  constructor(readonly result: TransitionResult<T>) {
    super(result.message);
  }
}

/**
 * One transition in a transaction of its own. A refusal rolls back whatever the apply step
 * wrote; a job the change enqueues commits with it.
 */
export async function transition<T>(db: Db, who: Who, req: TransitionRequest<T>): Promise<TransitionResult<T>> {
  const denied = checkWho(TRANSITIONS[req.name], who);
  if (denied) return denied;
  try {
    return await db.transaction(async (tx) => {
      const result = await transitionIn(tx, who, req);
      if (result.status !== "success") throw new RolledBack(result);
      return result;
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.result as TransitionResult<T>;
    throw err;
  }
}

/**
 * The same transition on several requests in one transaction, locked in id order (two bulk
 * changes never deadlock). A request the table refuses is skipped, not fatal.
 */
export async function transitionMany<T>(
  db: Db,
  who: Who,
  req: Omit<TransitionRequest<T>, "id" | "version"> & { ids: string[] },
): Promise<
  { status: "success"; done: number; skipped: number } | Extract<TransitionResult<T>, { status: "forbidden" }>
> {
  const denied = checkWho(TRANSITIONS[req.name], who);
  if (denied?.status === "forbidden") return denied;
  const ids = [...new Set(req.ids)].sort();
  return db.transaction(async (tx) => {
    let done = 0;
    for (const id of ids) {
      const r = await transitionIn(tx, who, { name: req.name, id, apply: req.apply });
      if (r.status === "success") done++;
    }
    return { status: "success" as const, done, skipped: ids.length - done };
  });
}
