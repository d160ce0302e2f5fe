// Run with --conditions=react-server (npm run bench:push): it approves through lib/approval/approve.ts, which is server-only.
/**
 * `npm run bench:push` (a benchmark, not a test): 200 approvals pushed through the queue and the
 * worker against the sandbox with zero latency, and in the same run a baseline that makes the
 * same ACCloud calls directly (no queue, no bookkeeping) with the same concurrency. The approvals
 * are made before the worker starts; the pushes are timed from the first one's first step to the
 * last one's end.
 * Prints pushes per second for both, the ratio, and our own milliseconds per ACCloud call
 * (push time minus the time spent waiting on ACCloud, divided by the calls made).
 */
import { randomUUID } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { cpuMeter, loadAverage, printResults, result } from "./bench-figures";
import { setInProcessEnv } from "./in-process-env";
import { isoDay } from "../test/support/dates";

const N = Number(process.env.BENCH_PUSHES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
setInProcessEnv("bench");
process.env.PUSH_MAINTENANCE_SECONDS = "5";
// DATABASE_URL is set below: what the app asks for with it (lib/env.ts), though nothing here serves.
if (!process.env.ACCLOUD_URL) process.env.ACCLOUD_SANDBOX = "true";

const { startEmbeddedPostgres } = await import("../db/embedded");
const { runMigrations } = await import("../db/migrate");
const tmp = mkdtempSync(path.join(os.tmpdir(), "csi-bench-push-"));
chmodSync(tmp, 0o755);
const pgdb = await startEmbeddedPostgres({ dataRoot: tmp, database: "bench", preferredPort: 0 });
process.env.DATABASE_URL = pgdb.url;
await runMigrations(pgdb.url);

const { startSandbox } = await import("../lib/accloud/sandbox/server");
const { createAccloudClient } = await import("../lib/accloud/client");
const { refreshReferenceData } = await import("../lib/accloud/reference-data");
const { getDb, getPool, closeDb } = await import("../lib/db");
const { systemActor } = await import("../lib/access/actors");
const { createUser } = await import("../lib/auth/users");
const { ingestReferralRequest } = await import("../lib/intake/ingest");
const { decodeFiles } = await import("../lib/intake/files");
const { ZReferralRequest } = await import("../lib/intake/schema");
const { approveReferral } = await import("../lib/approval/approve");
const { startWorker } = await import("../lib/worker/worker");
const { localMidnightIso } = await import("../lib/approval/local-midnight");

const sandbox = await startSandbox({
  databaseUrl: pgdb.url,
  port: 0,
  apiKey: "k",
  apiSecret: "s",
  controlKey: "c",
  schema: "accloud_sandbox",
});
let accloudMs = 0;
let accloudCalls = 0;
const client = createAccloudClient({
  baseUrl: sandbox.url,
  apiKey: "k",
  apiSecret: "s",
  timeoutMs: 10_000,
  log: (e) => {
    accloudMs += e.durationMs;
    accloudCalls += 1;
  },
});
await refreshReferenceData({ db: getDb(), client });
const user = await createUser(getDb(), {
  email: "bench@local",
  name: "Bench",
  role: "reviewer",
  actor: systemActor("bench"),
});
const base = JSON.parse(readFileSync(path.resolve("reference/new_referral_request_payload.json"), "utf8"));

async function makeReferrals(n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const payload = ZReferralRequest.parse({
      ...base,
      request_id: randomUUID(),
      client: { ...base.client, id: 1_000_000 + Math.floor(Math.random() * 1e8) },
    });
    const files = await decodeFiles(payload.files ?? [], 50 * 1024 * 1024);
    const r = await ingestReferralRequest(getDb(), { payload, files, actor: systemActor("bench") });
    out.push({ id: r.id, requestId: r.requestId, payload });
  }
  return out;
}
const approval = (orgId: string) => ({
  careType: "nursing",
  serviceCodeId: 48,
  funderId: 9,
  startDate: isoDay(3),
  endDate: isoDay(60),
  supplyPersonaId: orgId,
  caseManager: { name: "Bench Manager" },
  authorizations: [
    {
      ruleType: "VISITS",
      ruleMode: "weekdays",
      weekdays: { monday: 1, thursday: 1 },
      ruleWeekly: 2,
      firstDayOfWeek: 6,
    },
  ],
});

// Baseline: the same calls, straight through the client, CONCURRENCY at a time.
const baselineRefs = await makeReferrals(N);
const fileBytes = Buffer.from(base.files[0].file_value, "base64");
let next = 0;
accloudMs = 0;
accloudCalls = 0;
const baselineCpu = cpuMeter();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < baselineRefs.length) {
      const r = baselineRefs[next++]!;
      const c = await client.createClient({
        external_id: `b:${r.requestId}`,
        branch_id: 1000,
        demographics: { first_name: "B", last_name: "L" },
        groups: [{ id: 1008 }],
        timezone: "America/Denver",
      });
      const s = await client.createService({
        service_id: r.requestId,
        name: "PT",
        client: { alayacare_client_id: c.id },
        service_code_id: 48,
        funding_methodology: "single_funder",
        guid_funder_breakdowns: [{ funder_id: 9, is_primary: 1, percentage: 100 }],
      });
      const a = await client.createAuthorization({
        client_id: c.id,
        service_ids: [s.id],
        start_at: isoDay(3),
        end_at: isoDay(60),
        methodology: "service",
        rule_type: "VISITS",
        first_day_of_week: 6,
        rule_weekly: 2,
      });
      const ref = await client.createReferral(s.id, {
        care_type: "nursing",
        referral_type: "service",
        start_at: localMidnightIso(isoDay(3), "America/Denver"),
        end_at: localMidnightIso(isoDay(60), "America/Denver"),
        supply_persona_id: r.payload.agency.alayamarket_org_id,
        authorization_ids: [a.id],
      });
      await client.uploadClientAttachment(ref.referral.id, {
        filename: "order.png",
        contentType: "image/png",
        data: fileBytes,
      });
    }
  }),
);
const baselineSeconds = (performance.now() - t0) / 1000;
baselineCpu("baseline", N, "push");
const baselineAccloudMs = accloudMs;
const baselineCalls = accloudCalls;

// The product: approvals through the queue and the worker. The approvals are made first, with no
// worker running (a reviewer's decision is not the push's work, and 200 of them at once would take
// the CPU from the pushes being timed); then the worker sends their queued pushes, 8 at a time.
const refs = await makeReferrals(N);
const reviewer = {
  type: "user" as const,
  id: user.id,
  email: "bench@local",
  name: "Bench",
  role: "reviewer" as const,
  sessionId: "",
};
const approvalsCpu = cpuMeter();
const tApprove = performance.now();
for (let i = 0; i < refs.length; i += CONCURRENCY) {
  await Promise.all(
    refs.slice(i, i + CONCURRENCY).map((r) =>
      approveReferral(getDb(), reviewer, {
        referralId: r.id,
        version: 1,
        approval: approval(r.payload.agency.alayamarket_org_id),
      }),
    ),
  );
}
const approveSeconds = (performance.now() - tApprove) / 1000;
approvalsCpu("approvals", N, "approval");
// BENCH_CPU_PROFILE_DIR=dir: a CPU profile of this phase only (queue, worker and sandbox share this process).
const profiler = process.env.BENCH_CPU_PROFILE_DIR ? new (await import("node:inspector/promises")).Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const pushesCpu = cpuMeter();
accloudMs = 0;
accloudCalls = 0;
const worker = await startWorker({ client, concurrency: CONCURRENCY, refreshReference: false });
for (;;) {
  const res = await getPool().query<{ n: number }>("select count(*)::int as n from pushes where status = 'sent'");
  if (res.rows[0]!.n >= N) break;
  const failed = await getPool().query<{ n: number }>("select count(*)::int as n from pushes where status = 'failed'");
  if (failed.rows[0]!.n > 0) throw new Error(`${failed.rows[0]!.n} pushes failed`);
  await new Promise((r) => setTimeout(r, 100));
}
pushesCpu("pushes (product)", N, "push");
// From the first push's first step to the last push's end, as the database recorded them.
const span = await getPool().query<{ s: number }>(
  "select extract(epoch from max(finished_at) - min((steps -> 'client' ->> 'startedAt')::timestamptz))::float as s from pushes where status = 'sent'",
);
const seconds = span.rows[0]!.s;
if (profiler) {
  const { profile } = await profiler.post("Profiler.stop");
  mkdirSync(process.env.BENCH_CPU_PROFILE_DIR!, { recursive: true });
  const file = path.join(process.env.BENCH_CPU_PROFILE_DIR!, `bench-push-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`CPU profile of the pushes: ${file}`);
}

// Busy time of the pushes: from the first step's start to the end, summed over all pushes.
const busy = await getPool().query<{ ms: number }>(
  "select coalesce(sum(extract(epoch from finished_at - (steps -> 'client' ->> 'startedAt')::timestamptz) * 1000), 0)::float as ms from pushes where status = 'sent'",
);
const ownMsPerCall = ((busy.rows[0]!.ms - accloudMs) / accloudCalls).toFixed(2);
const baselineOwn = ((baselineSeconds * 1000 * CONCURRENCY - baselineAccloudMs) / baselineCalls).toFixed(2);
console.log("");
console.log(`${N} pushes, ${CONCURRENCY} at a time, sandbox latency 0`);
console.log(
  `baseline (direct client calls): ${(N / baselineSeconds).toFixed(1)} pushes/s, ${baselineCalls} calls, ${(baselineAccloudMs / baselineCalls).toFixed(2)} ms per ACCloud call, own ms/call ${baselineOwn}`,
);
console.log(
  `product (approve → queue → worker): ${(N / seconds).toFixed(1)} pushes/s, ${accloudCalls} calls, ${(accloudMs / accloudCalls).toFixed(2)} ms per ACCloud call, own ms/call ${ownMsPerCall} (push busy time minus ACCloud time)`,
);
console.log(`ratio product/baseline pushes/s: ${(baselineSeconds / seconds).toFixed(2)}`);
console.log(
  `(information) the ${N} approvals before, ${CONCURRENCY} at a time: ${(N / approveSeconds).toFixed(1)} approvals/s`,
);
console.log(`load average: ${loadAverage()}`);

await worker.stop();
await sandbox.close();
await closeDb();
await pgdb.stop();
rmSync(tmp, { recursive: true, force: true });
result("push-own-ms-per-call", Number(ownMsPerCall), "≤10");
result("push-ratio", baselineSeconds / seconds, "≥0.7");
printResults();
process.exit(0);
