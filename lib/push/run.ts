/**
 * Delivers an approved revision to ACCloud (seed 001, "Option 1"), one call per step:
 *   1 client  2 service  3 authorization(s)  4 referral approval  5 attachments.
 * Every ACCloud id is saved in accloud_links the moment it returns, in the same transaction as
 * the step's progress. Before creating anything, a step looks for its earlier work, so a retry
 * after a crash, a timeout or an answer lost after ACCloud applied the call never creates a
 * second entity (the README's "Push design" explains each lookup).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  accloudLinks,
  approvalRevisions,
  pushes,
  referralFiles,
  referralRequests,
  referralSubmissions,
  type PushStepName,
  type PushStepState,
} from "../../db/schema";
import { isAccloudError, type AccloudError } from "../accloud/errors";
import type { AccloudClient } from "../accloud/client";
import type { TAuthorization, TAuthorizationCreate } from "../accloud/schemas";
import { getReferenceData } from "../accloud/reference-data";
import { systemActor } from "../audit";
import type { TApproval } from "../approval/schema";
import { WEEKDAYS } from "../approval/schema";
import { toAccloudAuthorization } from "../approval/to-accloud";
import { getPool, type Db } from "../db";
import { getEnv } from "../env";
import type { TReferralRequest } from "../intake/schema";
import { logger } from "../log";
import { queueNotification } from "../notifications/outbox";
import { refuse, transition } from "../referrals/transitions";
import { localMidnightIso } from "./time";

const log = logger("push");
const actor = systemActor("push worker");

export class PushStoppedError extends Error {
  override readonly name = "PushStoppedError";
}

type Ctx = {
  db: Db;
  client: AccloudClient;
  pushId: string;
  referralId: string;
  requestId: string;
  approval: TApproval;
  payload: TReferralRequest;
  referral: typeof referralRequests.$inferSelect;
  submissionId: string;
  links: Map<string, string>;
  /** true on a step's first attempt: no earlier call of this push can have applied it */
  fresh: boolean;
  /** ACCloud reference data, read once per run */
  ref: () => ReturnType<typeof getReferenceData>;
};

const linkKey = (kind: string, localKey: string) => `${kind}:${localKey}`;

/** The agency's client id, namespaced by agency: two agencies' client 1094 never collide. */
export const clientExternalId = (agencyOrgId: string, agencyClientId: number) => `${agencyOrgId.toLowerCase()}:${agencyClientId}`;

async function saveLink(ctx: Ctx, kind: "client" | "service" | "authorization" | "referral" | "attachment", localKey: string, accloudId: string | number, meta: Record<string, unknown> = {}, referralFileId?: string) {
  await ctx.db
    .insert(accloudLinks)
    .values({ referralRequestId: ctx.referralId, kind, localKey, accloudId: String(accloudId), meta, pushId: ctx.pushId, referralFileId: referralFileId ?? null })
    .onConflictDoUpdate({ target: [accloudLinks.referralRequestId, accloudLinks.kind, accloudLinks.localKey], set: { accloudId: String(accloudId), meta } });
  ctx.links.set(linkKey(kind, localKey), String(accloudId));
}

async function setStep(db: Db, pushId: string, step: PushStepName, patch: Partial<PushStepState>) {
  await db.execute(sql`update pushes set steps = jsonb_set(steps, ${`{${step}}`}::text[], coalesce(steps -> ${step}, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb),
    updated_at = now() where id = ${pushId}`);
}

async function bumpStep(db: Db, pushId: string, step: PushStepName) {
  await db.execute(sql`update pushes set steps = jsonb_set(steps, ${`{${step}}`}::text[],
      coalesce(steps -> ${step}, '{}'::jsonb) || jsonb_build_object('status', 'running', 'attempts', coalesce((steps -> ${step} ->> 'attempts')::int, 0) + 1, 'startedAt', now(), 'error', null)),
    updated_at = now() where id = ${pushId}`);
}

/**
 * get → 404 → create → 409 → get: idempotent on an external id. On a step's first attempt
 * nothing of ours can exist yet, so the lookup is skipped (create, and only a 409 looks up).
 */
async function findOrCreate<T>(find: () => Promise<T>, create: () => Promise<T>, fresh: boolean): Promise<T> {
  if (!fresh) {
    try {
      return await find();
    } catch (err) {
      if (!(isAccloudError(err) && err.isNotFound)) throw err;
    }
  }
  try {
    return await create();
  } catch (err) {
    if (isAccloudError(err) && err.isConflict) return find();
    throw err;
  }
}

function demographics(p: TReferralRequest) {
  const c = p.client;
  const gender = c.gender ? ({ f: "F", female: "F", m: "M", male: "M", o: "O", other: "O" } as Record<string, "F" | "M" | "O">)[c.gender.trim().toLowerCase()] : undefined;
  const optional = { address: c.address, city: c.city, state: c.state, zip: c.zip, country: c.country, birthday: c.birthday, email: c.email, phone_main: c.phone_main };
  return {
    first_name: c.first_name,
    last_name: c.last_name,
    ...(gender ? { gender } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => typeof v === "string" && v.trim() !== "")),
  };
}

async function stepClient(ctx: Ctx): Promise<Array<string | number>> {
  const existing = ctx.links.get(linkKey("client", "client"));
  if (existing) return [existing];
  const env = getEnv();
  const ref = await ctx.ref();
  if (!ref.csiGroup) throw new PushStoppedError(`The ACCloud group "${env.ACCLOUD_CSI_GROUP_NAME}" is not known: refresh the reference data`);
  const externalId = clientExternalId(ctx.referral.agencyOrgId, ctx.referral.clientExternalId);
  const found = await findOrCreate(
    async () => ({ id: (await ctx.client.getClientByExternalId(externalId)).id }),
    async () =>
      ctx.client.createClient({
        external_id: externalId,
        branch_id: env.ACCLOUD_HQ_BRANCH_ID,
        demographics: demographics(ctx.payload),
        groups: [{ id: ref.csiGroup!.id }],
        timezone: ctx.payload.client.timezone,
      }),
    ctx.fresh,
  );
  await saveLink(ctx, "client", "client", found.id, { externalId });
  return [found.id];
}

async function stepService(ctx: Ctx): Promise<Array<string | number>> {
  const existing = ctx.links.get(linkKey("service", "service"));
  if (existing) return [existing];
  const clientId = Number(ctx.links.get(linkKey("client", "client")));
  const a = ctx.approval;
  const ref = await ctx.ref();
  const code = ref.serviceCodes.find((c) => c.id === a.serviceCodeId);
  const found = await findOrCreate(
    async () => ({ id: (await ctx.client.getServiceByExternalId(ctx.requestId)).alayacare_service_id }),
    async () =>
      ctx.client.createService({
        service_id: ctx.requestId,
        name: code?.name ?? ctx.referral.serviceRequested ?? "Referral service",
        client: { alayacare_client_id: clientId },
        service_code_id: a.serviceCodeId,
        funding_methodology: "single_funder",
        guid_funder_breakdowns: [{ funder_id: a.funderId, is_primary: 1, percentage: 100 }],
        start_date: a.startDate,
        projected_end_date: a.endDate,
        profile: { target_agency: ctx.referral.agencyName },
      }),
    ctx.fresh,
  );
  await saveLink(ctx, "service", "service", found.id);
  return [found.id];
}

function authorizationBody(ctx: Ctx, i: number, clientId: number, serviceId: number): TAuthorizationCreate {
  return toAccloudAuthorization(ctx.approval, i, { clientId, serviceId });
}

/** An authorization already in ACCloud that is this one (same service, dates, rules and identifiers). */
function sameAuthorization(found: TAuthorization, body: TAuthorizationCreate): boolean {
  const f = found as Record<string, unknown>;
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const keys = ["rule_daily", "rule_weekly", "rule_monthly", "rule_period", ...WEEKDAYS.map((d) => `rule_${d}`)];
  return (
    String(found.start_at).slice(0, 10) === body.start_at &&
    String(found.end_at ?? "").slice(0, 10) === body.end_at &&
    found.rule_type === body.rule_type &&
    (found.authorization_number ?? undefined) === (body.authorization_number ?? undefined) &&
    keys.every((k) => num(f[k]) === num((body as Record<string, unknown>)[k]))
  );
}

async function stepAuthorizations(ctx: Ctx): Promise<Array<string | number>> {
  const clientId = Number(ctx.links.get(linkKey("client", "client")));
  const serviceId = Number(ctx.links.get(linkKey("service", "service")));
  const ids: Array<string | number> = [];
  for (let i = 0; i < ctx.approval.authorizations.length; i++) {
    const key = `auth:${i}`;
    const existing = ctx.links.get(linkKey("authorization", key));
    if (existing) {
      ids.push(existing);
      continue;
    }
    const body = authorizationBody(ctx, i, clientId, serviceId);
    // Authorizations have no external id: look for one on this (request-specific) service that
    // matches and is not already linked to another of ours.
    const taken = new Set([...ctx.links.entries()].filter(([k]) => k.startsWith("authorization:")).map(([, v]) => v));
    const candidates = ctx.fresh ? [] : await ctx.client.listAllAuthorizations({ start_at_from: body.start_at, start_at_to: body.start_at, client_id: clientId, service_id: [serviceId] });
    const match = candidates.find((c) => !taken.has(String(c.id)) && (c.service_ids ?? []).includes(serviceId) && sameAuthorization(c, body));
    const id = match ? match.id : (await ctx.client.createAuthorization(body)).id;
    await saveLink(ctx, "authorization", key, id, { index: i });
    ids.push(id);
  }
  return ids;
}

async function stepReferral(ctx: Ctx): Promise<Array<string | number>> {
  const existing = ctx.links.get(linkKey("referral", "referral"));
  if (existing) return [existing];
  const clientId = Number(ctx.links.get(linkKey("client", "client")));
  const serviceId = Number(ctx.links.get(linkKey("service", "service")));
  const authorizationIds = ctx.approval.authorizations.map((_, i) => Number(ctx.links.get(linkKey("authorization", `auth:${i}`))));
  const tz = ctx.payload.client.timezone;
  const a = ctx.approval;
  const find = async () => {
    const live = (await ctx.client.listReferralsForService(clientId, serviceId, { revisions: "latest" })).filter((r) => r.referral.status !== "cancelled");
    const hit = live[0];
    return hit ? { id: hit.referral.id, revision: hit.revision as { revision_group_id: string; revision_number: number } | undefined } : null;
  };
  let found: Awaited<ReturnType<typeof find>> = ctx.fresh ? null : await find();
  if (!found) {
    try {
      const created = await ctx.client.createReferral(serviceId, {
        care_type: a.careType,
        referral_type: "service",
        start_at: localMidnightIso(a.startDate, tz),
        end_at: localMidnightIso(a.endDate, tz),
        supply_persona_id: a.supplyPersonaId,
        authorization_ids: authorizationIds,
        ...(a.comment ? { comment: a.comment } : {}),
        case_manager: { name: a.caseManager.name, phone_number: a.caseManager.phone ?? null, fax_number: a.caseManager.fax ?? null, email: a.caseManager.email ?? null },
      });
      found = { id: created.referral.id, revision: created.revision ?? undefined };
    } catch (err) {
      // One live referral per service: a 409 means our earlier create went through.
      if (isAccloudError(err) && err.isConflict) found = await find();
      if (!found) throw err;
    }
  }
  await saveLink(ctx, "referral", "referral", found!.id, { revisionGroupId: found!.revision?.revision_group_id ?? null, revisionNumber: found!.revision?.revision_number ?? 1 });
  return [found!.id];
}

async function stepAttachments(ctx: Ctx): Promise<Array<string | number>> {
  const referralAccloudId = ctx.links.get(linkKey("referral", "referral"))!;
  const files = await ctx.db
    .select({ id: referralFiles.id, safeName: referralFiles.safeName, contentType: referralFiles.contentType, sha256: referralFiles.sha256, data: referralFiles.data })
    .from(referralFiles)
    .where(eq(referralFiles.submissionId, ctx.submissionId))
    .orderBy(referralFiles.idx);
  const paths: Array<string | number> = [];
  for (const f of files) {
    const key = `file:${f.sha256}`;
    const existing = ctx.links.get(linkKey("attachment", key));
    if (existing) {
      paths.push(existing);
      continue;
    }
    let filepath: string;
    try {
      filepath = (await ctx.client.uploadClientAttachment(referralAccloudId, { filename: f.safeName, contentType: f.contentType, data: f.data })).filepath;
    } catch (err) {
      // The same bytes are already attached (an earlier upload whose answer was lost).
      if (!(isAccloudError(err) && err.isConflict)) throw err;
      filepath = `(already attached) ${f.safeName}`;
    }
    await saveLink(ctx, "attachment", key, filepath, { name: f.safeName }, f.id);
    paths.push(filepath);
  }
  return paths;
}

const STEPS: Array<[PushStepName, (ctx: Ctx) => Promise<Array<string | number>>]> = [
  ["client", stepClient],
  ["service", stepService],
  ["authorizations", stepAuthorizations],
  ["referral", stepReferral],
  ["attachments", stepAttachments],
];

export type RunOutcome =
  | { status: "sent" }
  | { status: "retry"; error: AccloudError | Error; retryAfterMs: number | null }
  | { status: "failed"; error: string }
  /** nothing to do: the push is finished, or its referral no longer waits for it (e.g. marked failed meanwhile) */
  | { status: "skipped"; reason: string };

/** Runs the remaining steps of a push. Never throws for ACCloud answers: the caller decides on retries. */
export async function runPush(db: Db, client: AccloudClient, pushId: string): Promise<RunOutcome> {
  const [push] = await db.select().from(pushes).where(eq(pushes.id, pushId)).limit(1);
  if (!push) return { status: "skipped", reason: "push not found" };
  if (!["queued", "running", "retrying"].includes(push.status)) return { status: "skipped", reason: `push is ${push.status}` };
  // A second job for the same push (an expired job retried while its worker lived) must not run it before its wait.
  if (push.status === "retrying" && push.retryAt && push.retryAt.getTime() > Date.now() + 500) return { status: "skipped", reason: "waiting for its retry time" };
  const [referral] = await db.select().from(referralRequests).where(eq(referralRequests.id, push.referralRequestId)).limit(1);
  const [revision] = push.approvalRevisionId ? await db.select().from(approvalRevisions).where(eq(approvalRevisions.id, push.approvalRevisionId)).limit(1) : [];
  if (!referral || !revision) return { status: "failed", error: "referral or approval missing" };
  // The approval pins the submission it approved: its data and files are sent, never a later amendment's.
  const [submission] = revision.submissionId
    ? await db
        .select({ id: referralSubmissions.id, payload: referralSubmissions.payload })
        .from(referralSubmissions)
        .where(and(eq(referralSubmissions.id, revision.submissionId), eq(referralSubmissions.referralRequestId, referral.id)))
        .limit(1)
    : [];
  if (!submission) {
    await finishFailed(db, pushId, referral.id, "The approval does not name the submission it approved; approve it again.");
    return { status: "failed", error: "no pinned submission" };
  }
  const links = await db.select().from(accloudLinks).where(eq(accloudLinks.referralRequestId, referral.id));
  let refOnce: ReturnType<typeof getReferenceData> | undefined;

  const ctx: Ctx = {
    db,
    client,
    pushId,
    referralId: referral.id,
    requestId: referral.requestId,
    approval: revision.data as TApproval,
    payload: submission.payload as TReferralRequest,
    referral,
    submissionId: submission.id,
    links: new Map(links.map((l) => [linkKey(l.kind, l.localKey), l.accloudId])),
    fresh: false,
    ref: () => (refOnce ??= getReferenceData(getPool())),
  };

  const started = await transition(db, actor, {
    name: "push_started",
    id: referral.id,
    apply: async ({ tx, row }) => {
      const [p] = await tx
        .update(pushes)
        .set({ status: "running", attempts: sql`${pushes.attempts} + 1`, updatedAt: new Date() })
        .where(and(eq(pushes.id, pushId), inArray(pushes.status, ["queued", "running", "retrying"])))
        .returning({ attempts: pushes.attempts });
      if (!p) refuse.conflict("the push is no longer waiting");
      return { to: "pushing", audit: { action: "push.started", details: { pushId, attempt: p!.attempts, revision: revision.revision, resumed: row.status === "pushing" } }, message: "", data: {} };
    },
  });
  if (started.status !== "success") return { status: "skipped", reason: started.message };

  for (const [name, run] of STEPS) {
    const state = push.steps[name];
    if (state?.status === "done") continue;
    ctx.fresh = (state?.attempts ?? 0) === 0;
    await bumpStep(db, pushId, name);
    try {
      const ids = await run(ctx);
      await setStep(db, pushId, name, { status: "done", accloudIds: ids, finishedAt: new Date().toISOString(), error: null });
      log.info(`push=${pushId} step=${name} done`);
    } catch (err) {
      const message = describeError(err);
      const retryable = isAccloudError(err) ? err.retryable : !(err instanceof PushStoppedError);
      await setStep(db, pushId, name, { status: "failed", error: message });
      // ACCloud's own message goes to the reviewer (the push row), not to logs: it could echo a value.
      const brief = isAccloudError(err) ? `${err.kind} ${err.status ?? ""} ${err.method} ${err.path}` : (err as Error).name;
      log.warn(`push=${pushId} step=${name} ${retryable ? "will retry" : "stopped"}: ${brief}`);
      if (retryable) return { status: "retry", error: err as Error, retryAfterMs: isAccloudError(err) ? err.retryAfterMs : null };
      await finishFailed(db, pushId, referral.id, message);
      return { status: "failed", error: message };
    }
  }

  await transition(db, actor, {
    name: "push_sent",
    id: referral.id,
    apply: async ({ tx }) => {
      await tx.update(pushes).set({ status: "sent", lastError: null, finishedAt: new Date(), updatedAt: new Date() }).where(eq(pushes.id, pushId));
      return { to: "sent", audit: { action: "push.sent", details: { pushId, revision: revision.revision, accloud: Object.fromEntries(ctx.links) } }, message: "", data: {} };
    },
  });
  return { status: "sent" };
}

/** The push ends failed with a reason the reviewer reads on the page; a retry starts from the failed step. */
export async function finishFailed(db: Db, pushId: string, referralId: string, message: string): Promise<boolean> {
  const r = await transition(db, actor, {
    name: "push_failed",
    id: referralId,
    apply: async ({ tx, nextVersion }) => {
      const [p] = await tx
        .update(pushes)
        .set({ status: "failed", lastError: message, finishedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(pushes.id, pushId), inArray(pushes.status, ["queued", "running", "retrying"])))
        .returning({ id: pushes.id });
      if (!p) refuse.conflict("the push is already finished");
      // E-mail to the people on the request, queued in this transaction (lib/notifications/outbox.ts).
      await queueNotification(tx, { event: "push_failed", referralId, eventKey: `${pushId}:v${nextVersion}` });
      return { to: "push_failed", audit: { action: "push.failed", details: { pushId, error: message } }, message: "", data: {} };
    },
  });
  return r.status === "success";
}

/**
 * A retryable answer: the push waits and a new job is scheduled for later (startAfter), in the
 * same transaction as the status and its audit record, so nothing sleeps inside a job.
 */
export async function scheduleRetry(db: Db, pushId: string, referralId: string, message: string, afterSeconds: number): Promise<boolean> {
  const r = await transition(db, actor, {
    name: "push_retrying",
    id: referralId,
    apply: async ({ tx }) => {
      const [p] = await tx
        .update(pushes)
        .set({ status: "retrying", lastError: message, retryAt: sql`now() + make_interval(secs => ${afterSeconds})`, updatedAt: new Date() })
        .where(and(eq(pushes.id, pushId), inArray(pushes.status, ["running", "retrying"])))
        .returning({ attempts: pushes.attempts });
      if (!p) refuse.conflict("the push is not running");
      return {
        audit: { action: "push.retrying", details: { pushId, attempt: p!.attempts, error: message, retryInSeconds: afterSeconds } },
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
    if (err.kind === "http") return `ACCloud answered ${err.status}${err.accloudMessage ? `: ${err.accloudMessage}` : ""} (${err.method} ${err.path})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
