/**
 * The order's pages as lines of words (tokens), the geometry every reader works in, and `found`,
 * what a value read from some of those words becomes (its text, page and box).
 */
import type { Box, PageText } from "./types";
import { unionBox } from "./util";

/**
 * A word: `box` in the page image's pixels (what a source points at); `geo` the same box in the
 * straightened page (OCR of a turned scan), where lines are level and columns upright: all
 * geometry (lines, gaps, "below") is done there.
 */
export type Tok = { raw: string; norm: string; colon: boolean; box: Box; geo: Box; confidence: number };
export type PLine = { page: number; ocr: boolean; toks: Tok[]; geo: Box };

/** A value found in the order: as written (`text`), normalised (`value`), where, and how sure OCR was of its least certain word (100 for a text layer). */
export type Found<T = string> = { value: T; text: string; page: number; box: Box; ocr: boolean; confidence?: number };

/** Lower case, no accents, no surrounding punctuation, "patient's" → "patient", "d.o.b." → "dob". */
function normWord(raw: string): string {
  let t = raw
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}#]+|[^\p{L}\p{N}#]+$/gu, "");
  t = t.replace(/['’]s$/, "");
  if (/^(\p{L}\.)+\p{L}?$/u.test(t) || /^(\p{L}\.){1,3}\p{L}$/u.test(t)) t = t.replace(/\./g, "");
  return t;
}

/** "DOB:05/07/1998" read as one word is two: the label and the value, the box split by share of characters. */
function splitGlued(raw: string, box: Box): Array<{ raw: string; box: Box }> {
  const m = /^([\p{L}.#']{2,}:)(\S.*)$/u.exec(raw);
  if (!m) return [{ raw, box }];
  const share = m[1]!.length / raw.length;
  const w1 = box[2] * share;
  return [
    { raw: m[1]!, box: [box[0], box[1], w1, box[3]] },
    { raw: m[2]!, box: [box[0] + w1, box[1], box[2] - w1, box[3]] },
  ];
}

/**
 * A word's box in the straightened page: the page image was turned by `skew` (radians, about its
 * centre) to straighten it, and the word's box in the image is the box around its turned
 * rectangle, whose centre and sides this recovers.
 */
export function straighten(box: Box, skew: number, width: number, height: number): Box {
  if (!skew) return box;
  const [x, y, w, h] = box;
  const cx = width / 2;
  const cy = height / 2;
  const mx = x + w / 2 - cx;
  const my = y + h / 2 - cy;
  const cos = Math.cos(skew);
  const sin = Math.sin(skew);
  const a = Math.abs(sin);
  const det = cos * cos - a * a;
  const ww = Math.max(1, (w * cos - h * a) / det);
  const hh = Math.max(1, (h * cos - w * a) / det);
  const ncx = cx + mx * cos - my * sin;
  const ncy = cy + mx * sin + my * cos;
  return [ncx - ww / 2, ncy - hh / 2, ww, hh];
}

/** Lines of all pages in reading order (top to bottom, then left to right). */
export function pageLines(pages: readonly PageText[]): PLine[] {
  const out: PLine[] = [];
  for (const page of pages) {
    const byLine = new Map<number, Tok[]>();
    for (const w of page.words) {
      const list = byLine.get(w.line) ?? [];
      for (const part of splitGlued(w.text, w.box))
        list.push({
          raw: part.raw,
          norm: normWord(part.raw),
          colon: /[:#]$/.test(part.raw),
          box: part.box,
          geo: straighten(part.box, page.skew ?? 0, page.width, page.height),
          confidence: w.confidence,
        });
      byLine.set(w.line, list);
    }
    const lines = [...byLine.values()]
      .map((toks) => ({
        page: page.page,
        ocr: page.method === "ocr",
        toks: toks.sort((a, b) => a.geo[0] - b.geo[0]),
        geo: unionBox(toks.map((t) => t.geo)),
      }))
      .sort((a, b) => a.geo[1] - b.geo[1] || a.geo[0] - b.geo[0]);
    out.push(...lines);
  }
  return out;
}

export const lineText = (toks: readonly Tok[]) => toks.map((t) => t.raw).join(" ");
export const height = (t: Tok) => t.geo[3];

export function found<T>(value: T, toks: readonly Tok[], line: PLine): Found<T> {
  return {
    value,
    text: lineText(toks),
    page: line.page,
    box: roundBox(unionBox(toks.map((t) => t.box))),
    ocr: line.ocr,
    confidence: Math.min(...toks.map((t) => t.confidence)),
  };
}
export const roundBox = (b: Box): Box => [Math.round(b[0]), Math.round(b[1]), Math.round(b[2]), Math.round(b[3])];

/** The line holding a token list (they all come from one). */
export function lineOf(toks: readonly Tok[], lines: readonly PLine[]): PLine {
  return lines.find((l) => l.toks.includes(toks[0]!))!;
}
