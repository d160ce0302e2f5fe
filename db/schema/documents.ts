/**
 * What the document reader (lib/documents/, run by the worker's document-read job) found in a
 * referral's files, and the referral's latest check of its order against the form.
 *  - document_readings: one per file read (or given up on): its state, how it was read, its
 *    page count and, when it could not be read, the reason in words (never the file's content);
 *  - document_pages: each read page's words and lines with their boxes in the page image's
 *    pixels, and that image (PNG) for the viewer, drawn once;
 *  - referral_checks: the check the page, the API and the queue read (computed by the worker
 *    when a file is read, an amendment arrives or a document is added), the count of fields
 *    the order disagrees with copied to referral_requests.order_mismatches for the queue.
 */
import { doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { bytea, tstz } from "./columns";
import { referralFiles, referralRequestColumn, referralRequests, referralSubmissions } from "./referrals";
import type { Check, DocumentSummary, Line, Word } from "../../lib/documents/types";

export const documentReadingState = pgEnum("document_reading_state", ["read", "unreadable"]);
export const documentReadMethod = pgEnum("document_read_method", ["text", "ocr"]);

export const documentReadings = pgTable(
  "document_readings",
  {
    fileId: uuid("file_id")
      .primaryKey()
      .references(() => referralFiles.id, { onDelete: "cascade" }),
    referralRequestId: referralRequestColumn(),
    state: documentReadingState("state").notNull(),
    /** "ocr" when any page was OCR'd; null when unreadable */
    method: documentReadMethod("method"),
    /** the file's page count (null when it could not be told) */
    pages: integer("pages"),
    /** unreadable: why; read: which pages were left out (null: none) */
    reason: text("reason"),
    readAt: tstz("read_at").notNull().defaultNow(),
    /** how long the reading took (operations; 0 for a copy of an earlier reading of the same bytes) */
    durationMs: integer("duration_ms").notNull().default(0),
  },
  (t) => [index("document_readings_request").on(t.referralRequestId)],
);
export type DocumentReadingRow = typeof documentReadings.$inferSelect;

export const documentPages = pgTable(
  "document_pages",
  {
    fileId: uuid("file_id")
      .notNull()
      .references(() => referralFiles.id, { onDelete: "cascade" }),
    /** counts from 1 */
    page: integer("page").notNull(),
    /** the page image's size in pixels: the boxes are in it */
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    method: documentReadMethod("method").notNull(),
    /** radians OCR straightened a turned scan by (null: read as it is) */
    skew: doublePrecision("skew"),
    words: jsonb("words").$type<Word[]>().notNull(),
    lines: jsonb("lines").$type<Line[]>().notNull(),
    // STORAGE EXTERNAL (migration 0016): PNG is compressed already.
    png: bytea("png"),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.page] })],
);

export const referralCheckStatus = pgEnum("referral_check_status", ["pending", "done"]);

export const referralChecks = pgTable("referral_checks", {
  referralRequestId: uuid("referral_request_id")
    .primaryKey()
    .references(() => referralRequests.id),
  /** the submission whose form was checked (an amendment makes the check pending until it is redone) */
  submissionId: uuid("submission_id").references(() => referralSubmissions.id),
  status: referralCheckStatus("status").notNull(),
  /** the files the check was made from (the latest submission's and the reviewers' documents) */
  fileIds: uuid("file_ids").array().notNull(),
  documents: jsonb("documents").$type<DocumentSummary[]>().notNull(),
  checks: jsonb("checks").$type<Check[]>().notNull(),
  /** the file taken as the order (null: none of the files reads as one) */
  orderFileId: uuid("order_file_id"),
  mismatches: integer("mismatches").notNull().default(0),
  checkedAt: tstz("checked_at").notNull().defaultNow(),
});
export type ReferralCheckRow = typeof referralChecks.$inferSelect;
