/**
 * Which of a referral's files is the physician's order: the one that states a patient and a
 * physician, scored by what an order carries (an NPI, diagnosis codes, orders, a certification
 * period). Fax cover sheets in front of it are recognised and left out of its pages.
 */
import { codeOf, isDiagnosisHeader, labelsOn, pageLines } from "./extract";
import type { DocumentReading, PageText } from "./types";

export type ReadFile = { file_id: string; reading: DocumentReading };
export type OrderPick = { file_id: string; pages: PageText[]; coverPages: number[] };

type PageSignals = {
  patient: boolean;
  physician: boolean;
  npi: boolean;
  codes: number;
  orders: boolean;
  cover: boolean;
};

const COVER_WORDS = /\b(fax|facsimile)\b/i;
const COVER_DETAIL = /\b(cover|pages?\s*(\(|including|incl)|confidential|transmittal|number of pages)\b/i;
const ORDER_WORDS = /\b(orders?|plan of care|certification|start of care|frequency|discipline)\b/i;

export function pageSignals(page: PageText): PageSignals {
  const labels = labelsOn(page);
  const lines = pageLines([page]);
  const text = page.lines.map((l) => l.text).join("\n");
  let codes = 0;
  let inDiagnoses = false;
  for (const line of lines) {
    if (isDiagnosisHeader(line)) inDiagnoses = true;
    else if (inDiagnoses && codeOf(line)) codes++;
  }
  const signals = {
    patient: labels.has("client_name") || labels.has("client_birthday"),
    physician: labels.has("physician_name") || labels.has("physician_npi"),
    npi: labels.has("physician_npi"),
    codes,
    orders: ORDER_WORDS.test(text),
    cover: false,
  };
  // A cover sheet says fax and pages or confidentiality, and carries none of an order's detail.
  signals.cover =
    COVER_WORDS.test(text) && COVER_DETAIL.test(text) && !signals.npi && codes === 0 && !labels.has("client_birthday");
  return signals;
}

/**
 * The order among the files, with its pages (cover sheets left out); null when no file states
 * both a patient and a physician. Ties go to the earlier file.
 */
export function pickOrder(files: readonly ReadFile[]): OrderPick | null {
  let best: { pick: OrderPick; score: number } | null = null;
  for (const f of files) {
    if (f.reading.state !== "read") continue;
    const signals = f.reading.pages.map((p) => ({ page: p, s: pageSignals(p) }));
    const kept = signals.filter((x) => !x.s.cover);
    if (!kept.length) continue;
    const any = (k: keyof PageSignals) => kept.some((x) => !!x.s[k]);
    if (!any("patient") || !any("physician")) continue;
    const codes = Math.max(...kept.map((x) => x.s.codes));
    const score = 2 + (any("npi") ? 2 : 0) + (codes > 0 ? 2 : 0) + (any("orders") ? 1 : 0);
    if (!best || score > best.score) {
      best = {
        score,
        pick: {
          file_id: f.file_id,
          pages: kept.map((x) => x.page),
          coverPages: signals.filter((x) => x.s.cover).map((x) => x.page.page),
        },
      };
    }
  }
  return best?.pick ?? null;
}
