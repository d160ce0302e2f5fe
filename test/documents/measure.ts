/**
 * Runs the document reader over corpus cases and scores it: recall of planted mismatches,
 * false flags on agreeing fields, the share of agreeing fields found (`match`), whether each
 * match/mismatch points at the printed value (its box over the value's box), and the time per
 * page by method. Shared by lib/documents/corpus.test.ts (a small subset, with the targets as
 * assertions) and scripts/measure-documents.ts (the full corpus).
 */
import { performance } from "node:perf_hooks";
import { checkReferral } from "../../lib/documents/check";
import { readFiles, type ReadOptions } from "../../lib/documents/read";
import type { Box, Check, ReadFileResult } from "../../lib/documents/types";
import { PAGE_HEIGHT, PAGE_WIDTH, type CorpusCase, type Kind } from "./corpus";

export type CaseResult = {
  id: string;
  kind: Kind;
  checks: Check[];
  files: ReadFileResult[];
  orderFile: string | null;
  coverPages: number[];
  /** Per field: expected vs got, and whether the source box covers the printed value. */
  fields: Array<{
    field: string;
    expected: string;
    got: string;
    planted: boolean;
    sourced: boolean;
    onTarget: boolean | null;
  }>;
  seconds: { text: number; ocr: number };
  pages: { text: number; ocr: number };
};

export type Score = {
  planted: number;
  caught: number;
  agreeing: number;
  falseFlags: number;
  matched: number;
  /** match/mismatch verdicts, those with a source page and box, and those whose box is on the printed value. */
  decided: number;
  sourced: number;
  onTarget: number;
  targeted: number;
};

export const emptyScore = (): Score => ({
  planted: 0,
  caught: 0,
  agreeing: 0,
  falseFlags: 0,
  matched: 0,
  decided: 0,
  sourced: 0,
  onTarget: 0,
  targeted: 0,
});

/** The value's printed box (points) in the page image's pixels: turned like the scan, scaled to the image. */
export function truthInPixels(box: Box, degrees: number, imageWidth: number): Box {
  const k = imageWidth / PAGE_WIDTH;
  const cx = PAGE_WIDTH / 2;
  const cy = PAGE_HEIGHT / 2;
  const a = (degrees * Math.PI) / 180;
  const corners = [
    [box[0], box[1]],
    [box[0] + box[2], box[1]],
    [box[0], box[1] + box[3]],
    [box[0] + box[2], box[1] + box[3]],
  ].map(([x, y]) => [
    cx + (x! - cx) * Math.cos(a) - (y! - cy) * Math.sin(a),
    cy + (x! - cx) * Math.sin(a) + (y! - cy) * Math.cos(a),
  ]);
  const xs = corners.map((c) => c[0]! * k);
  const ys = corners.map((c) => c[1]! * k);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
}

/** The source box lies on the printed value: they overlap by at least half of the smaller one's area. */
export function overlaps(a: Box, b: Box): boolean {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return false;
  return w * h >= 0.5 * Math.min(a[2] * a[3], b[2] * b[3]);
}

export async function runCase(c: CorpusCase, options: ReadOptions = {}): Promise<CaseResult> {
  const seconds = { text: 0, ocr: 0 };
  const pages = { text: 0, ocr: 0 };
  const files: ReadFileResult[] = [];
  for (const f of c.files) {
    const t0 = performance.now();
    const [read] = await readFiles([{ file_id: f.file_id, bytes: f.bytes, contentType: f.contentType }], options);
    const elapsed = (performance.now() - t0) / 1000;
    files.push(read!);
    if (read!.reading.state === "read") {
      const method = read!.reading.method;
      seconds[method] += elapsed;
      pages[method] += read!.reading.pageCount;
    }
  }
  const result = checkReferral(c.payload, files);
  const fields: CaseResult["fields"] = [];
  for (const check of result.checks) {
    const expected = c.expected[check.field];
    const decided = check.verdict === "match" || check.verdict === "mismatch";
    let onTarget: boolean | null = null;
    if (decided && check.source) {
      const reading = files.find((f) => f.file_id === check.source!.file_id)?.reading;
      const page = reading?.state === "read" ? reading.pages.find((p) => p.page === check.source!.page) : undefined;
      const truths = c.truth.filter(
        (t) => t.field === check.field && t.file_id === check.source!.file_id && t.page === check.source!.page,
      );
      if (page && truths.length) {
        const degrees = c.rotation[check.source.file_id]?.[check.source.page - 1] ?? 0;
        onTarget = truths.some((t) => overlaps(check.source!.box, truthInPixels(t.box, degrees, page.width)));
      } else onTarget = false;
    }
    fields.push({
      field: check.field,
      expected,
      got: check.verdict,
      planted: c.planted.includes(check.field),
      sourced: !!check.source,
      onTarget,
    });
  }
  return {
    id: c.id,
    kind: c.kind,
    checks: result.checks,
    files,
    orderFile: result.order?.file_id ?? null,
    coverPages: result.order?.coverPages ?? [],
    fields,
    seconds,
    pages,
  };
}

export function score(results: readonly CaseResult[]): Score {
  const s = emptyScore();
  for (const r of results)
    for (const f of r.fields) {
      if (f.planted) {
        s.planted++;
        if (f.got === "mismatch" || f.got === "invalid") s.caught++;
      } else {
        s.agreeing++;
        if (f.got === "mismatch" || f.got === "invalid") s.falseFlags++;
        if (f.got === "match") s.matched++;
      }
      if (f.got === "match" || f.got === "mismatch") {
        s.decided++;
        if (f.sourced) s.sourced++;
        s.targeted++;
        if (f.onTarget) s.onTarget++;
      }
    }
  return s;
}

export const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const pct = (a: number, b: number) => (b === 0 ? "   -  " : `${(100 * ratio(a, b)).toFixed(1).padStart(5)}%`);

/** The per-kind table scripts/measure-documents.ts prints. */
export function table(results: readonly CaseResult[]): string {
  const kinds = [...new Set(results.map((r) => r.kind))];
  const rows = [
    "kind        cases  planted  recall  agreeing  false-flags  match   sourced  box-on-value",
    ...[...kinds, "all"].map((k) => {
      const rs = k === "all" ? results : results.filter((r) => r.kind === k);
      const s = score(rs);
      return `${k.padEnd(11)} ${String(rs.length).padStart(5)}  ${String(s.planted).padStart(7)}  ${pct(s.caught, s.planted)}  ${String(s.agreeing).padStart(8)}  ${pct(s.falseFlags, s.agreeing).padStart(11)}  ${pct(s.matched, s.agreeing)}  ${pct(s.sourced, s.decided)}  ${pct(s.onTarget, s.targeted)}`;
    }),
  ];
  return rows.join("\n");
}

/** Each field that did not get its expected verdict, for reading what went wrong (no PHI: generated data). */
export function misses(results: readonly CaseResult[]): string[] {
  const out: string[] = [];
  for (const r of results)
    for (const f of r.fields) {
      const ok = f.planted ? f.got === "mismatch" || f.got === "invalid" : f.got === "match";
      if (!ok || f.onTarget === false) {
        const c = r.checks.find((x) => x.field === f.field)!;
        out.push(
          `${r.id} ${f.field}: expected ${f.expected}, got ${f.got}${f.onTarget === false ? " (box off the value)" : ""} | form=${JSON.stringify(c.form)} order=${JSON.stringify(c.order)}`,
        );
      }
    }
  return out;
}
