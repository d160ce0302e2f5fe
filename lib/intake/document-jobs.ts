/**
 * The document-read jobs (lib/worker/document-read.ts) of what a delivery stores: queued with
 * the files, atomically, and never worked inside the webhook's request.
 */
import type { Tx } from "../db";
import { enqueueAll, QUEUES } from "../jobs/queue";

/**
 * A document-read job per stored file, written by the same statement as the files (no round trip
 * more, and committed or not with them), as pg-boss's own insert writes a job: every option from
 * the queue's row (lib/jobs/queues.ts puts them all there). ingest.test.ts holds these rows to
 * the ones pg-boss writes, and the worker reads what they queue.
 */
export const documentReadJobsCte = (schema: string) => `
     read_jobs as (
       insert into "${schema}".job (id, name, data, priority, start_after, singleton_key, singleton_on, dead_letter, expire_in, keep_until,
         retry_limit, retry_delay, retry_backoff, policy)
       select gen_random_uuid(), q.name, jsonb_build_object('referralId', files.referral_request_id, 'fileId', files.id), 0, now(), null, null,
         q.dead_letter, coalesce(q.expire_seconds * interval '1s', interval '15 minutes'),
         now() + cast(coalesce((q.retention_minutes * 60)::text, '14 days') as interval), coalesce(q.retry_limit, 2),
         case when coalesce(q.retry_backoff, false) then greatest(coalesce(q.retry_delay, 0), 1) else coalesce(q.retry_delay, 0) end,
         coalesce(q.retry_backoff, false), q.policy
       from files join "${schema}".queue q on q.name = '${QUEUES.documentRead}'),`;

/** The document-read jobs of files stored inside a transaction (amendments, signed deliveries): one insert. */
export async function queueDocumentReads(tx: Tx, referralId: string, fileIds: string[]): Promise<void> {
  await enqueueAll(
    tx,
    "documentRead",
    fileIds.length ? fileIds.map((fileId) => ({ referralId, fileId })) : [{ referralId, fileId: null }],
  );
}
