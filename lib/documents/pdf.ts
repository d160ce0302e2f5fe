/**
 * PDFs through pdfjs-dist's legacy build (the one meant for Node): opening with the failure said
 * in words (encrypted, corrupt), the page count from the page tree before any page is parsed,
 * and each page's text layer as words with boxes in the page image's pixels.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { getDocument, OPS, Util, type PDFDocumentProxy, type PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import type { Box, Line, Word } from "./types";
import { inWords, unionBox, withTimeout, TimeoutError } from "./util";

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve("pdfjs-dist/package.json"));

/** Embedded images larger than this (pixels) are not decoded: a decompression bomb inside a PDF costs nothing. */
export const PDF_MAX_IMAGE_PIXELS = 40_000_000;

export type PdfOpenResult = { ok: true; doc: PDFDocumentProxy } | { ok: false; reason: string };

/** Open a PDF; never throws. The caller must `doc.destroy()` an opened document. */
export async function openPdf(bytes: Uint8Array, timeoutMs: number): Promise<PdfOpenResult> {
  const task = getDocument({
    // A copy: pdfjs takes ownership of (and may detach) the buffer it is given.
    data: new Uint8Array(bytes),
    // Fonts the PDF names but does not embed (Helvetica…), read from disk, never fetched.
    standardFontDataUrl: `${path.join(PDFJS_DIR, "standard_fonts")}/`,
    wasmUrl: `${path.join(PDFJS_DIR, "wasm")}/`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    maxImageSize: PDF_MAX_IMAGE_PIXELS,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await withTimeout(task.promise, timeoutMs);
    return { ok: true, doc };
  } catch (err) {
    await task.destroy().catch(() => undefined);
    return { ok: false, reason: pdfFailure(err, timeoutMs) };
  }
}

/** pdfjs's errors in words, without their messages (which could quote the file). */
export function pdfFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof TimeoutError) return `the PDF could not be opened within ${inWords(timeoutMs)}`;
  const name = (err as { name?: string } | null)?.name;
  if (name === "PasswordException") return "encrypted: the PDF needs a password to open";
  if (name === "InvalidPDFException") return "corrupt: not a valid PDF";
  return "corrupt: the PDF could not be parsed";
}

/** The page's size at `scale`, in whole pixels (the page image's size). */
export function pageSize(page: PDFPageProxy, scale: number): { width: number; height: number } {
  const vp = page.getViewport({ scale });
  return { width: Math.ceil(vp.width), height: Math.ceil(vp.height) };
}

let measureContext: SKRSContext2D | null = null;
/** Widths of a text's characters in a Helvetica-like font, to place each word inside a text run. */
function charAdvances(text: string): number[] {
  measureContext ??= createCanvas(8, 8).getContext("2d");
  measureContext.font = "100px 'Liberation Sans', Arial, Helvetica, sans-serif";
  const out: number[] = [];
  let previous = 0;
  // Prefix widths, so kerning and ligatures inside the run are counted where they fall.
  for (let i = 1; i <= text.length; i++) {
    const w = measureContext.measureText(text.slice(0, i)).width;
    out.push(w - previous);
    previous = w;
  }
  return out;
}

type RawWord = { text: string; x: number; top: number; width: number; height: number; baseline: number };

/** Split one text run into words, placed by their share of the run's measured width. */
function runWords(item: TextItem, viewportTransform: number[], scale: number): RawWord[] {
  const tx = Util.transform(viewportTransform, item.transform);
  const fontHeight = Math.hypot(tx[2]!, tx[3]!);
  const horizontal = Math.abs(tx[1]!) < 1e-3 * Math.abs(tx[0]!) + 1e-6;
  const runWidth = item.width * scale;
  const words: RawWord[] = [];
  if (!horizontal) {
    // Rotated text: the run's bounding box for each of its words.
    const angle = Math.atan2(tx[1]!, tx[0]!);
    const corners = [
      [0, 0],
      [runWidth, 0],
      [0, -fontHeight],
      [runWidth, -fontHeight],
    ].map(([dx, dy]) => [
      tx[4]! + dx! * Math.cos(angle) - dy! * Math.sin(angle),
      tx[5]! + dx! * Math.sin(angle) + dy! * Math.cos(angle),
    ]);
    const xs = corners.map((c) => c[0]!);
    const ys = corners.map((c) => c[1]!);
    for (const m of item.str.matchAll(/\S+/g)) {
      words.push({
        text: m[0],
        x: Math.min(...xs),
        top: Math.min(...ys),
        width: Math.max(...xs) - Math.min(...xs),
        height: Math.max(...ys) - Math.min(...ys),
        baseline: Math.max(...ys),
      });
    }
    return words;
  }
  const advances = charAdvances(item.str);
  const total = advances.reduce((a, b) => a + b, 0);
  const share = total > 0 ? advances.map((a) => a / total) : advances.map(() => 1 / advances.length);
  const before: number[] = [0];
  for (const s of share) before.push(before[before.length - 1]! + s);
  for (const m of item.str.matchAll(/\S+/g)) {
    const start = m.index;
    const end = start + m[0].length;
    words.push({
      text: m[0],
      x: tx[4]! + before[start]! * runWidth,
      width: (before[end]! - before[start]!) * runWidth,
      // Ascent and descent of a typical Latin font, as a share of the font size.
      top: tx[5]! - fontHeight * 0.8,
      height: fontHeight,
      baseline: tx[5]!,
    });
  }
  return words;
}

/**
 * Words in reading order, grouped into lines by baseline. Pieces of one word written as two runs
 * (kerning, a change of font) are joined when nothing separates them.
 */
export function assembleLines(raw: RawWord[], confidence = 100): { words: Word[]; lines: Line[] } {
  const sorted = [...raw].sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const groups: RawWord[][] = [];
  for (const w of sorted) {
    const g = groups[groups.length - 1];
    const ref = g?.[0];
    if (g && ref && Math.abs(w.baseline - ref.baseline) < 0.45 * Math.min(ref.height, w.height)) g.push(w);
    else groups.push([w]);
  }
  const words: Word[] = [];
  const lines: Line[] = [];
  for (const g of groups) {
    g.sort((a, b) => a.x - b.x);
    const merged: RawWord[] = [];
    for (const w of g) {
      const prev = merged[merged.length - 1];
      if (prev && w.x - (prev.x + prev.width) < 0.1 * w.height && w.x >= prev.x) {
        prev.text += w.text;
        prev.width = Math.max(prev.width, w.x + w.width - prev.x);
      } else merged.push({ ...w });
    }
    const lineIndex = lines.length;
    const lineWords: Word[] = merged.map((w) => ({
      text: w.text,
      box: roundBox([w.x, w.top, w.width, w.height]),
      confidence,
      line: lineIndex,
    }));
    words.push(...lineWords);
    lines.push({
      text: lineWords.map((w) => w.text).join(" "),
      box: unionBox(lineWords.map((w) => w.box)),
      confidence,
    });
  }
  return { words, lines };
}

const roundBox = (b: Box): Box => [
  Math.round(b[0]),
  Math.round(b[1]),
  Math.max(1, Math.round(b[2])),
  Math.max(1, Math.round(b[3])),
];

/** The page's text layer as words and lines in the pixels of the page rendered at `scale`. */
export async function pageTextLayer(
  page: PDFPageProxy,
  scale: number,
): Promise<{ words: Word[]; lines: Line[]; chars: number }> {
  const viewport = page.getViewport({ scale });
  const content = await page.getTextContent();
  const raw: RawWord[] = [];
  for (const item of content.items) {
    if (!("str" in item) || !item.str.trim()) continue;
    raw.push(...runWords(item, viewport.transform, scale));
  }
  const { words, lines } = assembleLines(raw);
  return { words, lines, chars: words.reduce((n, w) => n + w.text.length, 0) };
}

const IMAGE_OPS = new Set<number>([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintInlineImageXObjectGroup,
  OPS.paintImageXObjectRepeat,
  OPS.paintImageMaskXObject,
  OPS.paintImageMaskXObjectGroup,
  OPS.paintImageMaskXObjectRepeat,
]);

/** Whether the page paints an image (a scan, perhaps under a fax machine's line of text). */
export async function pageHasImage(page: PDFPageProxy): Promise<boolean> {
  const ops = await page.getOperatorList();
  return ops.fnArray.some((fn) => IMAGE_OPS.has(fn));
}
