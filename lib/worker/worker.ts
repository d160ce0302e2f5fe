/**
 * The push worker: pg-boss hands each job to one worker (SKIP LOCKED); a session advisory lock
 * on the push id makes sure two workers never run the same push even when a job expired while
 * its first worker was still alive. Runs inside `npm start` and alone as `npm run worker`.
 *
 * Nothing waits inside a job: a busy lock or a Retry-After re-schedules the push as a new job
 * (startAfter), and a push whose job died for good ends failed with a reason (dead-letter queue,
 * and a sweeper for anything left unfinished without a live job), so it can be retried.
 */
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { createAccloudClientFromEnv, type AccloudClient } from "../accloud/client";
import { refreshReferenceData } from "../accloud/reference-data";
import { getDb, type Db } from "../db";
import { getEnv } from "../env";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { startNotificationWorker } from "./notifications";
import { createBoss, enqueue, QUEUES, type JobData } from "../jobs/queue";
import { syncOpenReferrals } from "./agency-sync";
import { startDocumentReadWorkers } from "./document-read";
import { workOneAtATime } from "./one-at-a-time";
import { failureOf, finishFailed, scheduleRetry } from "../push/outcome";
import { runPush } from "../push/run";

const log = logger("worker");

export type Worker = { boss: PgBoss; stop: () => Promise<void> };

/** Another worker holds the push: look again shortly, without spending one of the job's retries. */
export const LOCK_BUSY_RETRY_SECONDS = 3;

/** Backoff between runs after a retryable answer without Retry-After: 1, 2, 4, 8 … s (at most a minute), with jitter. */
export function backoffSeconds(attempts: number): number {
  const base = Math.min(60, 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 + Math.random() * 0.25) * 10) / 10;
}

async function pushRow(db: Db, pushId: string) {
  const r = await db.execute<{ referral_request_id: string; attempts: number; status: string }>(
    sql`select referral_request_id, attempts, status from pushes where id = ${pushId}`,
  );
  return r.rows[0] ?? null;
}

/** One job: lock, run the remaining steps, then finish, re-schedule or stop. */
export async function handlePushJob(
  db: Db,
  client: AccloudClient,
  boss: PgBoss,
  job: PgBoss.Job<JobData["push"]>,
): Promise<void> {
  const { pushId } = job.data;
  // A session lock needs its own connection for the whole run (no transaction spans the HTTP calls).
  const conn = await db.$client.connect();
  try {
    const locked = await conn.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtextextended($1, 0)) as ok", [
      `push:${pushId}`,
    ]);
    if (!locked.rows[0]?.ok) {
      await enqueue(null, "push", { pushId }, { boss, startAfter: LOCK_BUSY_RETRY_SECONDS });
      log.info(`push=${pushId} busy in another worker: looked at again in ${LOCK_BUSY_RETRY_SECONDS} s`);
      return;
    }
    try {
      const outcome = await runPush(db, client, pushId);
      if (outcome.status !== "retry") return;
      const row = await pushRow(db, pushId);
      if (!row) return;
      const message = outcome.error.message;
      const failure = failureOf(outcome.error);
      const max = getEnv().PUSH_MAX_ATTEMPTS;
      if (row.attempts >= max) {
        await finishFailed(db, pushId, row.referral_request_id, `${message} (gave up after ${row.attempts} tries)`, {
          ...failure,
          gaveUpAfter: row.attempts,
        });
        return;
      }
      const wait = outcome.retryAfterMs
        ? Math.min(Math.ceil(outcome.retryAfterMs / 1000), 600)
        : backoffSeconds(row.attempts);
      await scheduleRetry(db, pushId, row.referral_request_id, message, wait, failure);
    } finally {
      await conn.query("select pg_advisory_unlock(hashtextextended($1, 0))", [`push:${pushId}`]).catch(() => {});
    }
  } finally {
    conn.release();
  }
}

/** Why a dead job died, in words a reviewer can act on (no error text: it may quote data). */
function deadReason(output: unknown): string {
  const o = (output ?? {}) as { value?: { message?: unknown }; message?: unknown; name?: unknown; code?: unknown };
  const text = String(o.value?.message ?? o.message ?? "");
  if (/timeout/i.test(text)) return "its worker stopped answering";
  const name = typeof o.name === "string" ? o.name : "an unexpected error";
  return `${name}${typeof o.code === "string" ? ` (${o.code})` : ""}`;
}

/** A push job that pg-boss gave up on: its push ends failed, with the reason, so a reviewer can retry it. */
export async function handleDeadPushJob(db: Db, job: PgBoss.JobWithMetadata<JobData["push"]>): Promise<void> {
  const row = await pushRow(db, job.data.pushId);
  if (!row || !["queued", "running", "retrying"].includes(row.status)) return;
  const reason = `The push stopped: its job failed ${getEnv().PUSH_JOB_RETRY_LIMIT + 1} times (${deadReason(job.output)}). Retry it when ready.`;
  if (await finishFailed(db, job.data.pushId, row.referral_request_id, reason, { failure: "job_dead" }))
    log.warn(`push=${job.data.pushId} ended failed: its job is dead`);
}

/**
 * Pushes left unfinished with no live job (created, retry or active; a dead-letter job counts, its
 * handler says more) for longer than a job may run: they end failed with a reason. Returns how many.
 */
export async function sweepStuckPushes(db: Db, opts: { olderThanSeconds?: number } = {}): Promise<number> {
  const env = getEnv();
  const olderThan = opts.olderThanSeconds ?? env.PUSH_JOB_EXPIRE_SECONDS;
  const jobs = sql.raw(`"${env.JOB_QUEUE_SCHEMA}".job`);
  const stuck = await db.execute<{ id: string; referral_request_id: string; status: string }>(sql`
    select p.id, p.referral_request_id, p.status from pushes p
    where p.status in ('queued', 'running', 'retrying') and p.updated_at < now() - make_interval(secs => ${olderThan})
      and (p.job_queue = ${env.JOB_QUEUE_SCHEMA} or p.job_queue is null)
      and not exists (select 1 from ${jobs} j where j.name in (${QUEUES.push}, ${QUEUES.pushDead}) and j.data->>'pushId' = p.id::text and j.state in ('created', 'retry', 'active'))
    limit 100`);
  let n = 0;
  for (const p of stuck.rows) {
    const reason = `The push stopped while ${p.status === "queued" ? "waiting for a worker" : "sending"} and no job is left to finish it. Retry it when ready.`;
    if (await finishFailed(db, p.id, p.referral_request_id, reason, { failure: "stuck" })) n++;
  }
  if (n) log.warn(`${n} stuck push(es) ended failed`);
  return n;
}

/**
 * One round of the sweeper, as the worker runs it every PUSH_MAINTENANCE_SECONDS: a failure is
 * logged with its cause's name and SQLSTATE (drizzle wraps the driver's error; no message: it can
 * quote values), and the next round tries again.
 */
export async function sweepRound(db: Db): Promise<void> {
  await sweepStuckPushes(db).catch((err: unknown) => log.warn(`sweep failed: ${errorBrief(err)}`));
}

/** A cron expression for "every n minutes" (hours past 59). */
export function cronEvery(minutes: number): string {
  const m = Math.max(1, minutes);
  return m < 60 ? `*/${m} * * * *` : `0 */${Math.max(1, Math.round(m / 60))} * * *`;
}

export async function startWorker(
  opts: {
    databaseUrl?: string;
    concurrency?: number;
    client?: AccloudClient;
    expireInSeconds?: number;
    refreshReference?: boolean;
    /** files read at once (default DOCUMENT_READ_CONCURRENCY; 0: none) */
    documentConcurrency?: number;
  } = {},
): Promise<Worker> {
  const env = getEnv();
  const db = getDb();
  const client = opts.client ?? createAccloudClientFromEnv();
  const boss = await createBoss({
    databaseUrl: opts.databaseUrl,
    supervise: true,
    schedule: opts.refreshReference !== false,
    expireInSeconds: opts.expireInSeconds,
  });
  // E-mail notifications ride on the same job queue (lib/worker/notifications.ts).
  await startNotificationWorker(boss, db, { schedule: opts.refreshReference !== false });
  const concurrency = opts.concurrency ?? env.WORKER_CONCURRENCY;
  for (let i = 0; i < concurrency; i++) {
    await workOneAtATime(boss, "push", 0.5, (job) => handlePushJob(db, client, boss, job));
  }
  await boss.work<JobData["pushDead"]>(
    QUEUES.pushDead,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 },
    async ([job]) => {
      if (job) await handleDeadPushJob(db, job);
    },
  );

  // Document reading: one file at a time per reader by default, so it never starves the pushes.
  const documents = await startDocumentReadWorkers(boss, db, opts.documentConcurrency ?? env.DOCUMENT_READ_CONCURRENCY);

  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void sweepRound(db).finally(() => (sweeping = false));
  }, env.PUSH_MAINTENANCE_SECONDS * 1000);
  sweeper.unref();

  if (opts.refreshReference !== false) {
    await boss.work(QUEUES.referenceRefresh, async () => {
      await refreshReferenceData({ db, client });
      log.info("reference data refreshed");
    });
    await boss.schedule(QUEUES.referenceRefresh, cronEvery(env.ACCLOUD_REFERENCE_REFRESH_MINUTES));
    await boss.work(QUEUES.agencySync, async () => {
      await syncOpenReferrals(db, client);
    });
    await boss.schedule(QUEUES.agencySync, cronEvery(env.AGENCY_SYNC_MINUTES));
  }
  log.info(`push worker started (${concurrency} at once)`);
  return {
    boss,
    stop: async () => {
      clearInterval(sweeper);
      await boss.stop({ graceful: true, timeout: 10_000, wait: true }).catch(() => {});
      await documents.stop();
    },
  };
}
