/**
 * The notification jobs, run by the worker process (`npm start`'s worker or `npm run worker`):
 * sending queued messages (with retries and backoff), and a check every minute that queues an
 * "overdue" message for each request whose review SLA passed while someone holds it.
 */
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db } from "../db";
import { getEnv } from "../env";
import { logger } from "../log";
import { activeAssignmentSql } from "../workflow/claims-sql";
import { QUEUES, type JobData } from "../jobs/queue";
import { queueNotification } from "../notifications/outbox";
import { deliverNotification } from "../notifications/send";

const log = logger("notify");

/** Requests that passed their SLA longer ago than this are not announced any more (a worker that was down for a week stays quiet). */
const OVERDUE_LOOKBACK_DAYS = 7;
/** Messages queued per check at most (the rest on the next one). */
const OVERDUE_BATCH = 500;

/**
 * One overdue check: every open request (new, in review) past its SLA whose assignment is live
 * gets one message to its assignee per due time, in one transaction with the jobs.
 */
export async function queueOverdueNotifications(db: Db): Promise<number> {
  const env = getEnv();
  return db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string; assignee_id: string; due: string }>(sql`
      select r.id::text, r.assignee_id::text, extract(epoch from r.sla_due_at)::bigint::text as due
      from referral_requests r
      where r.status in ('new', 'in_review') and r.sla_due_at < now() and r.sla_due_at > now() - make_interval(days => ${OVERDUE_LOOKBACK_DAYS})
        and ${activeAssignmentSql(env.CLAIM_IDLE_MINUTES)}
        and not exists (select 1 from notifications n where n.dedupe_key = 'overdue:' || r.id::text || ':' || extract(epoch from r.sla_due_at)::bigint::text || ':' || r.assignee_id::text)
      order by r.sla_due_at
      limit ${OVERDUE_BATCH}`);
    let n = 0;
    for (const r of due.rows)
      n += (
        await queueNotification(tx, { event: "overdue", referralId: r.id, userIds: [r.assignee_id], eventKey: r.due })
      ).length;
    return n;
  });
}

export async function startNotificationWorker(boss: PgBoss, db: Db, opts: { schedule?: boolean } = {}): Promise<void> {
  await boss.work<JobData["notify"]>(
    QUEUES.notify,
    { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
    async ([job]) => {
      if (!job) return;
      await deliverNotification(db, job.data.notificationId, { lastTry: job.retryCount >= job.retryLimit });
    },
  );
  if (opts.schedule === false) return;
  await boss.work(QUEUES.notifyOverdue, async () => {
    const n = await queueOverdueNotifications(db);
    if (n) log.info(`${n} overdue notification(s) queued`);
  });
  await boss.schedule(QUEUES.notifyOverdue, "* * * * *");
}
