/**
 * One file's bytes → its words with boxes, page by page, or the reason it cannot be read. The
 * bytes decide what the file is (the stored content type is only a hint); limits are checked
 * from the page tree or the image header before anything is drawn or decoded.
 */
import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import type { PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { imageFormatOf, pngComplete, readImageHeader, tiffPage, type ImageHeader } from "./image-header";
import { ocrDrawnPage, tiffToPng } from "./ocr";
import { openPdf, pageHasImage, pageSize, pageTextLayer } from "./pdf";
import {
  drawImageFile,
  drawPdfPage,
  encode,
  imageTooLarge,
  normaliseImage,
  OCR_DPI,
  OCR_FILTER,
  ocrUpscale,
  pdfPageTooLarge,
  renderPdfPage,
  RENDER_SCALE,
  scaled,
  type DrawnPage,
  type PageImage,
} from "./render";
import type { Box, DocumentReading, PageImageFile, PageText, ReadFileResult, ReadMethod } from "./types";
import { inWords, TimeoutError, withTimeout } from "./util";

/** DOCUMENT_READ_MAX_PAGES's default: a file with more pages is not read at all. */
export const DEFAULT_MAX_PAGES = 20;
/** The time one page may take (text layer, drawing and OCR together). */
export const DEFAULT_PAGE_TIMEOUT_MS = 60_000;
/**
 * A PDF page whose text layer has fewer characters than this is OCR'd: a scan, or text drawn as
 * outlines. Up to SCAN_MAX_TEXT_CHARS, a page that also paints an image is a scan under a line
 * of text (a fax machine's header, a scanner's stamp) and is OCR'd too.
 */
export const MIN_TEXT_CHARS = 40;
export const SCAN_MAX_TEXT_CHARS = 250;

export type ReadOptions = {
  /** The stored content type: a hint only, the bytes decide. */
  contentType?: string | null;
  maxPages?: number;
  pageTimeoutMs?: number;
  /** Also return every read page's image (PNG), so the viewer's images are drawn once. */
  images?: boolean;
  /** The resolution OCR reads at (default OCR_DPI); the measurement script varies it. */
  ocrDpi?: number;
};

/** ReadOptions with their defaults, as the readers of a PDF and of an image take them. */
type Settings = Required<Omit<ReadOptions, "contentType">>;

const unreadable = (reason: string, pageCount: number | null = null): DocumentReading => ({
  state: "unreadable",
  reason,
  pageCount,
});

/** True when the bytes start like a PDF (a few producers put junk before the header). */
function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString("latin1");
  return head.includes("%PDF-");
}

/** Read one file. Never throws for anything in the bytes. */
export async function readDocument(bytes: Uint8Array, options: ReadOptions = {}): Promise<DocumentReading> {
  if (bytes.byteLength === 0) return unreadable("the file is empty");
  const settings: Settings = {
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    pageTimeoutMs: options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS,
    images: !!options.images,
    ocrDpi: options.ocrDpi ?? OCR_DPI,
  };
  if (isPdf(bytes)) return readPdf(bytes, settings);
  if (imageFormatOf(bytes)) return readImage(bytes, settings);
  return unreadable(`not a document: ${await describeType(bytes)}`);
}

/** What a file that is neither a PDF nor an image is, in words (its type, never its content). */
async function describeType(bytes: Uint8Array): Promise<string> {
  const sniffed = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (sniffed) return `the file is ${sniffed.mime} (.${sniffed.ext}), not a PDF or an image`;
  return "the file is not a PDF or an image";
}

type PageOutcome = { text: PageText; image: PageImage | null } | { failure: string };

/** Runs one page's work against its deadline; a page that fails or runs out of time is reported, not thrown. */
async function readPage(
  page: number,
  timeoutMs: number,
  work: (deadline: () => number) => Promise<PageOutcome>,
): Promise<PageOutcome> {
  const end = Date.now() + timeoutMs;
  const deadline = () => {
    const left = end - Date.now();
    if (left <= 0) throw new TimeoutError(timeoutMs);
    return left;
  };
  try {
    return await work(deadline);
  } catch (err) {
    if (err instanceof TimeoutError) return { failure: `page ${page} was not read within ${inWords(timeoutMs)}` };
    return { failure: `page ${page} could not be read` };
  }
}

/** The reading of a file from its pages' outcomes: read if any page was, with the others named in `note`. */
function collect(outcomes: PageOutcome[], pageCount: number, images: boolean): DocumentReading {
  const pages: PageText[] = [];
  const files: PageImageFile[] = [];
  const failures: string[] = [];
  for (const o of outcomes) {
    if ("failure" in o) {
      failures.push(o.failure);
      continue;
    }
    pages.push(o.text);
    if (images && o.image) files.push({ page: o.text.page, ...o.image });
  }
  if (pages.length === 0)
    return unreadable(
      failures.length === 1 ? failures[0]! : `no page could be read (${failures.join("; ")})`,
      pageCount,
    );
  const method: ReadMethod = pages.some((p) => p.method === "ocr") ? "ocr" : "text";
  return {
    state: "read",
    method,
    pageCount,
    pages,
    note: failures.length ? failures.join("; ") : null,
    ...(images ? { images: files } : {}),
  };
}

async function readPdf(bytes: Uint8Array, settings: Settings): Promise<DocumentReading> {
  const { maxPages, pageTimeoutMs, images } = settings;
  const opened = await openPdf(bytes, pageTimeoutMs);
  if (!opened.ok) return unreadable(opened.reason);
  const doc = opened.doc;
  try {
    const pageCount = doc.numPages;
    if (pageCount === 0) return unreadable("corrupt: the PDF has no pages", 0);
    if (pageCount > maxPages)
      return unreadable(`too many pages: the PDF has ${pageCount} pages, at most ${maxPages} are read`, pageCount);
    const outcomes: PageOutcome[] = [];
    for (let n = 1; n <= pageCount; n++) outcomes.push(await readPdfPage(doc, n, settings));
    return collect(outcomes, pageCount, images);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/**
 * OCR of a drawn page at its resolution, the words scaled into the page image (`image`, the
 * same page drawn smaller or equal).
 */
async function ocrDrawn(
  drawn: DrawnPage,
  image: { width: number; height: number },
  dpi: number | undefined,
  left: () => number,
): Promise<Pick<PageText, "words" | "lines" | "skew">> {
  const ocr = await ocrDrawnPage(drawn, { left, dpi });
  const k = image.width / drawn.width;
  if (k === 1) return ocr;
  const scale = (b: Box): Box => [
    Math.round(b[0] * k),
    Math.round(b[1] * k),
    Math.max(1, Math.round(b[2] * k)),
    Math.max(1, Math.round(b[3] * k)),
  ];
  return {
    skew: ocr.skew,
    words: ocr.words.map((w) => ({ ...w, box: scale(w.box) })),
    lines: ocr.lines.map((l) => ({ ...l, box: scale(l.box) })),
  };
}

function readPdfPage(
  doc: PDFDocumentProxy,
  n: number,
  { pageTimeoutMs, images, ocrDpi }: Settings,
): Promise<PageOutcome> {
  return readPage(n, pageTimeoutMs, async (left) => {
    const page = await withTimeout(doc.getPage(n), left());
    try {
      const { width, height } = pageSize(page, RENDER_SCALE);
      const tooLarge = pdfPageTooLarge(width, height, n);
      if (tooLarge) return { failure: tooLarge };
      const layer = await withTimeout(pageTextLayer(page, RENDER_SCALE), left());
      const scan =
        layer.chars < MIN_TEXT_CHARS ||
        (layer.chars < SCAN_MAX_TEXT_CHARS && (await withTimeout(pageHasImage(page), left())));
      if (!scan) {
        const image = images ? await renderPdfPage(page, left()) : null;
        return { text: { page: n, width, height, method: "text", words: layer.words, lines: layer.lines }, image };
      }
      // A scan: drawn at OCR's resolution for reading, and that drawing scaled down for the viewer.
      const ocrScale = Math.max(RENDER_SCALE, ocrDpi / 72);
      const big = await drawPdfPage(
        page,
        left(),
        pdfPageTooLarge(Math.ceil((width * ocrScale) / RENDER_SCALE), Math.ceil((height * ocrScale) / RENDER_SCALE), n)
          ? RENDER_SCALE
          : ocrScale,
      );
      const image = images ? await encode(scaled(big, width, height)) : null;
      const ocr = await ocrDrawn(
        scaled(big, big.width, big.height, OCR_FILTER),
        { width, height },
        72 * (big.width / width) * RENDER_SCALE,
        left,
      );
      return { text: { page: n, width, height, method: "ocr", ...ocr }, image };
    } finally {
      page.cleanup();
    }
  });
}

async function readImage(bytes: Uint8Array, settings: Settings): Promise<DocumentReading> {
  const { maxPages, images } = settings;
  const parsed = readImageHeader(bytes, maxPages);
  if (!parsed.ok) return unreadable(parsed.reason);
  const header = parsed.header;
  if (header.pages > maxPages) return unreadable(`too many pages: the TIFF has more than ${maxPages} pages`);
  const pageCount = header.pages;
  if (pageCount === 1) {
    const tooLarge = imageTooLarge(header);
    if (tooLarge) return unreadable(tooLarge, 1);
  }
  if (header.format === "png" && !pngComplete(bytes)) return unreadable("corrupt PNG: the image data is cut short", 1);
  const outcomes: PageOutcome[] = [];
  for (let i = 0; i < pageCount; i++) outcomes.push(await readImagePage(bytes, header, i, settings));
  const reading = collect(outcomes, pageCount, images);
  // One image that failed: its reason, said for the file ("the image …" rather than "page 1 …").
  if (reading.state === "unreadable" && pageCount === 1)
    return unreadable(reading.reason.replace(/^page 1 /, "the image "), 1);
  return reading;
}

function readImagePage(
  bytes: Uint8Array,
  header: ImageHeader,
  index: number,
  { pageTimeoutMs, images, ocrDpi }: Settings,
): Promise<PageOutcome> {
  const n = index + 1;
  return readPage(n, pageTimeoutMs, async (left) => {
    let source: Uint8Array = bytes;
    let size: { width: number; height: number } = header;
    if (header.format === "tiff") {
      const single = tiffPage(bytes, header, index);
      const own = readImageHeader(single, 1);
      if (!own.ok) return { failure: `page ${n}: ${own.reason}` };
      const tooLarge = imageTooLarge(own.header);
      if (tooLarge) return { failure: `page ${n}: ${tooLarge}` };
      source = await tiffToPng(single, left());
      size = own.header;
    }
    let drawn: DrawnPage;
    try {
      drawn = await drawImageFile(source, size);
    } catch {
      return { failure: `page ${n}: corrupt ${header.format.toUpperCase()}, the image could not be decoded` };
    }
    const image = images ? await encode(drawn) : null;
    const up = ocrUpscale(drawn.width, drawn.height, ocrDpi);
    const big = scaled(drawn, Math.round(drawn.width * up), Math.round(drawn.height * up), OCR_FILTER);
    const ocr = await ocrDrawn(big, drawn, undefined, left);
    return { text: { page: n, width: drawn.width, height: drawn.height, method: "ocr", ...ocr }, image };
  });
}

/**
 * Page `page` (from 1) of a file as the viewer's PNG, the image whose pixels the boxes are in:
 * the same size and geometry as the images `readDocument(…, { images: true })` returns (byte for
 * byte for text pages; a scanned page's is there drawn from its OCR drawing). Null when the file
 * or page cannot be drawn.
 */
export async function renderPage(
  bytes: Uint8Array,
  page: number,
  options: { timeoutMs?: number; maxPages?: number } = {},
): Promise<PageImage | null> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (bytes.byteLength === 0 || page < 1 || page > maxPages) return null;
  try {
    if (isPdf(bytes)) {
      const opened = await openPdf(bytes, timeoutMs);
      if (!opened.ok) return null;
      try {
        if (page > opened.doc.numPages || opened.doc.numPages > maxPages) return null;
        const p = await withTimeout(opened.doc.getPage(page), timeoutMs);
        const { width, height } = pageSize(p, RENDER_SCALE);
        if (pdfPageTooLarge(width, height, page)) return null;
        return await renderPdfPage(p, timeoutMs);
      } finally {
        await opened.doc.destroy().catch(() => undefined);
      }
    }
    const parsed = readImageHeader(bytes, maxPages);
    if (!parsed.ok || page > parsed.header.pages || parsed.header.pages > maxPages) return null;
    if (parsed.header.format === "png" && !pngComplete(bytes)) return null;
    if (parsed.header.format !== "tiff")
      return imageTooLarge(parsed.header) ? null : await normaliseImage(bytes, parsed.header);
    const single = tiffPage(bytes, parsed.header, page - 1);
    const own = readImageHeader(single, 1);
    if (!own.ok || imageTooLarge(own.header)) return null;
    return await normaliseImage(await tiffToPng(single, timeoutMs), own.header);
  } catch {
    return null;
  }
}

export type FileInput = { file_id: string; bytes: Uint8Array; contentType?: string | null };

/**
 * Read a referral's files one after another in this process, as the corpus measurement and the
 * tests do (the job reads one file per job, lib/worker/document-read.ts). The same bytes twice are
 * read once: the copy is "skipped".
 */
export async function readFiles(
  files: readonly FileInput[],
  options: Omit<ReadOptions, "contentType"> = {},
): Promise<ReadFileResult[]> {
  const seen = new Set<string>();
  const out: ReadFileResult[] = [];
  for (const f of files) {
    const digest = createHash("sha256").update(f.bytes).digest("hex");
    if (seen.has(digest)) {
      out.push({
        file_id: f.file_id,
        reading: { state: "skipped", reason: "the same file as another of this referral's files" },
      });
      continue;
    }
    seen.add(digest);
    out.push({ file_id: f.file_id, reading: await readDocument(f.bytes, { ...options, contentType: f.contentType }) });
  }
  return out;
}
