/** The worker loop the push and document-read queues share. */
import type PgBoss from "pg-boss";
import { QUEUES, type JobData, type QueueKey } from "../jobs/queues";

/**
 * Works the queue `key` one job at a time and, after each job, looks for the next one at once
 * (pg-boss waits a polling interval after every fetch). Answers the worker's id.
 */
export async function workOneAtATime<K extends QueueKey>(
  boss: PgBoss,
  key: K,
  pollingIntervalSeconds: number,
  handle: (job: PgBoss.Job<JobData[K]>) => Promise<unknown>,
): Promise<string> {
  let workerId = "";
  workerId = await boss.work<JobData[K]>(QUEUES[key], { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
    try {
      if (job) await handle(job);
    } finally {
      if (workerId) boss.notifyWorker(workerId);
    }
  });
  return workerId;
}
