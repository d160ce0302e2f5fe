/**
 * A referral's check of its order against its form, redone from what is stored: the latest
 * submission's form, and the readings of its current files (the latest submission's and the
 * documents reviewers added). Run by the document-read job after each file, and for an amendment
 * (the form changed). The result is stored in referral_checks, and the count of fields the order
 * disagrees with in referral_requests.order_mismatches (the queue's).
 */
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import {
  documentPages,
  documentReadings,
  referralChecks,
  referralFiles,
  referralRequests,
  referralSubmissions,
} from "../../db/schema";
import type { Db, Tx } from "../db";
import { checkReferral, summarise } from "../documents/check";
import type { SubmissionLike } from "../documents/form";
import type { DocumentReading, PageText, ReadFileResult } from "../documents/types";

/** The same bytes as an earlier current file: not read twice, listed "skipped" (as readFiles does). */
const SKIPPED = { state: "skipped", reason: "the same file as another of this referral's files" } as const;

/** A referral's current files, in the order the page lists them. */
export async function currentFiles(tx: Tx | Db, referralId: string, latestSubmissionId: string | null) {
  return tx
    .select({ id: referralFiles.id, sha256: referralFiles.sha256 })
    .from(referralFiles)
    .where(
      and(
        eq(referralFiles.referralRequestId, referralId),
        latestSubmissionId
          ? or(isNull(referralFiles.submissionId), eq(referralFiles.submissionId, latestSubmissionId))
          : isNull(referralFiles.submissionId),
      ),
    )
    .orderBy(asc(referralFiles.createdAt), asc(referralFiles.idx));
}

export type RecheckOutcome = { status: "pending" | "done"; mismatches: number } | null;

/**
 * Redoes the check under a lock on the referral (two files finishing at once check in turn, the
 * later one seeing both readings). "pending" while a current file waits for its reading.
 */
export async function recheckReferral(db: Db, referralId: string): Promise<RecheckOutcome> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`order-check:${referralId}`}, 0))`);
    const [row] = await tx
      .select({ submissionId: referralRequests.latestSubmissionId, payload: referralSubmissions.payload })
      .from(referralRequests)
      .leftJoin(referralSubmissions, eq(referralSubmissions.id, referralRequests.latestSubmissionId))
      .where(eq(referralRequests.id, referralId));
    if (!row) return null;
    const files = await currentFiles(tx, referralId, row.submissionId);
    const ids = files.map((f) => f.id);
    const readings = ids.length
      ? await tx.select().from(documentReadings).where(inArray(documentReadings.fileId, ids))
      : [];
    const byFile = new Map(readings.map((r) => [r.fileId, r]));
    // The first file of each content is the one read; later copies are "skipped".
    const seen = new Set<string>();
    const firsts = files.filter((f) => (seen.has(f.sha256) ? false : (seen.add(f.sha256), true)));
    const pending = firsts.some((f) => !byFile.has(f.id));
    const readIds = firsts.filter((f) => byFile.get(f.id)?.state === "read").map((f) => f.id);
    const pages =
      !pending && readIds.length
        ? await tx
            .select({
              fileId: documentPages.fileId,
              page: documentPages.page,
              width: documentPages.width,
              height: documentPages.height,
              method: documentPages.method,
              skew: documentPages.skew,
              words: documentPages.words,
              lines: documentPages.lines,
            })
            .from(documentPages)
            .where(inArray(documentPages.fileId, readIds))
            .orderBy(asc(documentPages.fileId), asc(documentPages.page))
        : [];
    const pagesOf = new Map<string, PageText[]>();
    for (const p of pages) {
      const list = pagesOf.get(p.fileId) ?? [];
      list.push({
        page: p.page,
        width: p.width,
        height: p.height,
        method: p.method,
        ...(p.skew ? { skew: p.skew } : {}),
        words: p.words,
        lines: p.lines,
      });
      pagesOf.set(p.fileId, list);
    }
    const firstIds = new Set(firsts.map((f) => f.id));
    const results: ReadFileResult[] = [];
    for (const f of files) {
      const r = byFile.get(f.id);
      if (!firstIds.has(f.id)) results.push({ file_id: f.id, reading: SKIPPED });
      else if (r) results.push({ file_id: f.id, reading: readingOf(r, pagesOf.get(f.id) ?? []) });
    }
    const now = new Date();
    if (pending) {
      const documents = results.map(summarise);
      await tx
        .insert(referralChecks)
        .values({
          referralRequestId: referralId,
          submissionId: row.submissionId,
          status: "pending",
          fileIds: ids,
          documents,
          checks: [],
          orderFileId: null,
          checkedAt: now,
        })
        .onConflictDoUpdate({
          target: referralChecks.referralRequestId,
          set: { submissionId: row.submissionId, status: "pending", fileIds: ids, documents, checkedAt: now },
        });
      return { status: "pending", mismatches: 0 };
    }
    const result = checkReferral((row.payload ?? {}) as SubmissionLike, results);
    const mismatches = result.checks.filter((c) => c.verdict === "mismatch").length;
    const values = {
      submissionId: row.submissionId,
      status: "done" as const,
      fileIds: ids,
      documents: result.documents,
      checks: result.checks,
      orderFileId: result.order?.file_id ?? null,
      mismatches,
      checkedAt: now,
    };
    await tx
      .insert(referralChecks)
      .values({ referralRequestId: referralId, ...values })
      .onConflictDoUpdate({ target: referralChecks.referralRequestId, set: values });
    // Only when it changes: the row's other readers (the queue's live poll, a reviewer's save) are not disturbed.
    await tx
      .update(referralRequests)
      .set({ orderMismatches: mismatches })
      .where(and(eq(referralRequests.id, referralId), sql`${referralRequests.orderMismatches} <> ${mismatches}`));
    return { status: "done", mismatches };
  });
}

/** A stored reading as the check reads it (a read file's skipped pages are in its reason). */
function readingOf(r: typeof documentReadings.$inferSelect, pages: PageText[]): DocumentReading {
  if (r.state === "unreadable") return { state: "unreadable", reason: r.reason ?? "unreadable", pageCount: r.pages };
  return { state: "read", method: r.method ?? "text", pageCount: r.pages ?? pages.length, pages, note: r.reason };
}
