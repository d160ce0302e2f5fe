/**
 * The push worker: pg-boss hands each job to one worker (SKIP LOCKED); a session advisory lock
 * on the push id makes sure two workers never run the same push even when a job expired while
 * its first worker was still alive. Runs inside `npm start` and alone as `npm run worker`.
 */
import type PgBoss from "pg-boss";
import { createAccloudClientFromEnv, type AccloudClient } from "../accloud/client";
import { refreshReferenceData } from "../accloud/reference-data";
import { getDb, getPool, type Db } from "../db";
import { getEnv } from "../env";
import { logger } from "../log";
import { createBoss, PUSH_QUEUE, PUSH_RETRY, REFERENCE_QUEUE, type PushJobData } from "./queue";
import { finishFailed, markRetrying, runPush } from "./run";

const log = logger("worker");

export type Worker = { boss: PgBoss; stop: () => Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One job: lock, run the remaining steps, then complete, retry (throw) or stop. */
export async function handlePushJob(db: Db, client: AccloudClient, job: PgBoss.JobWithMetadata<PushJobData>): Promise<void> {
  const { pushId } = job.data;
  const conn = await getPool().connect();
  try {
    const locked = await conn.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtextextended($1, 0)) as ok", [`push:${pushId}`]);
    if (!locked.rows[0]?.ok) throw new Error("another worker is running this push");
    try {
      const outcome = await runPush(db, client, pushId);
      if (outcome.status !== "retry") return;
      const message = outcome.error.message;
      const last = job.retryCount >= (job.retryLimit ?? PUSH_RETRY.retryLimit);
      if (last) {
        await finishFailed(db, pushId, await referralOf(db, pushId), `${message} (gave up after ${job.retryCount + 1} tries)`);
        return;
      }
      await markRetrying(db, pushId, message);
      // Honour Retry-After before handing back to the queue's own backoff.
      if (outcome.retryAfterMs) await sleep(Math.min(outcome.retryAfterMs, 60_000));
      throw outcome.error;
    } finally {
      await conn.query("select pg_advisory_unlock(hashtextextended($1, 0))", [`push:${pushId}`]).catch(() => {});
    }
  } finally {
    conn.release();
  }
}

async function referralOf(db: Db, pushId: string): Promise<string> {
  const r = await getPool().query<{ referral_request_id: string }>("select referral_request_id from pushes where id = $1", [pushId]);
  return r.rows[0]!.referral_request_id;
}

export async function startWorker(opts: { databaseUrl?: string; concurrency?: number; client?: AccloudClient; expireInSeconds?: number; refreshReference?: boolean } = {}): Promise<Worker> {
  const env = getEnv();
  const db = getDb();
  const client = opts.client ?? createAccloudClientFromEnv();
  const boss = await createBoss({ databaseUrl: opts.databaseUrl, supervise: true, schedule: opts.refreshReference !== false, expireInSeconds: opts.expireInSeconds });
  const concurrency = opts.concurrency ?? env.WORKER_CONCURRENCY;
  for (let i = 0; i < concurrency; i++) {
    let workerId = "";
    workerId = await boss.work<PushJobData>(PUSH_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      try {
        if (job) await handlePushJob(db, client, job);
      } finally {
        // pg-boss waits a polling interval after every fetch; after a job, look for the next one at once.
        if (workerId) boss.notifyWorker(workerId);
      }
    });
  }

  if (opts.refreshReference !== false) {
    await boss.work(REFERENCE_QUEUE, async () => {
      await refreshReferenceData({ db: getPool(), client });
      log.info("reference data refreshed");
    });
    const minutes = Math.max(1, env.ACCLOUD_REFERENCE_REFRESH_MINUTES);
    const cron = minutes < 60 ? `*/${minutes} * * * *` : `0 */${Math.max(1, Math.round(minutes / 60))} * * *`;
    await boss.schedule(REFERENCE_QUEUE, cron);
  }
  log.info(`push worker started (${concurrency} at once)`);
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 10_000, wait: true }).catch(() => {});
    },
  };
}
