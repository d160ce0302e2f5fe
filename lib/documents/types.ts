/**
 * What reading a referral's files produces: plain data, no database or job types, so the job
 * that stores it and the route that serves it stay thin. Coordinates are always the page
 * image's pixels (render.ts draws that image), origin top-left.
 */

/** [x, y, width, height] in the page image's pixels. */
export type Box = [number, number, number, number];

/** How a page's words were found: the PDF's own text layer, or OCR of the page image. */
export type ReadMethod = "text" | "ocr";

export type Word = {
  text: string;
  box: Box;
  /** 0–100: tesseract's word confidence; 100 for a PDF's text layer. */
  confidence: number;
  /** Index of the word's line in its page's `lines`. */
  line: number;
};

export type Line = {
  text: string;
  box: Box;
  confidence: number;
};

export type PageText = {
  /** Counts from 1. */
  page: number;
  /** The page image's size in pixels (render.ts at RENDER_SCALE, or the normalised image). */
  width: number;
  height: number;
  method: ReadMethod;
  /**
   * OCR straightened a turned scan by this many radians (about the image's centre, clockwise
   * positive) before reading it; the boxes are back in the page image, each the box around its
   * turned word. 0 or absent: the page was read as it is.
   */
  skew?: number;
  words: Word[];
  lines: Line[];
};

/**
 * One file's reading. `method` is "ocr" when any page was OCR'd. `note` says in words what was
 * left out of a file that was still read (a page over its time limit); `reason` says why a file
 * could not be read at all. Neither ever carries the file's content. `images` (asked for with
 * ReadOptions.images) are the read pages' images, so the viewer's are drawn once.
 */
export type DocumentReading =
  | {
      state: "read";
      method: ReadMethod;
      pageCount: number;
      pages: PageText[];
      note: string | null;
      images?: PageImageFile[];
    }
  | { state: "unreadable"; reason: string; pageCount: number | null };

/** What the job stores per file: its reading, or "skipped" (the same bytes as an earlier file of the referral). */
export type FileReading = DocumentReading | { state: "skipped"; reason: string };
export type ReadFileResult = { file_id: string; reading: FileReading };

/** A page image (PNG) as the viewer shows it; the boxes of that page are in its pixels. */
export type PageImageFile = { page: number; png: Buffer; width: number; height: number };

/** The fields an order is checked on, in the order the API lists them. */
export const CHECK_FIELDS = [
  "client_name",
  "client_birthday",
  "physician_name",
  "physician_npi",
  "diagnosis_codes",
  "service",
  "frequency",
  "start_date",
  "end_date",
] as const;
export type CheckField = (typeof CHECK_FIELDS)[number];

export type Verdict = "match" | "mismatch" | "not_found" | "invalid";

export type Source = { file_id: string; page: number; box: Box };

/** One entry of the API's `checks`: both sides as written, and where on the order the value was read (null when it was not). */
export type Check = {
  field: CheckField;
  verdict: Verdict;
  form: string | null;
  order: string | null;
  source: Source | null;
};

/** One entry of the API's `documents`. "skipped": not read, e.g. the same bytes as an earlier file. */
export type DocumentSummary = {
  file_id: string;
  state: "read" | "unreadable" | "skipped";
  method: ReadMethod | null;
  pages: number | null;
  reason: string | null;
};
