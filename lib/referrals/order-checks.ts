/**
 * The order check as the API, the referral page and its viewer read it: stored data only (the
 * worker's document-read job wrote it; nothing here loads PDF, image or OCR code). A check is
 * "done" when it was made from the latest submission and the current files; an amendment or an
 * added document makes it "pending" at once, until the job has redone it. Not server-only: the
 * approval's draft reads it in plain Node processes too (the demo seed).
 */
import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { documentPages, documentReadings, referralChecks, referralFiles, referralRequests } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope } from "../access/scopes";
import type { Actor } from "../access/actors";
import type { Db } from "../db";
import type { Check, DocumentSummary } from "../documents/types";
import { recordReferralView } from "./audited-view";

/** The contract of GET /api/referrals/{id}/checks. */
export type ChecksAnswer = { status: "pending" | "done"; documents: DocumentSummary[]; checks: Check[] };

/** A current file as the viewer shows it: its pages' sizes (the boxes are in those pixels). */
export type ViewerFile = {
  fileId: string;
  name: string;
  state: "read" | "unreadable" | "skipped" | "waiting";
  reason: string | null;
  pages: Array<{ page: number; width: number; height: number }>;
};

export type OrderView = ChecksAnswer & { files: ViewerFile[]; orderFileId: string | null };

const SAME_FILE = "the same file as another of this referral's files";
const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** The stored check of a referral, current or pending; null when there is no such referral. No audit (the caller's view records it). */
export async function readOrderView(db: Db, id: string): Promise<OrderView | null> {
  if (!isUuid(id)) return null;
  const [r] = await db
    .select({ latest: referralRequests.latestSubmissionId })
    .from(referralRequests)
    .where(eq(referralRequests.id, id));
  if (!r) return null;
  const [files, [check]] = await Promise.all([
    db
      .select({ id: referralFiles.id, name: referralFiles.safeName, sha256: referralFiles.sha256 })
      .from(referralFiles)
      .where(
        and(
          eq(referralFiles.referralRequestId, id),
          r.latest
            ? or(isNull(referralFiles.submissionId), eq(referralFiles.submissionId, r.latest))
            : isNull(referralFiles.submissionId),
        ),
      )
      .orderBy(asc(referralFiles.createdAt), asc(referralFiles.idx)),
    db.select().from(referralChecks).where(eq(referralChecks.referralRequestId, id)),
  ]);
  const ids = files.map((f) => f.id);
  const [readings, pages] = ids.length
    ? await Promise.all([
        db.select().from(documentReadings).where(inArray(documentReadings.fileId, ids)),
        db
          .select({
            fileId: documentPages.fileId,
            page: documentPages.page,
            width: documentPages.width,
            height: documentPages.height,
          })
          .from(documentPages)
          .where(inArray(documentPages.fileId, ids))
          .orderBy(asc(documentPages.fileId), asc(documentPages.page)),
      ])
    : [[], []];
  const byFile = new Map(readings.map((x) => [x.fileId, x]));
  const seen = new Set<string>();
  const viewerFiles: ViewerFile[] = [];
  const documents: DocumentSummary[] = [];
  let waiting = false;
  for (const f of files) {
    const duplicate = seen.has(f.sha256);
    seen.add(f.sha256);
    const reading = byFile.get(f.id);
    const own = pages.filter((p) => p.fileId === f.id).map(({ page, width, height }) => ({ page, width, height }));
    if (duplicate) {
      documents.push({ file_id: f.id, state: "skipped", method: null, pages: null, reason: SAME_FILE });
      viewerFiles.push({ fileId: f.id, name: f.name, state: "skipped", reason: SAME_FILE, pages: own });
    } else if (!reading) {
      waiting = true;
      viewerFiles.push({ fileId: f.id, name: f.name, state: "waiting", reason: null, pages: [] });
    } else {
      const read = reading.state === "read";
      documents.push({
        file_id: f.id,
        state: reading.state,
        method: read ? reading.method : null,
        pages: reading.pages,
        reason: reading.reason,
      });
      viewerFiles.push({ fileId: f.id, name: f.name, state: reading.state, reason: reading.reason, pages: own });
    }
  }
  const current =
    !!check &&
    check.status === "done" &&
    check.submissionId === r.latest &&
    check.fileIds.length === ids.length &&
    check.fileIds.every((x) => ids.includes(x));
  const done = current && !waiting;
  return {
    status: done ? "done" : "pending",
    documents,
    checks: done ? check.checks : [],
    files: viewerFiles,
    orderFileId: done ? check.orderFileId : null,
  };
}

/** GET /api/referrals/{id}/checks: the answer, its read audited as a view of the referral. */
export async function getReferralChecks(db: Db, actor: Actor, id: string): Promise<ChecksAnswer | null> {
  assertScope(actor, "referral:read");
  const view = await readOrderView(db, id);
  if (!view) return null;
  await recordReferralView(db, actor, id, "checks");
  return { status: view.status, documents: view.documents, checks: view.checks };
}

/**
 * A read page's image (PNG) for the viewer, drawn once when the file was read. Audited as a view
 * of the file, with the page.
 */
export async function getPageImage(
  db: Db,
  actor: Actor,
  input: { referralId: string; fileId: string; page: number },
): Promise<{ png: Buffer; etag: string } | null> {
  assertScope(actor, "referral:read");
  if (!isUuid(input.referralId) || !isUuid(input.fileId) || !Number.isInteger(input.page) || input.page < 1)
    return null;
  const [row] = await db
    .select({ png: documentPages.png, sha256: referralFiles.sha256 })
    .from(documentPages)
    .innerJoin(referralFiles, eq(referralFiles.id, documentPages.fileId))
    .where(
      and(
        eq(documentPages.fileId, input.fileId),
        eq(documentPages.page, input.page),
        eq(referralFiles.referralRequestId, input.referralId),
      ),
    );
  if (!row?.png) return null;
  await recordAudit(db, {
    actor,
    action: "referral.file_viewed",
    entityType: "referral_request",
    entityId: input.referralId,
    details: { fileId: input.fileId, sha256: row.sha256, page: input.page },
  });
  return { png: row.png, etag: `"${row.sha256.slice(0, 32)}-p${input.page}"` };
}
