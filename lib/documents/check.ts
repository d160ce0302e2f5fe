/**
 * A referral's readings and form → what the API serves (`{ status, documents, checks }`), so the
 * job that reads the files (lib/worker/document-read.ts) and the route that answers stay thin: the
 * job stores the readings, and the route builds the answer from them (checkReferral) when asked.
 * Pure: no PDF, image or OCR code is loaded by importing this module.
 */
import { disciplineOf } from "../form/discipline";
import { compareOrder } from "./compare";
import { extractOrder } from "./extract";
import { formValuesOf, type SubmissionLike } from "./form";
import { pickOrder } from "./order";
import type { Check, DocumentSummary, ReadFileResult } from "./types";

/** One entry of the API's `documents`. A read file's `reason` says which pages were left out, if any. */
export function summarise(r: ReadFileResult): DocumentSummary {
  const x = r.reading;
  if (x.state === "read")
    return { file_id: r.file_id, state: "read", method: x.method, pages: x.pageCount, reason: x.note };
  if (x.state === "unreadable")
    return { file_id: r.file_id, state: "unreadable", method: null, pages: x.pageCount, reason: x.reason };
  return { file_id: r.file_id, state: "skipped", method: null, pages: null, reason: x.reason };
}

export type ReferralCheck = {
  status: "done";
  documents: DocumentSummary[];
  checks: Check[];
  /** Which file was taken as the order and which of its pages were cover sheets (not served by the API; for logs and tests). */
  order: { file_id: string; coverPages: number[] } | null;
};

/** The API's answer for a referral whose files have all been read. */
export function checkReferral(payload: SubmissionLike, files: readonly ReadFileResult[]): ReferralCheck {
  const form = formValuesOf(payload);
  const pick = pickOrder(
    files.flatMap((f) => (f.reading.state === "read" ? [{ file_id: f.file_id, reading: f.reading }] : [])),
  );
  const extraction = pick ? extractOrder(pick.pages, { discipline: disciplineOf(form.service) }) : null;
  return {
    status: "done",
    documents: files.map(summarise),
    checks: compareOrder(form, extraction, pick?.file_id ?? null),
    order: pick ? { file_id: pick.file_id, coverPages: pick.coverPages } : null,
  };
}
