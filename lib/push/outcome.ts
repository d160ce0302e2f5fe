/**
 * How a push ends when it does not end "sent", and the words for it: failed (finishFailed, with the
 * audit record's account of the error, failureOf), waiting for a retry (scheduleRetry), or stopped
 * because its referral or the push changed under it (stopInterrupted). The runner (lib/push/run.ts)
 * and the worker (lib/worker/worker.ts, which decides on retries) end pushes through these; each
 * goes through the transition path with its audit record, and the people on the request are told.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { pushes, type PushKind } from "../../db/schema";
import { PUSH_KIND_STATUS, type PushStepName } from "../approval/push-steps";
import { isAccloudError, type AccloudError } from "../accloud/errors";
import { recordAudit } from "../audit/record";
import { systemActor } from "../access/actors";
import type { Db } from "../db";
import { logger } from "../log";
import { queueNotification } from "../notifications/outbox";
import { STATUS_LABELS } from "../format";
import { refuse, transition } from "../workflow/transitions";
import { PushStoppedError, type PushInterruptedError } from "./context";

const log = logger("push");
const actor = systemActor("push worker");

/** How a run of a push ended (runPush). On "retry" the worker decides: scheduleRetry, or finishFailed once it gives up. */
export type RunOutcome =
  | { status: "sent" }
  | { status: "retry"; error: AccloudError | Error; retryAfterMs: number | null }
  | { status: "failed"; error: string }
  /** nothing to do: the push is finished, or its referral no longer waits for it (e.g. marked failed meanwhile) */
  | { status: "skipped"; reason: string }
  /** stopped part way: the referral or the push changed while it ran (the agency sync cancelled it); never "sent" */
  | { status: "stopped"; reason: string };

/**
 * The referral or the push changed under a running push: someone else owns the referral's status
 * now (the agency sync made it cancelled, the sweeper ended the push), so the push makes no
 * further ACCloud call and is never reported as sent. In one transaction: the push's row says
 * what happened (ended failed if it was still open; its reason otherwise kept, with this added),
 * an audit record says where it stopped, and the people on the request are told once. The
 * referral's status is left as the one who changed it set it.
 */
export async function stopInterrupted(
  db: Db,
  push: { id: string; kind: PushKind },
  referralId: string,
  at: { step: PushStepName; inside: boolean } | null,
  why: PushInterruptedError,
): Promise<RunOutcome> {
  const state = why.referralStatus ? (STATUS_LABELS[why.referralStatus] ?? why.referralStatus).toLowerCase() : "gone";
  const message = at
    ? `Stopped ${at.inside ? "during" : "before"} the ${at.step} step: the referral is ${state} now (changed while this push ran), so nothing more was sent to ACCloud.`
    : `Every step reached ACCloud, but the referral is ${state} now (changed while this push ran): this push is not counted as sent.`;
  await db.transaction(async (tx) => {
    const [p] = await tx
      .update(pushes)
      .set({
        status: "failed",
        lastError: sql`case when ${pushes.status} in ('queued', 'running', 'retrying') or ${pushes.lastError} is null then ${message} else ${pushes.lastError} || ' ' || ${message} end`,
        finishedAt: sql`coalesce(${pushes.finishedAt}, now())`,
        updatedAt: new Date(),
      })
      .where(and(eq(pushes.id, push.id), inArray(pushes.status, ["queued", "running", "retrying", "failed"])))
      .returning({ id: pushes.id });
    await recordAudit(tx, {
      actor,
      action: "push.stopped",
      entityType: "referral_request",
      entityId: referralId,
      details: {
        pushId: push.id,
        kind: push.kind,
        step: at?.step ?? null,
        inStep: at?.inside ?? false,
        referralStatus: why.referralStatus,
        pushStatus: why.pushStatus,
      },
    });
    if (p) await queueNotification(tx, { event: "push_failed", referralId, eventKey: `${push.id}:stopped` });
  });
  log.warn(
    `push=${push.id} kind=${push.kind} stopped ${at ? `${at.inside ? "during" : "before"} step=${at.step}` : "after its last step"}: referral ${why.referralStatus ?? "gone"}, push ${why.pushStatus ?? "gone"}`,
  );
  return { status: "stopped", reason: message };
}

/**
 * What the audit trail keeps of a push's failure: what kind it was, ACCloud's HTTP status and
 * error code, and the call (method and path template: no ids). Never ACCloud's message, which can
 * quote the client; the message is kept on the push's row, for the push panel (referral:read).
 */
export type PushFailure = {
  failure:
    | "http"
    | "network"
    | "timeout"
    | "invalid_request"
    | "invalid_response"
    | "stopped"
    | "no_submission"
    | "job_dead"
    | "stuck"
    | "unexpected";
  accloudStatus?: number;
  accloudCode?: string | number;
  call?: string;
  /** the worker gave up after this many runs */
  gaveUpAfter?: number;
};

/** ACCloud's error code when it is a code (a number or one word); a sentence in its place is left out. */
const codeOf = (code: string | number | null): string | number | undefined =>
  typeof code === "number" || (typeof code === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(code)) ? code : undefined;

/** The audit record's account of an error thrown while pushing (see PushFailure). */
export function failureOf(err: unknown): PushFailure {
  if (isAccloudError(err)) {
    const out: PushFailure = { failure: err.kind, call: `${err.method} ${err.path}` };
    if (err.status !== null) out.accloudStatus = err.status;
    const code = codeOf(err.code);
    if (code !== undefined) out.accloudCode = code;
    return out;
  }
  return { failure: err instanceof PushStoppedError ? "stopped" : "unexpected" };
}

/**
 * The push ends failed with a reason the reviewer reads on the page (`message`, on the push's
 * row); its audit record says what kind of failure it was (`failure`), never ACCloud's words.
 * A retry starts from the failed step.
 */
export async function finishFailed(
  db: Db,
  pushId: string,
  referralId: string,
  message: string,
  failure: PushFailure,
): Promise<boolean> {
  const r = await transition(db, actor, {
    name: "push_failed",
    id: referralId,
    apply: async ({ tx, row, nextVersion }) => {
      const [p] = await tx
        .update(pushes)
        .set({ status: "failed", lastError: message, finishedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(pushes.id, pushId), inArray(pushes.status, ["queued", "running", "retrying"])))
        .returning({ id: pushes.id, kind: pushes.kind });
      if (!p) refuse.conflict("the push is already finished");
      // E-mail to the people on the request, queued in this transaction (lib/notifications/outbox.ts).
      await queueNotification(tx, { event: "push_failed", referralId, eventKey: `${pushId}:v${nextVersion}` });
      return {
        to: PUSH_KIND_STATUS[p!.kind].failed ?? row.status,
        audit: { action: "push.failed", details: { pushId, kind: p!.kind, ...failure } },
        message: "",
        data: {},
      };
    },
  });
  return r.status === "success";
}

/**
 * A retryable answer: the push waits and a new job is scheduled for later (startAfter), in the
 * same transaction as the status and its audit record, so nothing sleeps inside a job.
 */
export async function scheduleRetry(
  db: Db,
  pushId: string,
  referralId: string,
  message: string,
  afterSeconds: number,
  failure: PushFailure,
): Promise<boolean> {
  const r = await transition(db, actor, {
    name: "push_retrying",
    id: referralId,
    apply: async ({ tx }) => {
      const [p] = await tx
        .update(pushes)
        .set({
          status: "retrying",
          lastError: message,
          retryAt: sql`now() + make_interval(secs => ${afterSeconds})`,
          updatedAt: new Date(),
        })
        .where(and(eq(pushes.id, pushId), inArray(pushes.status, ["running", "retrying"])))
        .returning({ attempts: pushes.attempts, kind: pushes.kind });
      if (!p) refuse.conflict("the push is not running");
      return {
        audit: {
          action: "push.retrying",
          details: { pushId, kind: p!.kind, attempt: p!.attempts, ...failure, retryInSeconds: afterSeconds },
        },
        enqueue: { pushId, startAfterSeconds: afterSeconds },
        message: "",
        data: {},
      };
    },
  });
  return r.status === "success";
}

/** ACCloud's own words (status and message), never a body: safe to show a reviewer and to log. */
export function describeError(err: unknown): string {
  if (isAccloudError(err)) {
    if (err.kind === "http")
      return `ACCloud answered ${err.status}${err.accloudMessage ? `: ${err.accloudMessage}` : ""} (${err.method} ${err.path})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
