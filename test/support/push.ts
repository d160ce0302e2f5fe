/** Test set-up for the push workflow: a sandbox, reference data, a reviewer, referral requests. */
import { ENDPOINTS } from "../../lib/accloud/endpoints";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { pushes, referralRequests } from "../../db/schema";
import { refreshReferenceData } from "../../lib/accloud/reference-data";
import type { FaultSpec } from "../../lib/accloud/sandbox/control";
import { isoDay, startTestSandbox, TEST_API_KEY, TEST_API_SECRET, type TestSandbox } from "./sandbox";
import { systemActor } from "../../lib/access/actors";
import { getDb } from "../../lib/db";
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

/**
 * A new referral approved by `actor`, its approval taken as drawn for a second review (the draw
 * is random and tested on its own in lib/second-review/second-review.test.ts).
 */
export async function approvedAndDrawn(
  actor: Actor,
): Promise<{ ref: Awaited<ReturnType<typeof newReferral>>; reviewId: string }> {
  const ref = await newReferral();
  const r = await approveReferral(getDb(), actor, {
    referralId: ref.id,
    version: ref.version,
    approval: approvalFor(ref),
  });
  expect(r.status).toBe("success");
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
