/** Test set-up for the push workflow: a sandbox, reference data, a reviewer, referral requests. */
import { ENDPOINTS } from "../../lib/accloud/endpoints";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { approvalRevisions, pushes, referralRequests } from "../../db/schema";
import { refreshReferenceData } from "../../lib/accloud/reference-data";
import type { FaultSpec } from "../../lib/accloud/sandbox/control";
import { startTestSandbox, TEST_API_KEY, TEST_API_SECRET, type TestSandbox } from "./sandbox";
import { isoDay } from "./dates";
import { systemActor } from "../../lib/access/actors";
import { closeDb, getDb } from "../../lib/db";
import { getEnv, resetEnvCache } from "../../lib/env";
import { ingestReferralRequest } from "../../lib/intake/ingest";
import { decodeFiles } from "../../lib/intake/files";
import { ZReferralRequest, type TReferralRequest } from "../../lib/intake/schema";
import { approvalInput, referencePayload } from "./fixtures";
import { createUser } from "../../lib/auth/users";
import type { TApprovalInput } from "../../lib/approval/schema";
import { approveReferral } from "../../lib/approval/approve";
import type { Actor } from "../../lib/access/actors";
import { startWorker, type Worker } from "../../lib/worker/worker";
import { stopSenderBosses } from "../../lib/jobs/queue";
import { runPush } from "../../lib/push/run";

/** Each test file gets its own job-queue schema, so its workers never take another file's jobs. */
export async function setupPushEnvironment(opts: { timeoutMs?: number } = {}) {
  process.env.JOB_QUEUE_SCHEMA = `pgboss_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  resetEnvCache();
  const sbx: TestSandbox = await startTestSandbox({ client: { timeoutMs: opts.timeoutMs ?? 1500 } });
  await refreshReferenceData({ db: getDb(), client: sbx.client });
  const email = `reviewer-${randomUUID().slice(0, 8)}@test.local`;
  const user = await createUser(getDb(), {
    email,
    name: "Test Reviewer",
    role: "reviewer",
    actor: systemActor("test"),
  });
  const actor: Actor = { type: "user", id: user.id, email, name: "Test Reviewer", role: "reviewer", sessionId: "" };
  return { sbx, actor };
}

export type PushEnvironment = Awaited<ReturnType<typeof setupPushEnvironment>>;

/**
 * The file's push environment without a worker (its tests run pushes themselves), for all its
 * tests: set up before the first; after the last, the job senders stopped, the sandbox closed and
 * the database pool closed. Filled in when set up, so read it inside tests and hooks.
 */
export function pushEnvironmentForFile(): PushEnvironment {
  const env = {} as PushEnvironment;
  beforeAll(async () => {
    Object.assign(env, await setupPushEnvironment());
  }, 120_000);
  afterAll(async () => {
    await stopSenderBosses();
    await env.sbx?.close();
    await closeDb();
  });
  return env;
}

/**
 * The file's push environment with an in-process worker, for all its tests: set up before the
 * first, the worker stopped and the sandbox closed after the last. Filled in when set up, so read
 * it inside tests and hooks.
 */
export function pushWorkerForFile(): PushEnvironment {
  const env = {} as PushEnvironment;
  let worker: Worker | undefined;
  beforeAll(async () => {
    Object.assign(env, await setupPushEnvironment());
    worker = await startWorker({ client: env.sbx.client, concurrency: 2, refreshReference: false });
  });
  afterAll(async () => {
    await worker?.stop();
    await env.sbx?.close();
  });
  return env;
}

/**
 * The file's push environment, for all its tests, with an in-process worker that a test starts
 * when it wants one (`runWorker`) and that is stopped after each test (or by `stopWorker`).
 */
export function pushWorkerPerTest(): {
  env: PushEnvironment;
  runWorker: () => Promise<void>;
  stopWorker: () => Promise<void>;
} {
  const env = {} as PushEnvironment;
  let worker: Worker | null = null;
  const stopWorker = async () => {
    await worker?.stop();
    worker = null;
  };
  beforeAll(async () => {
    Object.assign(env, await setupPushEnvironment());
  });
  afterEach(stopWorker);
  afterAll(async () => {
    await env.sbx?.close();
  });
  const runWorker = async () => {
    worker = await startWorker({ client: env.sbx.client, concurrency: 2, refreshReference: false });
  };
  return { env, runWorker, stopWorker };
}

/**
 * The same with the worker as a real child process (`npm run worker`'s script), so a test can
 * crash it: `killAndRestartWorker` SIGKILLs it and starts another in its place.
 */
export function pushChildWorkerForFile(): { env: PushEnvironment; killAndRestartWorker: () => void } {
  const env = {} as PushEnvironment;
  let worker: ChildProcess | null = null;
  beforeAll(async () => {
    Object.assign(env, await setupPushEnvironment());
    worker = startChildWorker(env.sbx.url);
  });
  afterAll(async () => {
    killGroup(worker);
    await env.sbx?.close();
  });
  const killAndRestartWorker = () => {
    killGroup(worker);
    worker = startChildWorker(env.sbx.url);
  };
  return { env, killAndRestartWorker };
}

/** A referral request like the reference one, with its own request_id and (optionally) agency client id. */
export async function newReferral(
  over: {
    clientId?: number;
    agencyOrgId?: string;
    agencyName?: string;
    client?: Partial<TReferralRequest["client"]>;
  } = {},
) {
  const base = referencePayload();
  const payload: TReferralRequest = ZReferralRequest.parse({
    ...base,
    request_id: randomUUID(),
    client: { ...base.client, ...over.client, id: over.clientId ?? Math.floor(Math.random() * 1e9) },
    agency: {
      ...base.agency,
      ...(over.agencyOrgId ? { alayamarket_org_id: over.agencyOrgId } : {}),
      ...(over.agencyName ? { name: over.agencyName } : {}),
    },
    form_data: {
      ...base.form_data,
      fields: base.form_data.fields.map((f) =>
        f.field_label === "Service start date"
          ? { ...f, field_value: dayFromToday(3) }
          : f.field_label === "Service end date"
            ? { ...f, field_value: dayFromToday(60) }
            : f,
      ),
    },
  });
  const files = await decodeFiles(payload.files ?? [], 50 * 1024 * 1024);
  const r = await ingestReferralRequest(getDb(), { payload, files, actor: systemActor("test") });
  const [row] = await getDb().select().from(referralRequests).where(eq(referralRequests.id, r.id));
  return { id: r.id, requestId: r.requestId, version: row!.version, payload };
}

/** `actor` approves `ref` at the version it was received with: `approval`, or the usual one for it. */
export function approveAs(
  actor: Actor,
  ref: { id: string; version: number; payload: TReferralRequest },
  approval: TApprovalInput = approvalFor(ref),
) {
  return approveReferral(getDb(), actor, { referralId: ref.id, version: ref.version, approval });
}

/** A new referral approved by `actor` (approvalFor with `over`) and sent by the file's worker: revision 1 in ACCloud. */
export async function approvedAndSent(actor: Actor, over: Partial<TApprovalInput> = {}) {
  const ref = await newReferral();
  const approval = approvalFor(ref, over);
  expect((await approveAs(actor, ref, approval)).status).toBe("success");
  const p = await waitForPush(ref.id);
  expect(p.status, p.lastError ?? "").toBe("sent");
  return { ...ref, approval };
}

/**
 * A new referral approved by the environment's reviewer (`approval`, or the usual one) and sent by
 * the real push, run here (for files without a worker): revision 1 in ACCloud.
 */
export async function approvedAndPushedHere(
  env: PushEnvironment,
  approval: (ref: NewReferral) => TApprovalInput = (ref) => approvalFor(ref),
): Promise<{ ref: NewReferral; approval: TApprovalInput }> {
  const ref = await newReferral();
  const a = approval(ref);
  const r = await approveAs(env.actor, ref, a);
  expect(r.status, r.message).toBe("success");
  expect(await runPush(getDb(), env.sbx.client, (r as { data: { pushId: string } }).data.pushId)).toEqual({
    status: "sent",
  });
  return { ref, approval: a };
}

/** ACCloud refuses the next call to `route` with a 400 and `message`, as a real tenant rule would. */
export function refuseNext(sbx: TestSandbox, route: { method: string; path: string }, message: string) {
  return sbx.control.addFault({ ...route, times: 1, kind: "status", status: 400, body: { code: "400", message } });
}

/** A referral's approval revisions, oldest first. */
export function approvalRevisionsOf(referralId: string) {
  return getDb()
    .select()
    .from(approvalRevisions)
    .where(eq(approvalRevisions.referralRequestId, referralId))
    .orderBy(asc(approvalRevisions.revision));
}

export type NewReferral = Awaited<ReturnType<typeof newReferral>>;

/** The referral's row as it is now. */
export async function referralRow(id: string) {
  return (await getDb().select().from(referralRequests).where(eq(referralRequests.id, id)))[0]!;
}

/**
 * A new referral approved by `actor`, its approval taken as drawn for a second review (the draw
 * is random and tested on its own in lib/second-review/second-review.test.ts).
 */
export async function approvedAndDrawn(
  actor: Actor,
): Promise<{ ref: Awaited<ReturnType<typeof newReferral>>; reviewId: string }> {
  const ref = await newReferral();
  expect((await approveAs(actor, ref)).status).toBe("success");
  const row = (
    await getDb().execute<{
      id: string;
    }>(sql`insert into second_reviews (referral_request_id, approval_revision_id, approved_by_id, sample_percent)
    select referral_request_id, id, approved_by_id, 10 from approval_revisions where referral_request_id = ${ref.id} and state = 'approved'
    on conflict (approval_revision_id) do update set sample_percent = 10 returning id`)
  ).rows[0]!;
  return { ref, reviewId: row.id };
}

/** The UTC calendar day `days` from today (the sandbox's helper, under the name the push tests use). */
export const dayFromToday = isoDay;

export function approvalFor(ref: { payload: TReferralRequest }, over: Partial<TApprovalInput> = {}): TApprovalInput {
  return approvalInput({
    startDate: dayFromToday(3),
    endDate: dayFromToday(60),
    supplyPersonaId: ref.payload.agency.alayamarket_org_id,
    comment: "Approved for twice-weekly visits",
    caseManager: { name: "Casey Manager", phone: "555-000-1111", email: "casey@csi.example" },
    authorizations: [
      {
        ruleType: "VISITS",
        ruleMode: "weekdays",
        weekdays: { monday: 1, thursday: 1 },
        ruleWeekly: 2,
        rulePeriod: 10,
        firstDayOfWeek: 6,
        memberNumber: "1111111",
      },
    ],
    ...over,
  });
}

export async function waitForPush(
  referralId: string,
  until: (status: string) => boolean = (s) => s === "sent" || s === "failed",
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [p] = await getDb()
      .select()
      .from(pushes)
      .where(eq(pushes.referralRequestId, referralId))
      .orderBy(sql`${pushes.createdAt} desc`)
      .limit(1);
    if (p && until(p.status)) return p;
    if (Date.now() > deadline)
      throw new Error(`push did not finish in time (status ${p?.status ?? "none"}; last error ${p?.lastError ?? "-"})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A real worker process (`npm run worker`'s script) on this file's queue schema and sandbox. */
export function startChildWorker(sandboxUrl: string, extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/worker.ts"], {
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      ACCLOUD_URL: sandboxUrl,
      // A serving process with DATABASE_URL set needs the app's public URL (lib/env.ts, serverSettingsProblem).
      APP_URL: "http://localhost:3999",
      ACCLOUD_API_KEY: TEST_API_KEY,
      ACCLOUD_API_SECRET: TEST_API_SECRET,
      ACCLOUD_TIMEOUT_MS: "1500",
      JOB_QUEUE_SCHEMA: getEnv().JOB_QUEUE_SCHEMA,
      WORKER_CONCURRENCY: "2",
      WORKER_REFRESH_REFERENCE: "false",
      LOG_LEVEL: "error",
      ...extraEnv,
    },
  });
}

/** SIGKILL of the worker's whole process group (tsx runs node as a child), as a crash would. */
export function killGroup(child: ChildProcess | null): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* already gone */
  }
}

/** The fault matrix's faults, for one ACCloud route: each must end sent with nothing created twice. */
export const FAULTS: Record<string, (route: { method: string; path: string }) => FaultSpec> = {
  "500 then success": (r) => ({ ...r, kind: "status", status: 500, times: 1 }),
  "429 with Retry-After": (r) => ({ ...r, kind: "status", status: 429, retryAfter: 1, times: 1 }),
  timeout: (r) => ({ ...r, kind: "timeout", times: 1 }),
  "reset connection": (r) => ({ ...r, kind: "reset", times: 1 }),
  "applied but answer lost": (r) => ({ ...r, kind: "apply_then_fail", then: "status", status: 502, times: 1 }),
};

/** After a 429 with Retry-After, ACCloud was called again no sooner than the wait it asked for. */
export async function expectRetryAfterHonoured(sbx: TestSandbox, route: { method: string; path: string }) {
  const calls = (await sbx.control.calls()).filter((c) => c.method === route.method && c.route === route.path);
  const limited = calls.findIndex((c) => c.status === 429);
  if (limited < 0) throw new Error(`no 429 was answered on ${route.method} ${route.path}`);
  const next = calls[limited + 1];
  if (!next) throw new Error("no call followed the 429");
  if (Date.parse(next.at) - Date.parse(calls[limited]!.at) < 1000)
    throw new Error("the call after the 429 came before its Retry-After");
}

/** Waits until a step of the latest push is in flight (to kill its worker then). */
export async function waitForStepRunning(referralId: string, step: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await waitForPush(referralId, () => true);
    if (p.steps[step]?.status === "running") return;
    if (Date.now() > deadline) throw new Error(`step ${step} never started`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** The client endpoint each step of a push calls, per kind of push: where a test injects a fault for that step. */
const STEP_ENDPOINTS = {
  approve: {
    client: "createClient",
    service: "createService",
    authorizations: "createAuthorization",
    referral: "createReferral",
    attachments: "uploadClientAttachment",
  },
  update: {
    client: "updateClient",
    service: "updateService",
    authorizations: "createAuthorization",
    referral: "updateReferral",
    attachments: "uploadClientAttachment",
    cleanup: "deleteAuthorization",
  },
  cancel: { cancel: "cancelReferral" },
} as const satisfies Record<string, Record<string, keyof typeof ENDPOINTS>>;

/** Method and path template of each step of a push of `kind`. */
export function stepEndpoints<K extends keyof typeof STEP_ENDPOINTS>(kind: K) {
  const steps = STEP_ENDPOINTS[kind];
  return Object.fromEntries(
    Object.entries(steps).map(([step, name]) => [step, { method: ENDPOINTS[name].method, path: ENDPOINTS[name].path }]),
  ) as Record<keyof (typeof STEP_ENDPOINTS)[K] & string, { method: string; path: string }>;
}
