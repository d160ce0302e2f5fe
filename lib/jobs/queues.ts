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
  /** one referral file read for the order check (lib/worker/document-read.ts); no file: the check redone */
  documentRead: "document-read",
  /** reads that failed for good (the reader crashed every try): the file ends unreadable */
  documentReadDead: "document-read-dead",
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
  documentRead: { referralId: string; fileId: string | null };
  documentReadDead: { referralId: string; fileId: string | null };
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

/**
 * A read that crashed (its reader process died: out of memory, a native fault) is tried again
 * after about 10 s, 20 s, 40 s; then the dead-letter queue ends the file unreadable. A job runs
 * at most its pages' time limits and the reader's start: longer, its worker is taken for dead.
 */
export const DOCUMENT_READ_RETRY_LIMIT = 3;
export function documentReadExpireSeconds(): number {
  const env = getEnv();
  return Math.min(20 * 3600, env.DOCUMENT_READ_MAX_PAGES * env.DOCUMENT_READ_PAGE_TIMEOUT_SECONDS + 300);
}

/** Each queue's options, in the order they are made (a dead-letter queue before the queue naming it). */
export function queueDefinitions(expireInSeconds = getEnv().PUSH_JOB_EXPIRE_SECONDS): PgBoss.Queue[] {
  return [
    { name: QUEUES.pushDead, policy: "standard", retryLimit: 5, retryDelay: 5 },
    { name: QUEUES.push, policy: "standard", ...pushRetry(), expireInSeconds },
    { name: QUEUES.referenceRefresh, policy: "singleton", retryLimit: 2 },
    { name: QUEUES.agencySync, policy: "singleton", retryLimit: 2 },
    { name: QUEUES.notify, policy: "standard", ...notifyRetry },
    { name: QUEUES.notifyOverdue, policy: "singleton", retryLimit: 1 },
    { name: QUEUES.documentReadDead, policy: "standard", retryLimit: 5, retryDelay: 5 },
    // Every option on the queue, none per send: the webhook's insert chain writes these jobs itself (lib/intake/ingest.ts).
    {
      name: QUEUES.documentRead,
      policy: "standard",
      retryLimit: DOCUMENT_READ_RETRY_LIMIT,
      retryDelay: 10,
      retryBackoff: true,
      expireInSeconds: documentReadExpireSeconds(),
      deadLetter: QUEUES.documentReadDead,
    },
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
