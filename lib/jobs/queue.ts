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
import type pg from "pg";
import PgBoss from "pg-boss";
import type { TxDb } from "../db";
import { getEnv } from "../env";
import { errorBrief, errorCode } from "../errors";
import { logger } from "../log";
import { queueDefinitions, QUEUES, sendDefaults, type JobData, type QueueKey } from "./queues";

export { QUEUES, type JobData, type QueueKey } from "./queues";

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

/** Makes or updates every queue of the registry (./queues.ts). */
async function ensureQueues(boss: PgBoss, expireInSeconds: number) {
  for (const options of queueDefinitions(expireInSeconds)) {
    if (!(await boss.getQueue(options.name)))
      await boss.createQueue(options.name, options).catch(() => boss.updateQueue(options.name, options));
    else await boss.updateQueue(options.name, options);
  }
}

/**
 * Makes the job queue's schema, its tables and every queue the app uses, as the schema's owner:
 * run with the migrations (lib/runtime/boot.ts), because the app's own role may create nothing
 * in the database and pg-boss makes a table per queue. The app's processes then find all of it.
 */
export async function installJobQueue(ownerUrl: string): Promise<void> {
  const boss = await createBoss({ databaseUrl: ownerUrl });
  await boss.stop({ graceful: false, wait: true, timeout: 2000 });
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

/**
 * pg-boss writes through `db.executeSql(text, values)`; this runs its statement on the
 * connection of the caller's transaction, so the job commits or rolls back with it. The statement
 * goes to the driver as pg-boss wrote it: pg-boss refers to one parameter more than once with
 * different casts (`start_after`), which only works as one parameter, not as drizzle's one per use.
 */
function txExecutor(tx: TxDb): { executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> } {
  const client = (tx as unknown as { session?: { client?: Pick<pg.PoolClient, "query"> } }).session?.client;
  if (!client) throw new Error("enqueue: not a transaction of lib/db (no connection to write the job through)");
  return { executeSql: async (text, values = []) => ({ rows: (await client.query(text, values)).rows }) };
}

/**
 * Puts a job on a queue of the registry. With `tx` (the transaction of the change that causes
 * the job) it commits or rolls back with that transaction; with null it is sent on its own (a
 * worker re-scheduling a job). `boss` defaults to this process's sender.
 */
export async function enqueue<K extends QueueKey>(
  tx: TxDb | null,
  key: K,
  data: JobData[K],
  opts: PgBoss.SendOptions & { boss?: PgBoss } = {},
): Promise<string | null> {
  const { boss = await getSenderBoss(), ...send } = opts;
  return boss.send(QUEUES[key], data, { ...sendDefaults(key, data), ...send, ...(tx ? { db: txExecutor(tx) } : {}) });
}

/**
 * Several jobs of one queue in one insert (pg-boss's `insert`), with the transaction as `enqueue`
 * does. Each job takes the queue's options (no send defaults): for queues that keep all of theirs
 * on the queue.
 */
export async function enqueueAll<K extends QueueKey>(
  tx: TxDb,
  key: K,
  data: Array<JobData[K]>,
  opts: { boss?: PgBoss } = {},
): Promise<void> {
  if (!data.length) return;
  const boss = opts.boss ?? (await getSenderBoss());
  await boss.insert(
    data.map((d) => ({ name: QUEUES[key], data: d })),
    { db: txExecutor(tx) },
  );
}

/** Stops the senders created in this process (before the database goes away). */
export async function stopSenderBosses(): Promise<void> {
  const bosses = globalForBoss.csiBoss;
  globalForBoss.csiBoss = undefined;
  for (const b of bosses?.values() ?? []) {
    await b.then((boss) => boss.stop({ graceful: false, wait: true, timeout: 2000 })).catch(() => {});
  }
}
