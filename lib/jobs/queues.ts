/**
 * Every job queue the app uses, once: its name, how pg-boss keeps it (made by the schema's owner
 * with the migrations, see ./queue.ts `installJobQueue`), what a job of it carries, and what each
 * send adds. A new kind of durable work adds one entry here and a handler in lib/worker/.
 */
import type PgBoss from "pg-boss";
import { getEnv } from "../env";

export const QUEUES = {
  /** a push to ACCloud (lib/push/run.ts) */
  push: "referral-push",
  /** pushes whose job failed for good: the worker ends the push failed */
  pushDead: "referral-push-dead",
  /** ACCloud's reference data (groups, funders, service codes), on a schedule */
  referenceRefresh: "accloud-reference-refresh",
  /** the agency's side of open referrals, read back from ACCloud (lib/worker/agency-sync.ts) */
  agencySync: "accloud-agency-sync",
  /** one e-mail notification (lib/notifications/send.ts) */
  notify: "notification-send",
  /** the minutely check for requests held past their SLA */
  notifyOverdue: "notification-overdue-check",
} as const;

export type QueueKey = keyof typeof QUEUES;

/** What a job of each queue carries (ids only: a job's data is kept in the database a while). */
export type JobData = {
  push: { pushId: string };
  pushDead: { pushId: string };
  referenceRefresh: Record<string, never>;
  agencySync: Record<string, never>;
  notify: { notificationId: string };
  notifyOverdue: Record<string, never>;
};

/**
 * pg-boss waits about 1 s, 2 s, 4 s, 8 s between the tries of a crashed push job (with jitter);
 * once PUSH_JOB_RETRY_LIMIT is spent the job goes to the dead-letter queue.
 */
const pushRetry = () =>
  ({
    retryLimit: getEnv().PUSH_JOB_RETRY_LIMIT,
    retryDelay: 1,
    retryBackoff: true,
    deadLetter: QUEUES.pushDead,
  }) as const;
const notifyRetry = { retryLimit: 5, retryDelay: 5, retryBackoff: true } as const;

/** Each queue's options, in the order they are made (a dead-letter queue before the queue naming it). */
export function queueDefinitions(expireInSeconds = getEnv().PUSH_JOB_EXPIRE_SECONDS): PgBoss.Queue[] {
  return [
    { name: QUEUES.pushDead, policy: "standard", retryLimit: 5, retryDelay: 5 },
    { name: QUEUES.push, policy: "standard", ...pushRetry(), expireInSeconds },
    { name: QUEUES.referenceRefresh, policy: "singleton", retryLimit: 2 },
    { name: QUEUES.agencySync, policy: "singleton", retryLimit: 2 },
    { name: QUEUES.notify, policy: "standard", ...notifyRetry },
    { name: QUEUES.notifyOverdue, policy: "singleton", retryLimit: 1 },
  ];
}

/** What every send to a queue adds (pg-boss takes retry options per job too). */
export function sendDefaults(key: QueueKey, data: JobData[QueueKey]): PgBoss.SendOptions {
  switch (key) {
    case "push":
      return { ...pushRetry(), singletonKey: (data as JobData["push"]).pushId };
    case "notify":
      return { ...notifyRetry, singletonKey: (data as JobData["notify"]).notificationId };
    default:
      return {};
  }
}
