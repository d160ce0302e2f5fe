/**
 * The order's values, each with the words (page and box) it was read from. Labels are found
 * as word sequences ("Date of Birth", "DOB", "NPI #", "Start of Care"), then the value is read
 * to the label's right on its line (up to the next label or a wide gap) or, on forms that
 * print labels above their boxes (CMS-485), on the line just below within the label's column.
 * Works the same on a text layer and on OCR, whose lines may be split by column.
 */
import { distance } from "fastest-levenshtein";
import { disciplineAt, disciplineWords, type Discipline } from "../form/discipline";
import { icdKey } from "./icd10";
import { ADVERB_WORDS, LATIN_WORDS, PERIOD_WORDS, UNIT_WORDS } from "../frequency/lexicon";
import { parseFrequency } from "../frequency/parse";
import { findDates, ocrSkeleton } from "./normalise";
import { npiDigits } from "./npi";
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

export type Extraction = {
  client_name?: Found;
  client_birthday?: Found;
  physician_name?: Found;
  /** `value`: the digits as read (OCR's letter confusions undone); may fail the check digit. */
  physician_npi?: Found;
  /** Codes as written, each with its own place; `box` of the whole is on the page with the most. */
  diagnosis_codes?: Found<Array<Found>>;
  /** Disciplines the orders name, each with its place. */
  service?: Found<Array<Found<Discipline>>>;
  frequency?: Found;
  start_date?: Found;
  end_date?: Found;
};

// ---------------------------------------------------------------------------------------------
// Tokens and lines

/** Lower case, no accents, no surrounding punctuation, "patient's" → "patient", "d.o.b." → "dob". */
export function normWord(raw: string): string {
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

const lineText = (toks: readonly Tok[]) => toks.map((t) => t.raw).join(" ");
const height = (t: Tok) => t.geo[3];

// ---------------------------------------------------------------------------------------------
// Labels

type LabelDef = { words: string[]; field: LabelField; priority: number; colon: boolean };
type LabelField =
  | "client_name"
  | "client_birthday"
  | "physician_name"
  | "physician_npi"
  | "start_date"
  | "cert_period"
  | "end_date"
  | "frequency"
  | "service"
  | "stop";

/** A phrase ending in ":" is a label only when written with its colon (generic words: "Client:", "Certification:"). */
const L = (field: LabelField, priority: number, ...phrases: string[]): LabelDef[] =>
  phrases.map((p) => ({ words: p.replace(/:$/, "").split(" "), field, priority, colon: p.endsWith(":") }));

/** Longest first within a field; lower priority numbers are tried first. */
const LABELS: LabelDef[] = [
  ...L(
    "client_name",
    1,
    "patient name",
    "patient full name",
    "name of patient",
    "client name",
    "patient name and address",
    "patient name address",
  ),
  ...L("client_name", 2, "patient", "client:", "name and address"),
  ...L("client_name", 3, "name:"),
  ...L("client_birthday", 1, "date of birth", "birth date", "birthdate", "dob", "patient dob", "birthday"),
  ...L(
    "physician_name",
    1,
    "ordering physician",
    "attending physician",
    "referring physician",
    "primary physician",
    "physician name",
    "physician name and address",
    "ordering provider",
  ),
  ...L("physician_name", 2, "physician", "doctor:"),
  ...L("physician_name", 3, "electronically signed by", "signed by"),
  ...L("physician_npi", 1, "physician npi", "npi", "npi #", "npi no", "npi number", "national provider identifier"),
  ...L("start_date", 1, "start of care date", "start of care", "soc date", "soc", "service start date", "start date"),
  ...L("cert_period", 1, "certification period", "cert period", "certification:", "episode:", "plan of care period"),
  ...L("end_date", 1, "end of certification", "certification end date", "service end date", "end date"),
  ...L("frequency", 1, "frequency", "visit frequency", "freq"),
  ...L(
    "service",
    1,
    "discipline",
    "disciplines",
    "orders for",
    "services requested",
    "service requested",
    "services ordered",
    "services:",
  ),
].sort((a, b) => a.priority - b.priority || b.words.length - a.words.length);

/** Words that end a value when written as a label ("Sex:", "Phone:"): only with their colon. */
const STOP_WITH_COLON = new Set([
  "sex",
  "gender",
  "mrn",
  "phone",
  "tel",
  "telephone",
  "fax",
  "address",
  "age",
  "date",
  "order",
  "order #",
  "signature",
  "email",
  "medicare",
  "medicaid",
  "insurance",
  "ssn",
  "allergies",
  "prescriber",
  "re",
  "pages",
  "mr",
  "hi claim no",
]);

/** Words before a label that make it someone else's ("Agency NPI", "Physician Name", "Prescriber"). */
const OTHER_OWNER = new Set([
  "agency",
  "provider",
  "facility",
  "organization",
  "group",
  "billing",
  "physician",
  "doctor",
  "insurance",
  "subscriber",
  "caregiver",
  "emergency",
  "contact",
  "pharmacy",
  "referring",
  "attending",
  "ordering",
  "primary",
]);
/** Words after a label that make it something else ("Physician Signature", "Physician NPI"). */
const NOT_A_NAME_AFTER = new Set([
  "signature",
  "npi",
  "phone",
  "fax",
  "address",
  "certification",
  "orders",
  "order",
  "information",
  "info",
  "instructions",
  "to",
  "of",
  "will",
  "is",
  "has",
  "and",
  "or",
  "in",
  "at",
  "for",
]);

type LabelHit = { def: LabelDef; line: PLine; start: number; end: number };

/**
 * A label's word as written, or as OCR misread it: one letter off in a word of five or more
 * ("Certificatlon"), or one letter too many after a three-letter one ("NPIL"). The value's reader
 * still has to accept what follows, so a near-label with no value of its kind costs nothing.
 */
function sameWord(norm: string, word: string, ocr: boolean): boolean {
  if (norm === word) return true;
  if (!ocr) return false;
  if (ocrSkeleton(norm) === ocrSkeleton(word)) return true;
  if (word.length >= 5) return Math.abs(norm.length - word.length) <= 1 && distance(norm, word) <= 1;
  return word.length === 3 && norm.length === 4 && norm.startsWith(word);
}

function matchAt(line: PLine, i: number, def: LabelDef): number {
  const { toks } = line;
  let j = i;
  for (const w of def.words) {
    const t = toks[j];
    if (!t || !sameWord(t.norm, w, line.ocr)) return -1;
    j++;
  }
  if (def.colon && !toks[j - 1]!.colon && toks[j]?.norm !== "") return -1;
  return j;
}

/** Every label of `fields` on the lines, best priority first, then in reading order. */
function findLabels(lines: readonly PLine[], fields: readonly LabelField[]): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const line of lines) {
    const taken = new Set<number>();
    for (const def of LABELS) {
      if (!fields.includes(def.field)) continue;
      for (let i = 0; i < line.toks.length; i++) {
        if (taken.has(i)) continue;
        const end = matchAt(line, i, def);
        if (end < 0) continue;
        // A label ends where its colon is, when it has one: "NPI # 123" and "Patient: X" both work.
        hits.push({ def, line, start: i, end });
        for (let k = i; k < end; k++) taken.add(k);
      }
    }
  }
  const order = new Map(lines.map((l, i) => [l, i]));
  // The more specific (longer) label first: "Certification Period:" before a "CERTIFICATION" heading.
  return hits.sort(
    (a, b) =>
      a.def.priority - b.def.priority ||
      b.def.words.length - a.def.words.length ||
      order.get(a.line)! - order.get(b.line)! ||
      a.start - b.start,
  );
}

/** True when the token at `i` starts another label (ending a value there). */
function isStop(line: PLine, i: number): boolean {
  const t = line.toks[i]!;
  for (const def of LABELS) {
    if (def.field === "client_name" && def.priority === 3) continue;
    const end = matchAt(line, i, def);
    if (end < 0) continue;
    // Single common words ("patient", "physician") stop a value only as labels (with a colon), or as longer phrases.
    if (def.words.length > 1 || line.toks[end - 1]!.colon || ["dob", "npi", "soc"].includes(def.words[0]!)) return true;
  }
  if (
    t.colon &&
    (STOP_WITH_COLON.has(t.norm) ||
      (i + 1 < line.toks.length && STOP_WITH_COLON.has(`${t.norm} ${line.toks[i + 1]!.norm}`)))
  )
    return true;
  // "Order #:" and numbered boxes of a form ("2. Start of Care") start something new.
  return false;
}

/** Tokens after a label on its line, up to the next label or a wide gap. */
function valueRight(hit: LabelHit): Tok[] {
  const { toks } = hit.line;
  let i = hit.end;
  // Separators after a label: ":", "#", "-", "No.".
  while (i < toks.length && (toks[i]!.norm === "" || toks[i]!.norm === "#" || toks[i]!.norm === "no")) i++;
  const out: Tok[] = [];
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    const prev = out[out.length - 1] ?? toks[i - 1]!;
    const gap = t.geo[0] - (prev.geo[0] + prev.geo[2]);
    const limit = (out.length ? 2.2 : 12) * Math.max(height(t), height(prev));
    if (gap > limit) break;
    if (isStop(hit.line, i)) break;
    out.push(t);
  }
  return out;
}

/** Tokens on the line just below a label, within its column (for forms printing labels above boxes). */
function valueBelow(hit: LabelHit, lines: readonly PLine[]): Tok[] {
  const label = hit.line.toks.slice(hit.start, hit.end);
  const labelBox = unionBox(label.map((t) => t.geo));
  const h = Math.max(...label.map(height));
  // The column ends at the next wide gap after the label on its line (the next box's label).
  let colEnd = Infinity;
  for (let i = hit.end; i < hit.line.toks.length; i++) {
    const prev = hit.line.toks[i - 1]!;
    const t = hit.line.toks[i]!;
    if (t.geo[0] - (prev.geo[0] + prev.geo[2]) > 1.5 * h) {
      colEnd = t.geo[0];
      break;
    }
  }
  const colStart = labelBox[0] - 2 * h;
  const bottom = labelBox[1] + labelBox[3];
  const inColumn = (t: Tok) => t.geo[0] + t.geo[2] / 2 >= colStart && t.geo[0] + t.geo[2] / 2 < colEnd;
  const below = (t: Tok) => t.geo[1] >= bottom - 0.3 * h && t.geo[1] <= bottom + 3.5 * h;
  let best: { top: number; toks: Tok[] } | null = null;
  for (const l of lines) {
    if (l.page !== hit.line.page || l === hit.line) continue;
    const toks = l.toks.filter((t) => inColumn(t) && below(t));
    if (!toks.length) continue;
    const top = Math.min(...toks.map((t) => t.geo[1]));
    if (!best || top < best.top) best = { top, toks };
  }
  return best?.toks ?? [];
}

function found<T>(value: T, toks: readonly Tok[], line: PLine): Found<T> {
  return {
    value,
    text: lineText(toks),
    page: line.page,
    box: roundBox(unionBox(toks.map((t) => t.box))),
    ocr: line.ocr,
    confidence: Math.min(...toks.map((t) => t.confidence)),
  };
}
const roundBox = (b: Box): Box => [Math.round(b[0]), Math.round(b[1]), Math.round(b[2]), Math.round(b[3])];

/** The line holding a token list (they all come from one). */
function lineOf(toks: readonly Tok[], lines: readonly PLine[]): PLine {
  return lines.find((l) => l.toks.includes(toks[0]!))!;
}

// ---------------------------------------------------------------------------------------------
// Value readers: from tokens after or below a label, the tokens that are the value

type Reader = (toks: Tok[]) => Tok[] | null;

const NAME_TOKEN = /^[\p{Lu}][\p{L}'’.-]*,?$|^[\p{Lu}][\p{L}'’-]*[\p{Ll}][\p{L}'’.-]*,?$/u;
const TITLE_TOKEN = /^(dr|md|do|np|pa|pa-c|aprn|fnp|fnp-c|dnp|rn|phd|crnp)\.?,?$/i;

/** A person's name: 2–5 capitalised words, optional titles; stops at anything else. */
function readName(titles: boolean): Reader {
  return (toks) => {
    const out: Tok[] = [];
    for (const t of toks) {
      const raw = t.raw.replace(/^[("]+|[)";]+$/g, "");
      // A stray mark between the parts ("OKAFOR, - DOLORES") is passed over.
      if (out.length && /^[^\p{L}\p{N}]{1,2}$/u.test(raw)) continue;
      const ok = NAME_TOKEN.test(raw) || (titles && TITLE_TOKEN.test(raw)) || /^\p{Lu}\.?,?$/u.test(raw);
      if (!ok) break;
      out.push(t);
      if (out.length >= 6 || raw.endsWith(";")) break;
    }
    while (out.length && /^[,.]$/.test(out[out.length - 1]!.raw)) out.pop();
    const words = out.filter((t) => /\p{L}{2,}/u.test(t.raw) && !(titles && TITLE_TOKEN.test(t.raw)));
    return words.length >= 2 ? out : null;
  };
}

/** The first date among the tokens. */
function readDate(toks: Tok[]): Tok[] | null {
  return readDates(toks, 1);
}

/** The first `n` dates among the tokens, as the tokens covering each (a date may span "May 7, 1998"). */
function readDates(toks: Tok[], n: number): Tok[] | null {
  const text = lineText(toks);
  const dates = findDates(text);
  if (dates.length < n) return null;
  const d = dates[n - 1]!;
  return tokensInSpan(toks, d.start, d.end);
}

function tokensInSpan(toks: Tok[], start: number, end: number): Tok[] {
  const out: Tok[] = [];
  let at = 0;
  for (const t of toks) {
    const s = at;
    const e = at + t.raw.length;
    if (e > start && s < end) out.push(t);
    at = e + 1;
  }
  return out;
}

/** Ten digits (OCR's letter confusions undone), in one token or spread over up to three. */
function readNpi(toks: Tok[]): Tok[] | null {
  for (let i = 0; i < toks.length; i++) {
    let digits = "";
    for (let j = i; j < Math.min(toks.length, i + 3); j++) {
      const d = npiDigits(toks[j]!.raw.replace(/[,;:]$/, ""));
      if (!/^\d+$/.test(d)) break;
      digits += d;
      if (digits.length === 10) return toks.slice(i, j + 1);
      if (digits.length > 10) break;
    }
    if (/\d{4}/.test(toks[i]!.raw)) return null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Field extraction

/** Tries the labels of `field`, right then below, and returns the first value its reader accepts. */
function byLabel(
  lines: readonly PLine[],
  field: LabelField,
  read: Reader,
  accept: (hit: LabelHit) => boolean = () => true,
): { toks: Tok[]; hit: LabelHit } | null {
  for (const hit of findLabels(lines, [field])) {
    if (!accept(hit)) continue;
    for (const candidate of [valueRight(hit), valueBelow(hit, lines)]) {
      if (!candidate.length) continue;
      const toks = read(candidate);
      if (toks && toks.length) return { toks, hit };
    }
  }
  return null;
}

const prevNorm = (hit: LabelHit) => hit.line.toks[hit.start - 1]?.norm ?? "";
const nextNorm = (hit: LabelHit) => hit.line.toks[hit.end]?.norm ?? "";

function extractName(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(lines, "client_name", readName(false), (hit) => {
    if (OTHER_OWNER.has(prevNorm(hit))) return false;
    // "Patient's HI Claim No.", "Patient will…": only "Patient:" or a name right after.
    const next = nextNorm(hit);
    if (
      hit.def.words.length === 1 &&
      ["hi", "claim", "medicare", "signature", "id", "phone", "address", "account"].includes(next)
    )
      return false;
    return !["will", "to", "is", "has", "and", "or", "of"].includes(next);
  });
  return got ? found(nameText(got.toks), got.toks, lineOf(got.toks, lines)) : undefined;
}

const nameText = (toks: readonly Tok[]) => lineText(toks).replace(/[,;]$/, "");

function extractPhysician(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(
    lines,
    "physician_name",
    readName(true),
    (hit) => !NOT_A_NAME_AFTER.has(nextNorm(hit)) || nextNorm(hit) === "",
  );
  return got ? found(nameText(got.toks), got.toks, lineOf(got.toks, lines)) : undefined;
}

function extractBirthday(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(
    lines,
    "client_birthday",
    readDate,
    (hit) => !OTHER_OWNER.has(prevNorm(hit)) && prevNorm(hit) !== "subscriber",
  );
  if (!got) return undefined;
  const text = lineText(got.toks);
  return found(
    findDates(text, { pivotYear: new Date().getUTCFullYear() })[0]?.iso ?? "",
    got.toks,
    lineOf(got.toks, lines),
  );
}

function extractNpi(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(
    lines,
    "physician_npi",
    readNpi,
    (hit) =>
      !["agency", "provider", "facility", "organization", "group", "billing", "pharmacy"].includes(prevNorm(hit)),
  );
  if (!got) return undefined;
  return found(npiDigits(got.toks.map((t) => t.raw.replace(/[,;:]$/, "")).join("")), got.toks, lineOf(got.toks, lines));
}

/** Start of care, end of certification: labelled dates, else the certification period's two dates. */
function extractDates(lines: readonly PLine[]): { start?: Found; end?: Found } {
  const out: { start?: Found; end?: Found } = {};
  const startGot = byLabel(lines, "start_date", readDate);
  if (startGot) out.start = dateFound(startGot.toks, lines);
  const endGot = byLabel(lines, "end_date", readDate);
  if (endGot) out.end = dateFound(endGot.toks, lines);
  const period = byLabel(lines, "cert_period", (toks) => (findDates(lineText(toks)).length >= 2 ? toks : null));
  if (period) {
    const first = readDates(period.toks, 1);
    const second = readDates(period.toks, 2);
    if (!out.start && first) out.start = dateFound(first, lines);
    if (!out.end && second) out.end = dateFound(second, lines);
  }
  return out;
}

function dateFound(toks: Tok[], lines: readonly PLine[]): Found {
  return found(findDates(lineText(toks))[0]?.iso ?? "", toks, lineOf(toks, lines));
}

// Diagnoses -------------------------------------------------------------------------------------

/** Code-like as printed or as OCR reads it (a digit for a letter, a letter for a digit): checked and repaired later. */
const LOOSE_CODE = /^[A-Z0-9][0-9A-Z][0-9A-Z]\.?[0-9A-Z]{0,4}$/;
/** "1." "12)" "(3)" "-" and OCR's "l." or "1,". */
const ENUMERATOR = /^(\(?[\dlI|]{1,2}[.,)]|\d{1,2}|[^\p{L}\p{N}]{1,2})$/u;
const SECTION_AFTER_DIAGNOSES =
  /^(\d{1,2}\.\s*)?(orders?|discipline|frequency|goals?|medications?|physician|signature|certif|allerg|dme|supplies|safety|nutrition|functional|activities|mental|prognosis|rehab|discharge|i certify|please|start of care|patient|surgical|procedure)/i;

/** The code a diagnosis line starts with (after its number), or null. */
function codeOf(line: PLine): Tok | null {
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

function isDiagnosisHeader(line: PLine): boolean {
  // "ICD-10", "ICD-10-CM", and OCR's "11.1CD-10-CM" (a box number run into it).
  return line.toks.some((t) => /^(diagnos[ei]s|dx|icd)$/.test(t.norm) || /[il1]cd-?10/.test(t.norm));
}

/** Codes listed under a diagnosis heading (across pages), or, without a heading, lines starting with a dotted code. */
function extractDiagnoses(lines: readonly PLine[]): Found<Array<Found>> | undefined {
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

// Service and frequency --------------------------------------------------------------------------

/** The disciplines a piece of text names (lib/draft/discipline.ts's names), each with the tokens naming it (the last one's index in `toks`). */
export function disciplinesIn(
  toks: readonly Tok[],
  line: PLine,
): Array<Found<Discipline> & { firstTok: number; lastTok: number }> {
  const words: Array<{ word: string; tok: number }> = [];
  toks.forEach((t, i) => disciplineWords(t.raw).forEach((word) => words.push({ word, tok: i })));
  const list = words.map((w) => w.word);
  const out: Array<Found<Discipline> & { firstTok: number; lastTok: number }> = [];
  for (let i = 0; i < list.length;) {
    const hit = disciplineAt(list, i);
    if (!hit) {
      i++;
      continue;
    }
    const span = toks.slice(words[i]!.tok, words[i + hit.length - 1]!.tok + 1);
    if (!out.some((o) => o.value === hit.code))
      out.push({ ...found(hit.code, span, line), firstTok: words[i]!.tok, lastTok: words[i + hit.length - 1]!.tok });
    i += hit.length;
  }
  return out;
}

const ORDERS_HEADER = /^(\d{1,2}\.\s*)?(orders?\b|orders for|please provide|services ordered|discipline)/i;
const FREQUENCY_LIKE =
  /\b\d+\s*(x|times?|visits?|w|wk|hrs?|hours?)\b|\b\d+\s*[xX]\s*\/|\b\d+[wW]\d+\b|\bonce\b|\btwice\b|\bdaily\b|\bweekly\b|\bper (week|day|month)\b|\b(qd|qod|biw|tiw|bid)\b/i;

/** Lines of the orders section: from its heading to the next section or 8 lines on. */
function ordersLines(lines: readonly PLine[]): PLine[] {
  const out: PLine[] = [];
  let left = 0;
  for (const line of lines) {
    const text = lineText(line.toks);
    if (ORDERS_HEADER.test(text) && !/^order\s*(date|#|no)/i.test(text)) left = 8;
    else if (
      left > 0 &&
      /^(\d{1,2}\.\s*)?(goals?|medications?|allerg|dme|supplies|safety|nutrition|physician|signature|i certify|\d{2}\.)/i.test(
        text,
      )
    )
      left = 0;
    if (left > 0) {
      out.push(line);
      left--;
    }
  }
  return out;
}

function extractService(lines: readonly PLine[]): Found<Array<Found<Discipline>>> | undefined {
  // A labelled value ("Discipline: Skilled Nursing", "Orders for: Physical Therapy") says it best.
  for (const hit of findLabels(lines, ["service"])) {
    for (const toks of [valueRight(hit), valueBelow(hit, lines)]) {
      if (!toks.length) continue;
      const line = lineOf(toks, lines);
      const named = disciplinesIn(toks, line);
      if (named.length)
        return {
          value: named,
          text: lineText(toks),
          page: line.page,
          box: roundBox(unionBox(named.map((n) => n.box))),
          ocr: line.ocr,
        };
    }
  }
  // Else the orders section's lines that name a discipline beside a frequency ("SN 2W4 …").
  const section = ordersLines(lines);
  for (const pass of [true, false]) {
    const named: Array<Found<Discipline>> = [];
    for (const line of section) {
      if (pass && !FREQUENCY_LIKE.test(lineText(line.toks))) continue;
      for (const d of disciplinesIn(line.toks, line)) if (!named.some((n) => n.value === d.value)) named.push(d);
    }
    if (named.length)
      return {
        value: named,
        text: named.map((n) => n.text).join(", "),
        page: named[0]!.page,
        box: named[0]!.box,
        ocr: named[0]!.ocr,
      };
  }
  return undefined;
}

/** The frequency: a labelled value, else the words after a discipline on an orders line ("SN 2W4 …"). */
function extractFrequency(lines: readonly PLine[], discipline: Discipline | null): Found | undefined {
  const labelled = byLabel(lines, "frequency", (toks) => frequencyWords(toks));
  if (labelled) return frequencyFound(labelled.toks, lineOf(labelled.toks, lines));
  const candidates: Array<{ toks: Tok[]; line: PLine; discipline: Discipline }> = [];
  for (const line of ordersLines(lines)) {
    if (!FREQUENCY_LIKE.test(lineText(line.toks))) continue;
    // Each discipline's words run to the next discipline: "SN 2x/wk x 4 wks; PT 3x/wk x 3 wks".
    const named = disciplinesIn(line.toks, line).sort((a, b) => a.lastTok - b.lastTok);
    named.forEach((d, i) => {
      const toks = frequencyWords(line.toks.slice(d.lastTok + 1, named[i + 1]?.firstTok ?? line.toks.length));
      if (toks) candidates.push({ toks, line, discipline: d.value });
    });
  }
  const best = candidates.find((c) => discipline && c.discipline === discipline) ?? candidates[0];
  return best ? frequencyFound(best.toks, best.line) : undefined;
}

function isFrequencyWord(t: Tok): boolean {
  const w = t.norm.replace(/[^a-z]/g, "");
  return /\d/.test(t.raw) || w in PERIOD_WORDS || w in UNIT_WORDS || w in ADVERB_WORDS || w in LATIN_WORDS;
}

function frequencyFound(toks: Tok[], line: PLine): Found {
  const text = lineText(toks).replace(/[:;,.]$/, "");
  return { ...found(text, toks, line), text };
}

/**
 * The words that are the frequency: the shortest run from the start that the frequency grammar
 * reads as it reads the longest ("2X/WK X 9 WKS: ASSESS …" → "2X/WK X 9 WKS"), else, for text it
 * does not read, the words up to the first colon or semicolon when they look like a frequency;
 * null when nothing does.
 */
function frequencyWords(toks: readonly Tok[]): Tok[] | null {
  const text = (n: number) => lineText(toks.slice(0, n)).replace(/[:;,.]$/, "");
  const phases = (n: number) => {
    const r = parseFrequency(text(n));
    return r.ok ? JSON.stringify(r.phases) : null;
  };
  for (let n = Math.min(toks.length, 12); n > 0; n--) {
    const longest = phases(n);
    if (!longest) continue;
    // Words after the frequency that change nothing in it ("ASSESS", "SKILLED") are left out;
    // its own units ("wks") stay, even where the grammar would infer them.
    while (n > 1 && !isFrequencyWord(toks[n - 1]!) && phases(n - 1) === longest) n--;
    return toks.slice(0, n);
  }
  const upTo = toks.findIndex((t) => /[:;]$/.test(t.raw));
  const head = toks.slice(0, upTo < 0 ? toks.length : upTo + 1);
  return head.length && FREQUENCY_LIKE.test(lineText(head)) ? head : null;
}

/** Everything the order says, from its pages (the order's file, its cover sheet left out). */
export function extractOrder(pages: readonly PageText[], options: { discipline?: Discipline | null } = {}): Extraction {
  const lines = pageLines(pages);
  const out: Extraction = {};
  out.client_name = extractName(lines);
  out.client_birthday = extractBirthday(lines);
  out.physician_name = extractPhysician(lines);
  out.physician_npi = extractNpi(lines);
  out.diagnosis_codes = extractDiagnoses(lines);
  out.service = extractService(lines);
  const want = options.discipline ?? out.service?.value[0]?.value ?? null;
  out.frequency = extractFrequency(lines, want);
  const dates = extractDates(lines);
  out.start_date = dates.start;
  out.end_date = dates.end;
  for (const k of Object.keys(out) as Array<keyof Extraction>) if (out[k] === undefined) delete out[k];
  return out;
}

/** The order's words, for finding which file and pages are the order (order.ts). */
export function labelsOn(page: PageText): Set<LabelField> {
  return new Set(
    findLabels(pageLines([page]), [
      "client_name",
      "client_birthday",
      "physician_name",
      "physician_npi",
      "start_date",
      "cert_period",
      "frequency",
      "service",
    ]).map((h) => h.def.field),
  );
}

export { isDiagnosisHeader, codeOf };
