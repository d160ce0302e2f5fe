/**
 * `npx tsx scripts/measure-documents.ts` (a measurement, not a test): the document reader over
 * the generated corpus (test/documents/corpus.ts: text PDFs, image-only PDFs, PNG and JPEG scans
 * turned 1–3° with noise, faxes with a cover sheet; planted mismatches), the per-kind table of
 * recall, false flags and match share, and the seconds per page of the text layer and of OCR.
 *   --per-kind N   cases per kind (default: the full corpus, 30 text PDFs and 10–12 of each other kind)
 *   --kinds a,b    only these kinds        --seed N   another corpus        --misses   list every miss
 *   --ocr-dpi N    the resolution OCR reads at (default 200)
 * Nothing is written to the repository; the corpus lives in memory.
 */
import os from "node:os";
import { terminateOcr } from "../lib/documents/ocr";
import { buildCorpus, KINDS, type Kind } from "../test/documents/corpus";
import { misses, ratio, runCase, score, table, type CaseResult } from "../test/documents/measure";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const kinds = (arg("kinds")?.split(",") ?? [...KINDS]) as Kind[];
  const perKindArg = arg("per-kind");
  const perKind = Object.fromEntries(
    KINDS.map((k) => [k, kinds.includes(k) ? (perKindArg ? Number(perKindArg) : undefined) : 0]).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const seed = arg("seed") ? Number(arg("seed")) : undefined;
  console.log(`Building the corpus (${kinds.join(", ")}) on ${os.cpus().length} cores…`);
  const corpus = await buildCorpus({ seed, perKind });
  const results: CaseResult[] = [];
  for (const c of corpus) {
    const r = await runCase(c, arg("ocr-dpi") ? { ocrDpi: Number(arg("ocr-dpi")) } : {});
    results.push(r);
    const bad = r.fields.filter((f) =>
      f.planted ? f.got !== "mismatch" && f.got !== "invalid" : f.got !== "match",
    ).length;
    process.stdout.write(
      `${c.id.padEnd(14)} ${r.pages.text + r.pages.ocr} page(s) ${(r.seconds.text + r.seconds.ocr).toFixed(1).padStart(5)} s ${bad ? `${bad} off` : "ok"}\n`,
    );
  }
  await terminateOcr();

  console.log(`\n${table(results)}\n`);
  if (process.argv.includes("--misses")) for (const m of misses(results)) console.log(m);

  const s = score(results);
  const total = (k: "text" | "ocr") =>
    results.reduce((a, r) => ({ seconds: a.seconds + r.seconds[k], pages: a.pages + r.pages[k] }), {
      seconds: 0,
      pages: 0,
    });
  const text = total("text");
  const ocr = total("ocr");
  console.log(`RESULT documents-recall ${ratio(s.caught, s.planted).toFixed(3)}`);
  console.log(`RESULT documents-false-flags ${ratio(s.falseFlags, s.agreeing).toFixed(3)}`);
  console.log(`RESULT documents-match-share ${ratio(s.matched, s.agreeing).toFixed(3)}`);
  console.log(`RESULT documents-sourced ${ratio(s.sourced, s.decided).toFixed(3)}`);
  console.log(`RESULT documents-box-on-value ${ratio(s.onTarget, s.targeted).toFixed(3)}`);
  if (text.pages) console.log(`RESULT documents-text-seconds-per-page ${(text.seconds / text.pages).toFixed(3)}`);
  if (ocr.pages) console.log(`RESULT documents-ocr-seconds-per-page ${(ocr.seconds / ocr.pages).toFixed(2)}`);
}

main().catch(async (err) => {
  await terminateOcr();
  console.error(err);
  process.exit(1);
});
