/**
 * The job queue: pg-boss on the app's own PostgreSQL (schema "pgboss").
 * Why pg-boss: it runs on Node 20 (graphile-worker 0.18 needs 22), enqueues through the
 * caller's connection (`send(..., { db })`), so a push job commits in the same transaction as
 * the decision that caused it, delivers each job to one worker with SKIP LOCKED, and brings
 * retries with exponential backoff, expiry of jobs whose worker died, dead-letter queues and
 * cron schedules.
 *
 * Two kinds of retry, kept apart: an ACCloud answer a retry may cure (5xx, 429, timeout) makes
 * the worker schedule a NEW job for later (startAfter: Retry-After or backoff), counted in
 * pushes.attempts, so nothing sleeps in a job; a job that crashed or whose worker died is retried
 * by pg-boss itself (PUSH_JOB_RETRY_LIMIT), and once that is exhausted the dead-letter queue
 * tells the worker to end the push failed.
 */
import PgBoss from "pg-boss";
import { getEnv } from "../env";
import { errorBrief, errorCode } from "../errors";
import { logger } from "../log";

export const PUSH_QUEUE = "referral-push";
/** Jobs of PUSH_QUEUE that failed for good land here; the worker ends their push failed. */
export const PUSH_DEAD_QUEUE = "referral-push-dead";
export const REFERENCE_QUEUE = "accloud-reference-refresh";
/** Reads the agency's side of open referrals from ACCloud (lib/push/sync.ts). */
export const AGENCY_SYNC_QUEUE = "accloud-agency-sync";

/** pg-boss waits about 1 s, 2 s, 4 s, 8 s between the tries of a crashed job (with jitter). */
export const pushRetry = () => ({ retryLimit: getEnv().PUSH_JOB_RETRY_LIMIT, retryDelay: 1, retryBackoff: true, deadLetter: PUSH_DEAD_QUEUE }) as const;

export type PushJobData = { pushId: string };

const log = logger("jobs");

const globalForBoss = globalThis as unknown as { csiBoss?: Map<string, Promise<PgBoss>> };

export type BossOptions = { databaseUrl?: string; supervise?: boolean; schedule?: boolean; expireInSeconds?: number };

export async function createBoss(opts: BossOptions = {}): Promise<PgBoss> {
  const env = getEnv();
  const boss = new PgBoss({
    connectionString: opts.databaseUrl ?? env.DATABASE_URL,
    schema: env.JOB_QUEUE_SCHEMA,
    max: 4,
    supervise: opts.supervise ?? false,
    schedule: opts.schedule ?? false,
    migrate: true,
    // A job whose worker died (killed, machine lost) is retried after this long.
    expireInSeconds: opts.expireInSeconds ?? env.PUSH_JOB_EXPIRE_SECONDS,
    maintenanceIntervalSeconds: env.PUSH_MAINTENANCE_SECONDS,
    monitorStateIntervalSeconds: env.PUSH_MAINTENANCE_SECONDS,
  });
  boss.on("error", (err: Error) => {
    // By name and code only: a database error's message may quote a value.
    if (errorCode(err) !== "57P01") log.error(errorBrief(err));
  });
  await boss.start();
  await ensureQueues(boss, opts.expireInSeconds ?? env.PUSH_JOB_EXPIRE_SECONDS);
  return boss;
}

async function ensureQueue(boss: PgBoss, name: string, options: PgBoss.Queue) {
  if (!(await boss.getQueue(name))) await boss.createQueue(name, options).catch(() => boss.updateQueue(name, options));
  else await boss.updateQueue(name, options);
}

async function ensureQueues(boss: PgBoss, expireInSeconds: number) {
  // The dead-letter queue first: the push queue refers to it.
  await ensureQueue(boss, PUSH_DEAD_QUEUE, { name: PUSH_DEAD_QUEUE, policy: "standard", retryLimit: 5, retryDelay: 5 });
  await ensureQueue(boss, PUSH_QUEUE, { name: PUSH_QUEUE, policy: "standard", ...pushRetry(), expireInSeconds });
  for (const name of [REFERENCE_QUEUE, AGENCY_SYNC_QUEUE]) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: "singleton", retryLimit: 2 }).catch(() => {});
  }
}

/**
 * Makes the job queue's schema, its tables and every queue the app uses, as the schema's owner:
 * run with the migrations (lib/runtime/boot.ts), because the app's own role may create nothing
 * in the database and pg-boss makes a table per queue. The app's processes then find all of it.
 */
export async function installJobQueue(ownerUrl: string): Promise<void> {
  const boss = await createBoss({ databaseUrl: ownerUrl });
  try {
    const { ensureNotificationQueues } = await import("../notifications/outbox");
    await ensureNotificationQueues(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
  }
}

/** The web process's sender (no maintenance, no schedules: the worker does those). */
export function getSenderBoss(): Promise<PgBoss> {
  const schema = getEnv().JOB_QUEUE_SCHEMA;
  const bosses = (globalForBoss.csiBoss ??= new Map());
  let boss = bosses.get(schema);
  if (!boss) {
    boss = createBoss().catch((err) => {
      bosses.delete(schema);
      throw err;
    });
    bosses.set(schema, boss);
  }
  return boss;
}

type Executor = { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

/**
 * Enqueues a push. With an executor (the caller's transaction) it commits or rolls back with
 * that transaction; without one, it is sent on its own (a worker re-scheduling a job).
 */
export async function enqueuePush(boss: PgBoss, conn: Executor | null, pushId: string, opts: { startAfterSeconds?: number } = {}): Promise<string | null> {
  return boss.send(PUSH_QUEUE, { pushId } satisfies PushJobData, {
    ...pushRetry(),
    singletonKey: pushId,
    startAfter: opts.startAfterSeconds,
    ...(conn ? { db: { executeSql: (text: string, values: unknown[]) => conn.query(text, values) as Promise<{ rows: unknown[] }> } } : {}),
  });
}

/** Stops the senders created in this process (before the database goes away). */
export async function stopSenderBosses(): Promise<void> {
  const bosses = globalForBoss.csiBoss;
  globalForBoss.csiBoss = undefined;
  for (const b of bosses?.values() ?? []) {
    await b.then((boss) => boss.stop({ graceful: false, wait: true, timeout: 2000 })).catch(() => {});
  }
}
