/**
 * Pushes never hang: a busy lock and a Retry-After re-schedule the job (startAfter) without
 * spending a retry or sleeping in it; a job that died for good (dead-letter queue) or a push left
 * unfinished without a live job (the sweeper) ends failed with a reason, and can be retried.
 */
import type { ChildProcess } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pushes } from "../../db/schema";
import { retryPush } from "../approval/approve";
import { getDb } from "../db";
import { getEnv, resetEnvCache } from "../env";
import { QUEUES } from "../jobs/queue";

const PUSH_QUEUE = QUEUES.push;
import {
  approveAs,
  killGroup,
  newReferral,
  pushWorkerPerTest,
  referralRow,
  startChildWorker,
  stepEndpoints,
  waitForPush,
} from "../../test/support/push";
import { until } from "../../test/support/wait";
import { sweepStuckPushes } from "../worker/worker";

let child: ChildProcess | null = null;
const db = () => getDb();

beforeAll(() => {
  // A crashed job is not retried here, so a killed worker sends its job straight to the dead-letter queue.
  process.env.PUSH_JOB_RETRY_LIMIT = "0";
  resetEnvCache();
});
afterEach(() => {
  killGroup(child);
  child = null;
});
afterAll(() => {
  delete process.env.PUSH_JOB_RETRY_LIMIT;
  resetEnvCache();
});
// After the retry limit's hooks: set up once it is set.
const { env, runWorker } = pushWorkerPerTest();

/** delay_s: how long after its creation a job was scheduled to start */
type JobRow = { id: string; state: string; retry_count: number; delay_s: number };
async function jobsOf(pushId: string): Promise<JobRow[]> {
  const jobs = sql.raw(`"${getEnv().JOB_QUEUE_SCHEMA}".job`);
  const r = await db()
    .execute<JobRow>(sql`select id, state, retry_count, extract(epoch from start_after - created_on)::float8 as delay_s from ${jobs}
    where name = ${PUSH_QUEUE} and data->>'pushId' = ${pushId} order by created_on`);
  return r.rows;
}

const SERVICE = stepEndpoints("approve").service;

async function approve(ref: Awaited<ReturnType<typeof newReferral>>) {
  const r = await approveAs(env.actor, ref);
  if (r.status !== "success") throw new Error(r.message);
  return r.data.pushId!;
}

describe("nothing waits inside a job", () => {
  it("a busy lock re-schedules the job without spending a retry; the push is sent once the lock is free", async () => {
    const ref = await newReferral();
    const pushId = await approve(ref);
    // Another worker holds the push.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query("select pg_advisory_lock(hashtextextended($1, 0))", [`push:${pushId}`]);
    try {
      await runWorker();
      const jobs = await until("a re-scheduled job", async () => {
        const j = await jobsOf(pushId);
        return j.length >= 2 && j[0]!.state === "completed" ? j : null;
      });
      expect(jobs[0]).toMatchObject({ state: "completed", retry_count: 0 });
      expect(jobs[1]!.delay_s).toBeGreaterThanOrEqual(2);
      const [p] = await db().select().from(pushes).where(eq(pushes.id, pushId));
      expect(p).toMatchObject({ status: "queued", attempts: 0 });
    } finally {
      await holder.end();
    }
    const done = await waitForPush(ref.id);
    expect(done.status).toBe("sent");
    expect((await jobsOf(pushId)).every((j) => j.retry_count === 0)).toBe(true);
  });

  it("a 429 with Retry-After schedules a new job for later instead of sleeping or spending a retry", async () => {
    await runWorker();
    const ref = await newReferral();
    await env.sbx.control.addFault({ ...SERVICE, kind: "status", status: 429, retryAfter: 2, times: 1 });
    const pushId = await approve(ref);
    const done = await waitForPush(ref.id);
    expect(done.status, done.lastError ?? "").toBe("sent");
    const jobs = await jobsOf(pushId);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs[0]).toMatchObject({ state: "completed", retry_count: 0 });
    const later = jobs.find((j) => j.delay_s >= 1.9);
    expect(later, "a job scheduled Retry-After later").toBeDefined();
    expect(jobs.every((j) => j.retry_count === 0)).toBe(true);
    const audit = await db().execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_events where entity_id = ${ref.id} and action = 'push.retrying'`,
    );
    expect(audit.rows.map((r) => r.details.retryInSeconds)).toEqual([2]);
  });
});

describe("pushes that cannot finish end failed with a reason", () => {
  it("a push whose job is gone is found by the sweeper, ends failed, and can be retried", async () => {
    const ref = await newReferral();
    const pushId = await approve(ref);
    // The job is lost (a queue cleared by hand, a restore that missed it) and time passes.
    await db().execute(
      sql`delete from ${sql.raw(`"${getEnv().JOB_QUEUE_SCHEMA}".job`)} where name = ${PUSH_QUEUE} and data->>'pushId' = ${pushId}`,
    );
    await db().execute(sql`update pushes set updated_at = now() - interval '1 hour' where id = ${pushId}`);
    // A push with a live job is left alone, whatever its age.
    const other = await newReferral();
    const otherPush = await approve(other);
    await db().execute(sql`update pushes set updated_at = now() - interval '1 hour' where id = ${otherPush}`);

    expect(await sweepStuckPushes(db(), { olderThanSeconds: 60 })).toBe(1);
    const [p] = await db().select().from(pushes).where(eq(pushes.id, pushId));
    expect(p!.status).toBe("failed");
    expect(p!.lastError).toContain("no job is left");
    const row = await referralRow(ref.id);
    expect(row.status).toBe("push_failed");
    const [o] = await db().select().from(pushes).where(eq(pushes.id, otherPush));
    expect(o!.status).toBe("queued");
    const audit = await db().execute<{ actor_label: string }>(
      sql`select actor_label from audit_events where entity_id = ${ref.id} and action = 'push.failed'`,
    );
    expect(audit.rows).toHaveLength(1);

    expect((await retryPush(db(), env.actor, { referralId: ref.id, version: row.version })).status).toBe("success");
    await runWorker();
    expect((await waitForPush(ref.id)).status).toBe("sent");
    expect((await waitForPush(other.id)).status).toBe("sent");
  });

  it(
    "a job whose worker died and that has no retries left goes to the dead-letter queue: the push ends failed and can be retried",
    { timeout: 90_000 },
    async () => {
      const ref = await newReferral();
      await env.sbx.control.addFault({ ...SERVICE, kind: "delay", delayMs: 2500, times: 1 });
      child = startChildWorker(env.sbx.url, { PUSH_JOB_RETRY_LIMIT: "0" });
      const pushId = await approve(ref);
      await until("the service step in flight", async () => {
        const [p] = await db().select().from(pushes).where(eq(pushes.id, pushId));
        return p?.steps.service?.status === "running";
      });
      killGroup(child);
      child = null;
      // pg-boss expires the job (PUSH_JOB_EXPIRE_SECONDS in tests), has no retry left, and dead-letters it.
      await runWorker();
      const failed = await until(
        "the push to end failed",
        async () => {
          const [p] = await db().select().from(pushes).where(eq(pushes.id, pushId));
          return p?.status === "failed" ? p : null;
        },
        { timeoutMs: 60_000 },
      );
      expect(failed.lastError).toContain("its worker stopped answering");
      const row = await referralRow(ref.id);
      expect(row.status).toBe("push_failed");
      expect((await jobsOf(pushId))[0]!.state).toBe("failed");

      expect((await retryPush(db(), env.actor, { referralId: ref.id, version: row.version })).status).toBe("success");
      const done = await waitForPush(ref.id);
      expect(done.status, done.lastError ?? "").toBe("sent");
      const state = await env.sbx.control.state();
      expect(state.services.filter((s) => s.external_id === ref.requestId)).toHaveLength(1);
    },
  );
});
