/**
 * The order's values, each with the words (page and box) it was read from: the labelled values
 * (labels.ts finds the labels and their words; values.ts reads names, dates and the NPI), the
 * diagnoses (diagnoses.ts), the service and frequency (service-frequency.ts), all over the pages'
 * lines of words (lines.ts). Works the same on a text layer and on OCR.
 */
import type { Discipline } from "../form/discipline";
import { extractDiagnoses } from "./diagnoses";
import { pageLines, type Found } from "./lines";
import { extractFrequency, extractService } from "./service-frequency";
import type { PageText } from "./types";
import { extractBirthday, extractDates, extractName, extractNpi, extractPhysician } from "./values";

export type { Found } from "./lines";
// What order.ts and the tests use, from where they expect it.
export { codeOf, isDiagnosisHeader } from "./diagnoses";
export { labelsOn } from "./labels";
export { pageLines, straighten } from "./lines";

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
