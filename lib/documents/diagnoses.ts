/**
 * The order's diagnoses: the ICD-10 codes listed under a diagnosis heading, as printed or as OCR
 * misread them (codes are checked and repaired later, icd10.ts).
 */
import { icdKey } from "./icd10";
import { found, lineText, roundBox, type Found, type PLine, type Tok } from "./lines";
import { unionBox } from "./util";

/** Code-like as printed or as OCR reads it (a digit for a letter, a letter for a digit): checked and repaired later. */
const LOOSE_CODE = /^[A-Z0-9][0-9A-Z][0-9A-Z]\.?[0-9A-Z]{0,4}$/;
/** "1." "12)" "(3)" "-" and OCR's "l." or "1,". */
const ENUMERATOR = /^(\(?[\dlI|]{1,2}[.,)]|\d{1,2}|[^\p{L}\p{N}]{1,2})$/u;
const SECTION_AFTER_DIAGNOSES =
  /^(\d{1,2}\.\s*)?(orders?|discipline|frequency|goals?|medications?|physician|signature|certif|allerg|dme|supplies|safety|nutrition|functional|activities|mental|prognosis|rehab|discharge|i certify|please|start of care|patient|surgical|procedure)/i;

/** The code a diagnosis line starts with (after its number), or null. */
export function codeOf(line: PLine): Tok | null {
  return (
    codeAt(line, line.toks[0] && ENUMERATOR.test(line.toks[0].raw) ? 1 : 0) ??
    (line.toks[0] && line.toks[0].raw.length <= 3 && line.toks[0].confidence < 50 ? codeAt(line, 1) : null)
  );
}

/** The code at token `i` (an unreadable number before it, "Sia E119", is passed over by codeOf). */
function codeAt(line: PLine, i: number): Tok | null {
  let t = line.toks[i];
  if (!t) return null;
  // A code OCR split at its dot ("784. s0xa", "E11 .65", "T84 50XA") is one word again.
  const next = line.toks[i + 1];
  const splitAtDot =
    next && (/\.$/.test(t.raw) || /^\./.test(next.raw) || (/^[\p{L}\p{N}]{3}$/u.test(t.raw) && /\d/.test(next.raw)));
  if (
    next &&
    splitAtDot &&
    /^\.?[\p{L}\p{N}]{1,4}$/u.test(next.raw) &&
    next.geo[0] - (t.geo[0] + t.geo[2]) < t.geo[3]
  ) {
    const box = unionBox([t.box, next.box]);
    t = {
      ...t,
      raw: `${t.raw.replace(/\.$/, "")}.${next.raw.replace(/^\./, "")}`,
      box,
      geo: unionBox([t.geo, next.geo]),
      confidence: Math.min(t.confidence, next.confidence),
    };
  }
  for (const candidate of codeReadings(t.raw, i === 0)) if (codeLike(candidate)) return { ...t, raw: candidate };
  return null;
}

/** Symbols OCR reads for a code's first letter ("$72.001A"). */
const LEADING_LETTER: Record<string, string> = { $: "S", "§": "S", "£": "E", "€": "E" };

/**
 * The ways a word may be a code, most literal first: symbols read for its first letter or its
 * last "1" ("M62.8]") put back and a comma read for its dot ("E66,01"); specks and rules around
 * it dropped ("-|L97.419", "747.1%"); a number run into it dropped ("1.E11.9", "4.169.351",
 * "5.1872", unless `first` is false: a number was already passed over); one speck in front
 * ("2E11.9") dropped.
 */
function codeReadings(word: string, first: boolean): string[] {
  const looks = word
    .replace(/^[$§£€]/, (c) => LEADING_LETTER[c]!)
    .replace(/(\d)[\]|]$/, "$11")
    .replace(/(\d),(\d)/, "$1.$2");
  const bare = looks.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").toUpperCase();
  const glued = first ? /^\d{1,2}[.,:;)]+(.{3,})$/.exec(bare) : null;
  const out = [bare];
  if (glued) out.unshift(glued[1]!);
  out.push(out[0]!.slice(1));
  return out;
}

/** Code-shaped; all digits too (OCR read the leading letter as one: "148.91", "110", "1872" with its dot lost). */
function codeLike(raw: string): boolean {
  return LOOSE_CODE.test(raw) && /\d/.test(raw) && raw.replace(".", "").length <= 7;
}

export function isDiagnosisHeader(line: PLine): boolean {
  // "ICD-10", "ICD-10-CM", and OCR's "11.1CD-10-CM" (a box number run into it).
  return line.toks.some((t) => /^(diagnos[ei]s|dx|icd)$/.test(t.norm) || /[il1]cd-?10/.test(t.norm));
}

/** Codes listed under a diagnosis heading (across pages), or, without a heading, lines starting with a dotted code. */
export function extractDiagnoses(lines: readonly PLine[]): Found<Array<Found>> | undefined {
  const codes: Array<Found> = [];
  let inSection = false;
  let misses = 0;
  for (const line of lines) {
    if (isDiagnosisHeader(line)) {
      inSection = true;
      misses = 0;
      const code = codeOf({
        ...line,
        toks: line.toks.slice(line.toks.findIndex((t) => /diagnos|icd|dx/.test(t.norm)) + 1),
      });
      if (code) codes.push(found(code.raw, [code], line));
      continue;
    }
    if (!inSection) continue;
    const code = codeOf(line);
    if (code) {
      codes.push(found(code.raw, [code], line));
      misses = 0;
      continue;
    }
    if (SECTION_AFTER_DIAGNOSES.test(lineText(line.toks))) inSection = false;
    else if (++misses > 2) inSection = false;
  }
  if (!codes.length) {
    for (const line of lines) {
      const code = codeOf(line);
      if (code && /^[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}$/.test(code.raw)) codes.push(found(code.raw, [code], line));
    }
    if (codes.length < 2) return undefined;
  }
  // Unique codes, first place kept.
  const seen = new Set<string>();
  const unique = codes.filter((c) => (seen.has(icdKey(c.value)) ? false : (seen.add(icdKey(c.value)), true)));
  const perPage = new Map<number, Found[]>();
  for (const c of unique) perPage.set(c.page, [...(perPage.get(c.page) ?? []), c]);
  const [page, onPage] = [...perPage.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0]!;
  return {
    value: unique,
    text: unique.map((c) => c.value).join(", "),
    page,
    box: roundBox(unionBox(onPage.map((c) => c.box))),
    ocr: unique.some((c) => c.ocr),
  };
}
