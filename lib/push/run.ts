/**
 * Runs a push, step by step (lib/push/steps.ts has the steps of each kind: approve, update,
 * cancel, documents). Each step's progress is saved as it goes; every status change of the
 * referral goes through the transition path with its audit record.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  approvalRevisions,
  pushes,
  referralRequests,
  referralSubmissions,
  type AccloudLink,
  type PushKind,
  type PushStepState,
  type ReferralStatus,
} from "../../db/schema";
import { PUSH_KIND_STATUS, STEPS_OF_KIND, type PushStepName } from "../approval/push-steps";
import type { AccloudClient } from "../accloud/client";
import { isAccloudError, type AccloudError } from "../accloud/errors";
import { recordAudit } from "../audit/record";
import { systemActor } from "../access/actors";
import type { Db } from "../db";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { queueNotification } from "../notifications/outbox";
import { STATUS_LABELS } from "../format";
import { refuse, transition } from "../workflow/transitions";
import {
  interruption,
  linkKey,
  pushReference,
  PushInterruptedError,
  PushStoppedError,
  stepOf,
  takePending,
  withLinksSaved,
  type Ctx,
  type PushReference,
  type PushWatch,
} from "./steps";
import { sentState } from "../approval/sent-state";

export { PushStoppedError } from "./steps";

const log = logger("push");
const actor = systemActor("push worker");

const runningPatch = (step: PushStepName) =>
  sql`coalesce(steps -> ${step}, '{}'::jsonb) || jsonb_build_object('status', 'running', 'attempts', coalesce((steps -> ${step} ->> 'attempts')::int, 0) + 1, 'startedAt', now(), 'error', null)`;

/** The push's steps with `step` started: running, one attempt more. */
const startedSteps = (step: PushStepName) =>
  sql`jsonb_set(${pushes.steps}, ${`{${step}}`}::text[], ${runningPatch(step)})`;

/**
 * A step's outcome, the links and revisions it returned that are not written yet, and the start
 * of the next step, in ONE statement: a push's bookkeeping between two ACCloud calls is one round trip.
 * The same statement reads the referral's status and the push's: the next step starts only while
 * the push still runs under the status it expects (the agency sync may have cancelled the referral
 * meanwhile); the caller stops otherwise (`interruption` in lib/push/steps.ts).
 */
async function endStep(
  db: Db,
  ctx: Ctx,
  step: PushStepName,
  patch: Partial<PushStepState>,
  next: PushStepName | null,
): Promise<PushWatch | undefined> {
  const ended = sql`jsonb_set(steps, ${`{${step}}`}::text[], coalesce(steps -> ${step}, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb)`;
  const goesOn = sql`(pushes.status = 'running' and r.status::text = any(${sql.param([...ctx.runsUnder])}::text[]))`;
  const steps = next
    ? sql`case when ${goesOn} then jsonb_set(${ended}, ${`{${next}}`}::text[], ${runningPatch(next)}) else ${ended} end`
    : ended;
  const r =
    await db.execute<PushWatch>(sql`with ${takePending(ctx)} update pushes set steps = ${steps}, updated_at = now()
    from referral_requests r where pushes.id = ${ctx.pushId} and r.id = pushes.referral_request_id
    returning r.status as referral_status, pushes.status as push_status`);
  return r.rows[0];
}

export type RunOutcome =
  | { status: "sent" }
  | { status: "retry"; error: AccloudError | Error; retryAfterMs: number | null }
  | { status: "failed"; error: string }
  /** nothing to do: the push is finished, or its referral no longer waits for it (e.g. marked failed meanwhile) */
  | { status: "skipped"; reason: string }
  /** stopped part way: the referral or the push changed while it ran (the agency sync cancelled it); never "sent" */
  | { status: "stopped"; reason: string };

/**
 * What a run starts from, in one statement: the push, its referral, the approval revision, the
 * submission that revision pinned (of the same referral) and the ACCloud links saved so far.
 */
async function loadPush(db: Db, pushId: string) {
  const [row] = await db
    .select({
      push: pushes,
      referral: referralRequests,
      revision: approvalRevisions,
      submission: { id: referralSubmissions.id, payload: referralSubmissions.payload },
      links: sql<Array<Pick<AccloudLink, "kind" | "localKey" | "accloudId" | "meta">>>`(
        select coalesce(json_agg(json_build_object('kind', l.kind, 'localKey', l.local_key, 'accloudId', l.accloud_id, 'meta', l.meta)), '[]'::json)
        from accloud_links l where l.referral_request_id = ${pushes.referralRequestId})`,
    })
    .from(pushes)
    .leftJoin(referralRequests, eq(referralRequests.id, pushes.referralRequestId))
    .leftJoin(approvalRevisions, eq(approvalRevisions.id, pushes.approvalRevisionId))
    .leftJoin(
      referralSubmissions,
      and(
        eq(referralSubmissions.id, approvalRevisions.submissionId),
        eq(referralSubmissions.referralRequestId, pushes.referralRequestId),
      ),
    )
    .where(eq(pushes.id, pushId))
    .limit(1);
  return row ?? null;
}

/** Runs the remaining steps of a push. Never throws for ACCloud answers: the caller decides on retries. */
export async function runPush(db: Db, client: AccloudClient, pushId: string): Promise<RunOutcome> {
  const loaded = await loadPush(db, pushId);
  if (!loaded) return { status: "skipped", reason: "push not found" };
  const { push, referral, revision, submission, links } = loaded;
  if (!["queued", "running", "retrying"].includes(push.status))
    return { status: "skipped", reason: `push is ${push.status}` };
  // A second job for the same push (an expired job retried while its worker lived) must not run it before its wait.
  if (push.status === "retrying" && push.retryAt && push.retryAt.getTime() > Date.now() + 500)
    return { status: "skipped", reason: "waiting for its retry time" };
  if (!referral || !revision) return { status: "failed", error: "referral or approval missing" };
  // The approval pins the submission it approved: its data and files are sent, never a later amendment's.
  if (!submission) {
    await finishFailed(
      db,
      pushId,
      referral.id,
      "The approval does not name the submission it approved; approve it again.",
      { failure: "no_submission" },
    );
    return { status: "failed", error: "no pinned submission" };
  }
  let refOnce: Promise<PushReference> | undefined;
  const sent = push.kind === "update" ? await sentState(db, referral.id, pushId) : null;

  const ctx: Ctx = {
    db,
    client,
    pushId,
    kind: push.kind,
    referralId: referral.id,
    requestId: referral.requestId,
    referral,
    approval: revision.data,
    revision: {
      id: revision.id,
      revision: revision.revision,
      reasons: revision.reasons,
      revisionComment: revision.revisionComment,
    },
    payload: submission.payload,
    submissionId: submission.id,
    sent,
    input: push.input,
    links: new Map(links.map((l) => [linkKey(l.kind, l.localKey), l.accloudId])),
    linkMeta: new Map(links.map((l) => [linkKey(l.kind, l.localKey), l.meta as Record<string, unknown>])),
    pendingLinks: [],
    pendingWrites: [],
    authorizationIds: (push.steps.authorizations?.accloudIds ?? []).map(Number),
    fresh: false,
    ref: () => (refOnce ??= pushReference(db)),
    runsUnder: runsUnder(push.kind),
  };
  ctx.client = withLinksSaved(client, ctx);
  const statuses = PUSH_KIND_STATUS[push.kind];
  const remaining = STEPS_OF_KIND[push.kind]
    .filter((name) => push.steps[name]?.status !== "done")
    .map((name) => [name, stepOf(push.kind, name)] as const);
  // The first remaining step starts with the push's own start: one statement.
  const first = remaining[0]?.[0];

  const started = await transition(db, actor, {
    name: "push_started",
    id: referral.id,
    apply: async ({ tx, row }) => {
      if (!statuses.waiting.includes(row.status))
        refuse.conflict(`the referral is ${row.status}, not waiting for this ${push.kind} push`);
      const [p] = await tx
        .update(pushes)
        .set({
          status: "running",
          attempts: sql`${pushes.attempts} + 1`,
          updatedAt: new Date(),
          ...(first ? { steps: startedSteps(first) } : {}),
        })
        .where(and(eq(pushes.id, pushId), inArray(pushes.status, ["queued", "running", "retrying"])))
        .returning({ attempts: pushes.attempts });
      if (!p) refuse.conflict("the push is no longer waiting");
      return {
        to: statuses.running ?? row.status,
        audit: {
          action: "push.started",
          details: {
            pushId,
            kind: push.kind,
            attempt: p!.attempts,
            revision: revision.revision,
            resumed: p!.attempts > 1,
          },
        },
        message: "",
        data: {},
      };
    },
  });
  if (started.status !== "success") return { status: "skipped", reason: started.message };

  for (const [i, [name, run]] of remaining.entries()) {
    ctx.fresh = (push.steps[name]?.attempts ?? 0) === 0;
    const next = remaining[i + 1]?.[0] ?? null;
    let watch: PushWatch | undefined;
    try {
      const ids = await run(ctx);
      watch = await endStep(
        db,
        ctx,
        name,
        { status: "done", accloudIds: ids, finishedAt: new Date().toISOString(), error: null },
        next,
      );
      log.info(`push=${pushId} kind=${push.kind} step=${name} done`);
    } catch (err) {
      if (err instanceof PushInterruptedError) {
        // Inside the step (a write before one of its calls found the change): it stops where it is.
        await endStep(
          db,
          ctx,
          name,
          { status: "failed", error: "Stopped: the referral changed while this step ran" },
          null,
        );
        return stopInterrupted(db, { id: pushId, kind: push.kind }, referral.id, { step: name, inside: true }, err);
      }
      const message = describeError(err);
      const retryable = isAccloudError(err) ? err.retryable : !(err instanceof PushStoppedError);
      await endStep(db, ctx, name, { status: "failed", error: message }, null);
      // ACCloud's own message goes to the reviewer (the push row), not to logs: it could echo a value.
      const brief = isAccloudError(err) ? `${err.kind} ${err.status ?? ""} ${err.method} ${err.path}` : errorBrief(err);
      log.warn(`push=${pushId} kind=${push.kind} step=${name} ${retryable ? "will retry" : "stopped"}: ${brief}`);
      if (retryable)
        return { status: "retry", error: err as Error, retryAfterMs: isAccloudError(err) ? err.retryAfterMs : null };
      await finishFailed(db, pushId, referral.id, message, failureOf(err));
      return { status: "failed", error: message };
    }
    // Before the next step's first ACCloud call: the push still runs, under the status it expects?
    const stop = next ? interruption(ctx, watch) : null;
    if (stop)
      return stopInterrupted(db, { id: pushId, kind: push.kind }, referral.id, { step: next!, inside: false }, stop);
  }

  const done = await transition(db, actor, {
    name: "push_sent",
    id: referral.id,
    apply: async ({ tx, row }) => {
      // Sent only while the referral still waits for this push, and the push still runs (the agency sync may have closed both).
      if (!ctx.runsUnder.includes(row.status))
        refuse.conflict(`the referral is ${row.status}, not waiting for this ${push.kind} push`);
      const [p] = await tx
        .update(pushes)
        .set({ status: "sent", lastError: null, finishedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(pushes.id, pushId), eq(pushes.status, "running")))
        .returning({ id: pushes.id });
      if (!p) refuse.conflict("the push is no longer running");
      // The revision ACCloud had before this update is history now.
      if (sent)
        await tx
          .update(approvalRevisions)
          .set({ state: "superseded", updatedAt: new Date() })
          .where(eq(approvalRevisions.id, sent.revisionId));
      return {
        to: statuses.sent ?? row.status,
        audit: {
          action: "push.sent",
          details: { pushId, kind: push.kind, revision: revision.revision, accloud: Object.fromEntries(ctx.links) },
        },
        message: "",
        data: {},
      };
    },
  });
  // Refused (the table or the checks above): every call went through, but the push is not "sent".
  if (done.status !== "success") {
    const found = done.status === "conflict" ? done.data.current.status : null;
    const pushNow = await db.select({ status: pushes.status }).from(pushes).where(eq(pushes.id, pushId));
    return stopInterrupted(
      db,
      { id: pushId, kind: push.kind },
      referral.id,
      null,
      new PushInterruptedError(found, pushNow[0]?.status ?? null),
    );
  }
  return { status: "sent" };
}

/** The statuses a push of `kind` runs under: its running status, or (documents) the ones it waits in. */
const runsUnder = (kind: PushKind): readonly ReferralStatus[] => {
  const s = PUSH_KIND_STATUS[kind];
  return s.running ? [s.running] : s.waiting;
};

/**
 * The referral or the push changed under a running push: someone else owns the referral's status
 * now (the agency sync made it cancelled, the sweeper ended the push), so the push makes no
 * further ACCloud call and is never reported as sent. In one transaction: the push's row says
 * what happened (ended failed if it was still open; its reason otherwise kept, with this added),
 * an audit record says where it stopped, and the people on the request are told once. The
 * referral's status is left as the one who changed it set it.
 */
async function stopInterrupted(
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
