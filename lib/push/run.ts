/**
 * Runs a push, step by step (lib/push/steps/index.ts has the steps of each kind: approve, update,
 * cancel, documents): loads what it starts from, builds its context (lib/push/context.ts), starts
 * it, runs each remaining step and saves its progress as it goes, and ends it "sent". Every other
 * end (failed, waiting for a retry, stopped part way) is lib/push/outcome.ts's. Every status change
 * of the referral goes through the transition path with its audit record.
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
import { sentState } from "../approval/sent-state";
import type { AccloudClient } from "../accloud/client";
import { isAccloudError } from "../accloud/errors";
import { systemActor } from "../access/actors";
import type { Db } from "../db";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { refuse, transition, type TransitionName, type TransitionRequest } from "../workflow/transitions";
import {
  interruption,
  linkKey,
  pushReference,
  PushInterruptedError,
  PushStoppedError,
  takePending,
  withLinksSaved,
  type Ctx,
  type PushReference,
  type PushWatch,
} from "./context";
import { describeError, failureOf, finishFailed, stopInterrupted, type RunOutcome } from "./outcome";
import { stepOf } from "./steps";

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
 * meanwhile); the caller stops otherwise (`interruption` in lib/push/context.ts).
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

  // The run's own transitions: the push worker's, of this referral.
  const change = (name: TransitionName, apply: TransitionRequest<Record<never, never>>["apply"]) =>
    transition(db, actor, { name, id: referral.id, apply });

  const started = await change("push_started", async ({ tx, row }) => {
    refuseUnlessIn(statuses.waiting, row.status, push.kind);
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
  });
  if (started.status !== "success") return { status: "skipped", reason: started.message ?? started.status };

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

  const done = await change("push_sent", async ({ tx, row }) => {
    // Sent only while the referral still waits for this push, and the push still runs (the agency sync may have closed both).
    refuseUnlessIn(ctx.runsUnder, row.status, push.kind);
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

/** Inside the push's transitions: a conflict unless the referral is in one of the statuses the push expects. */
function refuseUnlessIn(expected: readonly ReferralStatus[], status: ReferralStatus, kind: PushKind): void {
  if (!expected.includes(status)) refuse.conflict(`the referral is ${status}, not waiting for this ${kind} push`);
}

/** The statuses a push of `kind` runs under: its running status, or (documents) the ones it waits in. */
const runsUnder = (kind: PushKind): readonly ReferralStatus[] => {
  const s = PUSH_KIND_STATUS[kind];
  return s.running ? [s.running] : s.waiting;
};
