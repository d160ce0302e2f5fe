/**
 * The order checked against the form, field by field (CHECK_FIELDS): one Check per field, its
 * verdict, both sides as written, and where on the order the value was read.
 */
import { distance } from "fastest-levenshtein";
import { disciplineOf, type Discipline } from "../form/discipline";
import { parseFrequency, sameFrequency, type FrequencyReading } from "../frequency/parse";
import type { Extraction, Found } from "./extract";
import type { FormValues } from "./form";
import { icdDisplay, icdKey, isWellFormedIcd10, nearestIcd, repairIcd } from "./icd10";
import { sameName } from "./normalise";
import { isValidNpi, npiDigits } from "./npi";
import { CHECK_FIELDS, type Check, type CheckField, type Verdict } from "./types";

const source = (fileId: string | null, f: Found<unknown> | undefined) =>
  fileId && f ? { file_id: fileId, page: f.page, box: f.box } : null;

function check(
  field: CheckField,
  verdict: Verdict,
  form: string | null,
  found: Found<unknown> | undefined,
  fileId: string | null,
): Check {
  return { field, verdict, form, order: found?.text ?? null, source: source(fileId, found) };
}

/** The verdict when one side is missing: nothing on the order is not_found; an empty form beside a stated order is a mismatch. */
function missing(form: unknown, order: unknown): Verdict | null {
  if (order === undefined || order === null) return "not_found";
  if (form === null || form === undefined || form === "") return "mismatch";
  return null;
}

/** Frequencies: the same visits per period. The order's duration ("x 4 weeks") is the dates' business unless the form states one too. */
export function frequencyVerdict(form: string, order: string): Verdict {
  if (sameFrequency(form, order)) return "match";
  const a = parseFrequency(form);
  const b = readableFrequency(order);
  if (a.ok && b.ok) {
    const formHasLength = a.phases.some((p) => p.weeks !== undefined || p.days !== undefined || p.months !== undefined);
    if (formHasLength || a.phases.length !== b.phases.length || a.upTo !== b.upTo) return "mismatch";
    const rule = (r: (typeof a.phases)[number]["rule"]) =>
      JSON.stringify([r.ruleType, r.ruleDaily, r.ruleWeekly, r.ruleMonthly, r.rulePeriod, r.weekdays ?? null]);
    return a.phases.every((p, i) => rule(p.rule) === rule(b.phases[i]!.rule)) ? "match" : "mismatch";
  }
  // Either side cannot be read as rules. Both "as needed", or the same words: the same. Otherwise
  // the order states something the form does not say the same way: shown to the reviewer as a mismatch.
  if (!a.ok && !b.ok && a.reason === "as_needed" && b.reason === "as_needed") return "match";
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  return words(form) === words(order) ? "match" : "mismatch";
}

/** The order's frequency as rules, ignoring words after it that OCR or the layout ran on ("2W4 SKILLED …"). */
function readableFrequency(text: string): FrequencyReading {
  const words = text.split(/\s+/);
  for (let n = words.length; n > 0; n--) {
    const r = parseFrequency(words.slice(0, n).join(" "));
    if (r.ok) return r;
  }
  return parseFrequency(text);
}

/**
 * OCR confidence below which a single-character difference is OCR's doubt, not the order's word:
 * such a code (or NPI) is taken as the form's when it is one edit from it. Measured on the corpus:
 * misread codes came back at 5–81, correct ones mostly above 85.
 */
export const OCR_UNSURE = 85;

const unsure = (f: Found<unknown>) => f.ocr && (f.confidence ?? 100) < OCR_UNSURE;

function diagnosesCheck(form: string[] | null, found: Extraction["diagnosis_codes"], fileId: string | null): Check {
  const formText = form ? form.map((c) => (isWellFormedIcd10(c) ? icdDisplay(c) : c)).join(", ") : null;
  const formInvalid = !!form?.some((c) => !isWellFormedIcd10(c));
  if (formInvalid) return check("diagnosis_codes", "invalid", formText, found, fileId);
  const gap = missing(form?.length ? form : null, found);
  if (gap) return check("diagnosis_codes", gap, formText, found, fileId);
  const formKeys = new Set(form!.map(icdKey));
  // OCR's 0/O, 1/I/L, 5/S, 8/B (and the like) are undone only where that gives a code the form has.
  const order = found!.value.map((c) => ({ code: c, key: c.ocr ? repairIcd(c.value, formKeys) : icdKey(c.value) }));
  const unmatchedForm = new Set([...formKeys].filter((k) => !order.some((o) => o.key === k)));
  const unmatchedOrder = order.filter((o) => !formKeys.has(o.key));
  // An uncertain OCR reading one character off a form code the order otherwise lacks is that code.
  const leftOver = unmatchedOrder.filter((o) => {
    if (!unsure(o.code)) return true;
    const near = nearestIcd(o.code.value, unmatchedForm);
    if (near === null) return true;
    unmatchedForm.delete(near);
    return false;
  });
  if (leftOver.some((o) => !isWellFormedIcd10(o.key)))
    return check("diagnosis_codes", "invalid", formText, found, fileId);
  const same =
    leftOver.length === 0 && unmatchedForm.size === 0 && new Set(order.map((o) => o.key)).size === order.length;
  return check("diagnosis_codes", same ? "match" : "mismatch", formText, found, fileId);
}

function serviceCheck(form: string | null, found: Extraction["service"], fileId: string | null): Check {
  const gap = missing(form, found);
  if (gap) return check("service", gap, form, found, fileId);
  const wanted: Discipline | null = disciplineOf(form);
  const hit = wanted ? found!.value.find((d) => d.value === wanted) : undefined;
  if (hit) return { field: "service", verdict: "match", form, order: hit.text, source: source(fileId, hit) };
  return check("service", "mismatch", form, found, fileId);
}

/** One Check per field of the table, in CHECK_FIELDS order. `fileId`: the order's file (null: no order found). */
export function compareOrder(form: FormValues, order: Extraction | null, fileId: string | null): Check[] {
  const o = order ?? {};
  const out: Partial<Record<CheckField, Check>> = {};

  const name = (field: "client_name" | "physician_name", titles: boolean) => {
    const f = o[field];
    const gap = missing(form[field], f);
    out[field] = check(
      field,
      gap ?? (sameName(form[field]!, f!.text, { titles, ocr: f!.ocr }) ? "match" : "mismatch"),
      form[field],
      f,
      fileId,
    );
  };
  name("client_name", false);
  name("physician_name", true);

  for (const field of ["client_birthday", "start_date", "end_date"] as const) {
    const f = o[field];
    const gap = missing(form[field], f);
    out[field] = check(field, gap ?? (f!.value === form[field] ? "match" : "mismatch"), form[field], f, fileId);
  }

  {
    const f = o.physician_npi;
    const formNpi = form.physician_npi?.replace(/[\s-]/g, "") ?? null;
    let verdict: Verdict;
    if (formNpi && !isValidNpi(formNpi)) verdict = "invalid";
    else if (missing(formNpi, f)) verdict = missing(formNpi, f)!;
    else if (formNpi && unsure(f!) && npiDigits(f!.value) !== formNpi && distance(npiDigits(f!.value), formNpi) <= 1)
      verdict = "match";
    else if (!isValidNpi(npiDigits(f!.value))) verdict = "invalid";
    else verdict = npiDigits(f!.value) === formNpi ? "match" : "mismatch";
    out.physician_npi = check("physician_npi", verdict, form.physician_npi, f, fileId);
  }

  out.diagnosis_codes = diagnosesCheck(form.diagnosis_codes, o.diagnosis_codes, fileId);
  out.service = serviceCheck(form.service, o.service, fileId);

  {
    const f = o.frequency;
    const gap = missing(form.frequency, f);
    out.frequency = check("frequency", gap ?? frequencyVerdict(form.frequency!, f!.text), form.frequency, f, fileId);
  }

  return CHECK_FIELDS.map((k) => out[k]!);
}
