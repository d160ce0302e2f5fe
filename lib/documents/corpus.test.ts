/**
 * The reader's targets on a small subset of the generated corpus (the full corpus and the
 * per-kind table: scripts/measure-documents.ts): text PDFs of the three layouts (one with 20
 * diagnoses over two pages, two with a medication profile sent first) and one of each scanned
 * kind (PNG, JPEG, a scan in a PDF, a fax behind its cover sheet), with planted mismatches.
 * OCR makes this the slow file (about 30 s on two cores).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCase, type CorpusCase } from "../../test/documents/corpus";
import { ratio, runCase, score, type CaseResult } from "../../test/documents/measure";
import { terminateOcr } from "./ocr";

const SUBSET: Array<Parameters<typeof buildCase>[0]> = [
  ...[0, 1, 2, 3, 4, 5, 6].map((index) => ({ kind: "text-pdf" as const, index })),
  { kind: "png", index: 0 },
  { kind: "jpeg", index: 1 },
  { kind: "image-pdf", index: 2 },
  { kind: "fax-cover", index: 0 },
];

let cases: CorpusCase[] = [];
const results: CaseResult[] = [];

beforeAll(async () => {
  cases = await Promise.all(SUBSET.map(buildCase));
  for (const c of cases) results.push(await runCase(c));
}, 240_000);
afterAll(terminateOcr);

describe("the corpus subset", () => {
  it("has planted mismatches on every field and scans of every kind", () => {
    expect(new Set(cases.flatMap((c) => c.planted)).size).toBe(9);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(["text-pdf", "png", "jpeg", "image-pdf", "fax-cover"]));
    expect(
      results
        .filter((r) => r.kind !== "text-pdf")
        .every((r) => r.files.some((f) => f.reading.state === "read" && f.reading.method === "ocr")),
    ).toBe(true);
  });

  it("meets the targets: recall ≥ 95%, false flags ≤ 2%, match ≥ 90%, every match and mismatch with its source", () => {
    const s = score(results);
    expect(s.planted).toBeGreaterThanOrEqual(10);
    expect(ratio(s.caught, s.planted)).toBeGreaterThanOrEqual(0.95);
    expect(ratio(s.falseFlags, s.agreeing)).toBeLessThanOrEqual(0.02);
    expect(ratio(s.matched, s.agreeing)).toBeGreaterThanOrEqual(0.9);
    expect(s.sourced).toBe(s.decided);
  });

  it("points each decided field of a text PDF at the printed value, and of a scan at least nearly always", () => {
    const text = score(results.filter((r) => r.kind === "text-pdf"));
    expect(text.onTarget).toBe(text.targeted);
    const all = score(results);
    expect(ratio(all.onTarget, all.targeted)).toBeGreaterThanOrEqual(0.95);
  });

  it("takes the order over a medication profile sent before it, and reads a fax's order behind its cover sheet", () => {
    for (const [c, r] of cases.map((c, i) => [c, results[i]!] as const)) {
      expect(r.orderFile, c.id).toBe(c.files.find((f) => f.isOrder)!.file_id);
      if (c.kind === "fax-cover") expect(r.coverPages).toEqual([1]);
      else expect(r.coverPages).toEqual([]);
    }
    const fax = results.find((r) => r.kind === "fax-cover")!;
    expect(fax.checks.filter((c) => c.source).every((c) => c.source!.page >= 2)).toBe(true);
  });
});
