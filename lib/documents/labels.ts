/**
 * Finding the order's labels and the words of their values. Labels are found as word sequences
 * ("Date of Birth", "DOB", "NPI #", "Start of Care"), then the value is read to the label's right on
 * its line (up to the next label or a wide gap) or, on forms that print labels above their boxes
 * (CMS-485), on the line just below within the label's column. Works the same on a text layer and
 * on OCR, whose lines may be split by column.
 */
import { distance } from "fastest-levenshtein";
import { height, pageLines, type PLine, type Tok } from "./lines";
import { ocrSkeleton } from "./normalise";
import type { PageText } from "./types";
import { unionBox } from "./util";

type LabelDef = { words: string[]; field: LabelField; priority: number; colon: boolean };
export type LabelField =
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
export const OTHER_OWNER = new Set([
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
export const NOT_A_NAME_AFTER = new Set([
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

export type LabelHit = { def: LabelDef; line: PLine; start: number; end: number };

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
export function findLabels(lines: readonly PLine[], fields: readonly LabelField[]): LabelHit[] {
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
export function valueRight(hit: LabelHit): Tok[] {
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
export function valueBelow(hit: LabelHit, lines: readonly PLine[]): Tok[] {
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
export type Reader = (toks: Tok[]) => Tok[] | null;

/** Tries the labels of `field`, right then below, and returns the first value its reader accepts. */
export function byLabel(
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

export const prevNorm = (hit: LabelHit) => hit.line.toks[hit.start - 1]?.norm ?? "";
export const nextNorm = (hit: LabelHit) => hit.line.toks[hit.end]?.norm ?? "";

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
