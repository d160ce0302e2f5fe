/**
 * The job queue: pg-boss on the app's own PostgreSQL (schema "pgboss").
 * Why pg-boss: it runs on Node 20 (graphile-worker 0.18 needs 22), enqueues through the
 * caller's connection (`send(..., { db })`), so a push job commits in the same transaction as
 * the decision that caused it, delivers each job to one worker with SKIP LOCKED, and brings
 * retries with exponential backoff, expiry of jobs whose worker died, and cron schedules.
 */
import PgBoss from "pg-boss";
import { getEnv } from "../env";

export const PUSH_QUEUE = "referral-push";
export const REFERENCE_QUEUE = "accloud-reference-refresh";

/** 5 tries in all; pg-boss waits about 1 s, 2 s, 4 s, 8 s between them (with jitter). */
export const PUSH_RETRY = { retryLimit: 4, retryDelay: 1, retryBackoff: true } as const;

export type PushJobData = { pushId: string };

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
  boss.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") console.error(`[jobs] ${err.name}: ${err.message.split("\n")[0]}`);
  });
  await boss.start();
  await ensureQueues(boss, opts.expireInSeconds ?? env.PUSH_JOB_EXPIRE_SECONDS);
  return boss;
}

async function ensureQueues(boss: PgBoss, expireInSeconds: number) {
  const existing = await boss.getQueue(PUSH_QUEUE);
  const options = { name: PUSH_QUEUE, policy: "standard" as const, ...PUSH_RETRY, expireInSeconds };
  if (!existing) await boss.createQueue(PUSH_QUEUE, options).catch(() => boss.updateQueue(PUSH_QUEUE, options));
  else await boss.updateQueue(PUSH_QUEUE, options);
  if (!(await boss.getQueue(REFERENCE_QUEUE))) {
    await boss.createQueue(REFERENCE_QUEUE, { name: REFERENCE_QUEUE, policy: "singleton", retryLimit: 2 }).catch(() => {});
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

/** Enqueues a push on the caller's connection: it commits or rolls back with the caller's transaction. */
export async function enqueuePush(boss: PgBoss, conn: Executor, pushId: string, opts: { startAfterSeconds?: number } = {}): Promise<string | null> {
  return boss.send(PUSH_QUEUE, { pushId } satisfies PushJobData, {
    ...PUSH_RETRY,
    singletonKey: pushId,
    startAfter: opts.startAfterSeconds,
    db: { executeSql: (text, values) => conn.query(text, values) as Promise<{ rows: unknown[] }> },
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
