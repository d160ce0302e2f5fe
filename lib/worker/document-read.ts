/**
 * The document-read job: one referral file read with lib/documents/ (in the reader process,
 * ./document-reader.ts), its reading stored per file and page with the viewer's page images,
 * then the referral's order check redone (./document-checks.ts). Never in a request: the webhook,
 * an amendment and an added document only queue it, in their own transaction.
 *
 * Idempotent: a file already read is not read again (a retried or duplicated job only redoes the
 * check), and a file with the same bytes as one of the referral's files already read takes a copy
 * of that reading. A file the reader cannot finish (it crashed, or ran past every page's time
 * limit) fails the job, which pg-boss retries with backoff; after the last retry the dead-letter
 * handler ends the file "unreadable" with the reason, so the check is never left waiting.
 */
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { documentPages, documentReadings, referralFiles } from "../../db/schema";
import type { Db } from "../db";
import { terminateOcr } from "../documents/ocr";
import type { DocumentReading } from "../documents/types";
import { getEnv } from "../env";
import { errorBrief } from "../errors";
import { DOCUMENT_READ_RETRY_LIMIT, QUEUES, type JobData } from "../jobs/queues";
import { logger } from "../log";
import { recheckReferral } from "./document-checks";
import { createReader, ReaderFailed, type Reader } from "./document-reader";
import { workOneAtATime } from "./one-at-a-time";

const log = logger("document-read");

/** The reader's options from the environment: every page's image is kept for the viewer. */
export function readOptions() {
  const env = getEnv();
  return {
    maxPages: env.DOCUMENT_READ_MAX_PAGES,
    pageTimeoutMs: env.DOCUMENT_READ_PAGE_TIMEOUT_SECONDS * 1000,
    images: true,
  };
}

/** A whole file's time: every page's limit, and a minute for the reader's start and the file's opening. */
const fileTimeoutMs = () => {
  const env = getEnv();
  return env.DOCUMENT_READ_MAX_PAGES * env.DOCUMENT_READ_PAGE_TIMEOUT_SECONDS * 1000 + 60_000;
};

export type ReadJobOutcome = "read" | "copied" | "already" | "no-file";

/** One job: the file's reading (read, copied, or there already), then the check. */
export async function handleDocumentReadJob(
  db: Db,
  reader: Reader,
  data: JobData["documentRead"],
): Promise<ReadJobOutcome> {
  const outcome = data.fileId ? await readFile(db, reader, data.fileId) : "no-file";
  const check = await recheckReferral(db, data.referralId);
  log.info(
    `referral=${data.referralId} file=${data.fileId ?? "-"} ${outcome}; check ${check?.status ?? "no referral"}${check?.status === "done" ? ` (${check.mismatches} mismatch(es))` : ""}`,
  );
  return outcome;
}

async function readFile(db: Db, reader: Reader, fileId: string): Promise<ReadJobOutcome> {
  const [file] = await db
    .select({
      referralId: referralFiles.referralRequestId,
      sha256: referralFiles.sha256,
      contentType: referralFiles.contentType,
      read: sql<boolean>`exists (select 1 from ${documentReadings} r where r.file_id = ${referralFiles.id})`,
    })
    .from(referralFiles)
    .where(eq(referralFiles.id, fileId));
  if (!file) return "no-file";
  if (file.read) return "already";
  if (await copyReading(db, fileId, file.referralId, file.sha256)) return "copied";
  const [bytes] = await db.select({ data: referralFiles.data }).from(referralFiles).where(eq(referralFiles.id, fileId));
  if (!bytes) return "no-file";
  const started = Date.now();
  const reading = await reader.read(
    new Uint8Array(bytes.data.buffer, bytes.data.byteOffset, bytes.data.byteLength),
    { ...readOptions(), contentType: file.contentType },
    fileTimeoutMs(),
  );
  await storeReading(db, { fileId, referralId: file.referralId }, reading, Date.now() - started);
  return "read";
}

/**
 * The reading of a file of the same referral with the same bytes (an amendment resends the
 * files; a reviewer adds one the agency sent), copied with its pages in one statement. False when
 * there is none.
 */
async function copyReading(db: Db, fileId: string, referralId: string, sha256: string): Promise<boolean> {
  const res = await db.execute<{ copied: number }>(sql`
    with src as (
      select r.* from ${documentReadings} r join ${referralFiles} g on g.id = r.file_id
      where g.referral_request_id = ${referralId} and g.sha256 = ${sha256} and g.id <> ${fileId}
      order by r.read_at limit 1),
    reading as (
      insert into ${documentReadings} (file_id, referral_request_id, state, method, pages, reason, duration_ms)
      select ${fileId}, ${referralId}, state, method, pages, reason, 0 from src
      on conflict (file_id) do nothing
      returning file_id),
    pages as (
      insert into ${documentPages} (file_id, page, width, height, method, skew, words, lines, png)
      select ${fileId}, p.page, p.width, p.height, p.method, p.skew, p.words, p.lines, p.png
      from ${documentPages} p, src, reading where p.file_id = src.file_id)
    select count(*)::int as copied from reading`);
  return (res.rows[0]?.copied ?? 0) > 0;
}

/** A reading and its pages, in one transaction; a reading already there (a concurrent job's) is kept. */
export async function storeReading(
  db: Db,
  file: { fileId: string; referralId: string },
  reading: DocumentReading,
  durationMs: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(documentReadings)
      .values({
        fileId: file.fileId,
        referralRequestId: file.referralId,
        state: reading.state,
        method: reading.state === "read" ? reading.method : null,
        pages: reading.pageCount,
        reason: reading.state === "read" ? reading.note : reading.reason,
        durationMs: Math.round(durationMs),
      })
      .onConflictDoNothing()
      .returning({ fileId: documentReadings.fileId });
    if (!inserted.length || reading.state !== "read") return;
    const images = new Map((reading.images ?? []).map((i) => [i.page, i.png]));
    // A page at a time: twenty pages of words and images in one statement would be one large message.
    for (const p of reading.pages) {
      await tx.insert(documentPages).values({
        fileId: file.fileId,
        page: p.page,
        width: p.width,
        height: p.height,
        method: p.method,
        skew: p.skew ?? null,
        words: p.words,
        lines: p.lines,
        png: images.get(p.page) ?? null,
      });
    }
  });
}

/**
 * A read job pg-boss gave up on (the reader crashed on every try): the file ends unreadable, with
 * the reason in words, and the check goes on without it.
 */
export async function handleDeadDocumentReadJob(
  db: Db,
  job: PgBoss.JobWithMetadata<JobData["documentReadDead"]>,
): Promise<void> {
  const { fileId, referralId } = job.data;
  if (fileId) {
    const [file] = await db
      .select({ id: referralFiles.id })
      .from(referralFiles)
      .where(and(eq(referralFiles.id, fileId), eq(referralFiles.referralRequestId, referralId)));
    if (file) {
      const reason = `the reader failed on this file ${DOCUMENT_READ_RETRY_LIMIT + 1} times (${deadReason(job.output)})`;
      await storeReading(db, { fileId, referralId }, { state: "unreadable", reason, pageCount: null }, 0);
      log.warn(`referral=${referralId} file=${fileId} given up: its read job is dead`);
    }
  }
  await recheckReferral(db, referralId);
}

/** Why the reads failed, from the job's output: the reader's own words (they name no content), else the error's name. */
function deadReason(output: unknown): string {
  const o = (output ?? {}) as { name?: unknown; message?: unknown; value?: { name?: unknown; message?: unknown } };
  const name = o.name ?? o.value?.name;
  const message = String(o.message ?? o.value?.message ?? "");
  if (name === "ReaderFailed" && message) return message;
  if (/timeout|expired/i.test(message)) return "it ran past its time";
  return typeof name === "string" ? name : "an unexpected error";
}

/**
 * The job's failure as pg-boss keeps it (in the job's output): the reader's own words, or the
 * error's name and code. Never a database error's message, which can quote a file's words.
 */
function safeFailure(err: unknown): Error {
  if (err instanceof ReaderFailed) return err;
  const e = new Error(errorBrief(err));
  e.name = "DocumentReadError";
  return e;
}

/**
 * The worker's document readers: `concurrency` loops, each taking one job at a time with a reader
 * process of its own, and the dead-letter handler. Returns what stops them (the readers' processes
 * and this process's OCR thread, if any).
 */
export async function startDocumentReadWorkers(
  boss: PgBoss,
  db: Db,
  concurrency: number,
): Promise<{ stop: () => Promise<void> }> {
  const readers: Reader[] = [];
  for (let i = 0; i < concurrency; i++) {
    const reader = createReader();
    readers.push(reader);
    await workOneAtATime(boss, "documentRead", 1, async (job) => {
      try {
        await handleDocumentReadJob(db, reader, job.data);
      } catch (err) {
        log.warn(`referral=${job.data.referralId} file=${job.data.fileId ?? "-"} read failed: ${errorBrief(err)}`);
        throw safeFailure(err);
      }
    });
  }
  if (concurrency > 0)
    await boss.work<JobData["documentReadDead"]>(
      QUEUES.documentReadDead,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 2 },
      async ([job]) => {
        if (job) await handleDeadDocumentReadJob(db, job);
      },
    );
  return {
    stop: async () => {
      await Promise.all(readers.map((r) => r.stop()));
      await terminateOcr();
    },
  };
}
