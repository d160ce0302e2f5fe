/**
 * A physician's order ("Physician Orders / Plan of Care") written as a text PDF from the facts it
 * states, recording where each checked value was printed: the demo data's orders (lib/demo/seed.ts)
 * and the reader's generated corpus (test/documents/corpus.ts) both use it. Deterministic for a
 * seed; nothing is written to disk. Needs pdfkit (a development dependency): the demo loads this
 * module only when it seeds.
 */
import PDFDocument from "pdfkit";
import type { Box, CheckField } from "../documents/types";

/** Where a checked value was printed: its page (from 1) and box in PDF points. */
export type Printed = { field: CheckField; page: number; box: Box };

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export type Rng = () => number;
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
export const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export function shuffled<T>(r: Rng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const digits = (r: Rng, n: number) => Array.from({ length: n }, () => int(r, 0, 9)).join("");

// ---------------------------------------------------------------------------------------------
// What an order states

export type Service = "PT" | "OT" | "SN" | "HHA" | "INF";
export const SERVICE_ORDER_LONG: Record<Service, string> = {
  PT: "Physical Therapy",
  OT: "Occupational Therapy",
  SN: "Skilled Nursing",
  HHA: "Home Health Aide",
  INF: "Infusion Nursing",
};
export const SERVICE_TASKS: Record<Service, string> = {
  PT: "evaluate and treat; therapeutic exercise, gait training, transfer training, home exercise program",
  OT: "evaluate and treat; ADL retraining, energy conservation, adaptive equipment assessment",
  SN: "assess cardiopulmonary status, medication management and teaching, diabetic foot care",
  HHA: "assist with bathing, grooming and personal care; light meal preparation",
  INF: "administer IV antibiotic via PICC line, line care and dressing change, lab draws as ordered",
};

export type Facts = {
  patient: { first: string; middle: string; last: string; dob: string; mrn: string; address: string; sex: "F" | "M" };
  physician: { first: string; last: string; title: string; npi: string; phone: string; address: string };
  other: { first: string; last: string };
  agency: { name: string; phone: string; fax: string; npi: string };
  diagnoses: Array<[string, string]>;
  service: Service;
  perWeek: number;
  weeks: number;
  soc: string;
  certEnd: string;
  orderDate: string;
  /** the frequency as the order writes it (default: one of the templates' ways for perWeek and weeks) */
  frequencyText?: string;
};

// ---------------------------------------------------------------------------------------------
// Writing dates and names as orders do

/** "May 7, 1998": the long form US orders print. */
const LONG_DATE = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });
export function usDate(isoDate: string, style: "slash" | "long" | "short-year" | "dash"): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const mm = String(m).padStart(2, "0");
  const dd = String(d).padStart(2, "0");
  if (style === "long") return LONG_DATE.format(new Date(Date.UTC(y, m - 1, d)));
  if (style === "short-year") return `${m}/${d}/${String(y).slice(2)}`;
  if (style === "dash") return `${mm}-${dd}-${y}`;
  return `${mm}/${dd}/${y}`;
}
/** EHRs often print names in capitals without accents. */
export const plain = (s: string) => s.normalize("NFD").replace(/\p{M}+/gu, "");

// ---------------------------------------------------------------------------------------------
// PDF writing with the truth recorded

export type Font = "Helvetica" | "Helvetica-Bold" | "Times-Roman" | "Times-Bold" | "Courier" | "Courier-Bold";

export class Sheet {
  readonly doc: PDFKit.PDFDocument;
  readonly truth: Printed[] = [];
  page = 1;
  private readonly done: Promise<Buffer>;

  constructor() {
    this.doc = new PDFDocument({
      size: "LETTER",
      margin: 0,
      info: { CreationDate: new Date(Date.UTC(2026, 0, 1)), Producer: "corpus" },
    });
    const chunks: Buffer[] = [];
    this.doc.on("data", (c: Buffer) => chunks.push(c));
    this.done = new Promise((resolve) => this.doc.on("end", () => resolve(Buffer.concat(chunks))));
  }

  /** Writes one line of text at (x, y) (top-left, points); returns its box, recorded as the truth for `field`. */
  text(s: string, x: number, y: number, o: { font?: Font; size?: number; field?: CheckField } = {}): Box {
    const size = o.size ?? 10;
    this.doc.font(o.font ?? "Helvetica").fontSize(size);
    this.doc.text(s, x, y, { lineBreak: false });
    const box: Box = [x, y, this.doc.widthOfString(s), size * 1.15];
    if (o.field) this.truth.push({ field: o.field, page: this.page, box });
    return box;
  }

  /** A paragraph wrapped to `width`; returns the y below it. */
  paragraph(s: string, x: number, y: number, width: number, o: { font?: Font; size?: number } = {}): number {
    this.doc.font(o.font ?? "Helvetica").fontSize(o.size ?? 9);
    this.doc.text(s, x, y, { width, lineGap: 2 });
    return this.doc.y + 4;
  }

  width(s: string, font: Font, size: number): number {
    return this.doc.font(font).fontSize(size).widthOfString(s);
  }

  rule(x: number, y: number, w: number) {
    this.doc
      .moveTo(x, y)
      .lineTo(x + w, y)
      .lineWidth(0.7)
      .stroke();
  }

  rect(x: number, y: number, w: number, h: number) {
    this.doc.rect(x, y, w, h).lineWidth(0.6).stroke();
  }

  addPage() {
    this.doc.addPage({ size: "LETTER", margin: 0 });
    this.page += 1;
  }

  record(field: CheckField, box: Box) {
    this.truth.push({ field, page: this.page, box });
  }

  end(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }
}

/** "label value" on one line: label in bold, the value after it; the value's box is the truth. */
export function labelled(
  s: Sheet,
  label: string,
  value: string,
  x: number,
  y: number,
  o: { field?: CheckField; font?: Font; bold?: Font; size?: number; gap?: number } = {},
): Box {
  const size = o.size ?? 10;
  const bold = o.bold ?? "Helvetica-Bold";
  s.text(label, x, y, { font: bold, size });
  const vx = x + s.width(label, bold, size) + (o.gap ?? 5);
  return s.text(value, vx, y, { font: o.font ?? "Helvetica", size, field: o.field });
}

export function diagnosisLines(
  s: Sheet,
  list: Array<[string, string]>,
  x: number,
  y: number,
  o: { numbered?: boolean; font?: Font; size?: number; codeWidth?: number; bottom?: number; onNewPage?: () => number },
): number {
  const size = o.size ?? 9.5;
  const font = o.font ?? "Helvetica";
  let boxes: Box[] = [];
  list.forEach(([code, description], i) => {
    if (o.bottom && y > o.bottom && o.onNewPage) {
      if (boxes.length) s.record("diagnosis_codes", unionOf(boxes));
      boxes = [];
      y = o.onNewPage();
    }
    let cx = x;
    if (o.numbered) {
      s.text(`${i + 1}.`, x, y, { font, size });
      cx = x + 16;
    }
    boxes.push(s.text(code, cx, y, { font, size }));
    const text = description.length > 70 ? `${description.slice(0, 67)}...` : description;
    s.text(text, cx + (o.codeWidth ?? 60), y, { font, size });
    y += size + 5;
  });
  if (boxes.length) s.record("diagnosis_codes", unionOf(boxes));
  return y;
}

export function unionOf(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}

export const physicianDisplay = (f: Facts, style: "dr" | "title" | "last-first") =>
  style === "dr"
    ? `Dr. ${f.physician.first} ${f.physician.last}`
    : style === "title"
      ? `${f.physician.first} ${f.physician.last}, ${f.physician.title}`
      : `${f.physician.last.toUpperCase()}, ${f.physician.first.toUpperCase()} ${f.physician.title}`;

// ---------------------------------------------------------------------------------------------
// The order

/** "Physician Orders / Plan of Care": labelled fields in two columns, an agency NPI in the header. */
export async function ordersTemplate(
  f: Facts,
  r: Rng,
  extraPages = 0,
): Promise<{ pdf: Buffer; truth: Sheet["truth"] }> {
  const s = new Sheet();
  const p = f.patient;
  const dateStyle = pick(r, ["slash", "slash", "dash"] as const);
  const header = (title: string) => {
    s.text(f.agency.name, 50, 36, { font: "Helvetica-Bold", size: 13 });
    s.text(`Phone ${f.agency.phone}   Fax ${f.agency.fax}`, 340, 36, { size: 8.5 });
    s.text(`Agency NPI: ${f.agency.npi}`, 340, 48, { size: 8.5 });
    s.text(title, 50, 70, { font: "Helvetica-Bold", size: 15 });
    s.rule(50, 92, 512);
  };
  header("PHYSICIAN ORDERS / PLAN OF CARE");
  labelled(s, "Order Date:", usDate(f.orderDate, dateStyle), 50, 100);
  labelled(s, "Order #:", digits(r, 6), 340, 100);
  s.text("PATIENT INFORMATION", 50, 124, { font: "Helvetica-Bold", size: 10.5 });
  const name = `${plain(p.last).toUpperCase()}, ${plain(p.first).toUpperCase()}${p.middle ? ` ${p.middle}` : ""}`;
  labelled(s, "Patient:", name, 50, 142, { field: "client_name" });
  labelled(s, "DOB:", usDate(p.dob, dateStyle), 340, 142, { field: "client_birthday" });
  labelled(s, "MRN:", p.mrn, 50, 158);
  labelled(s, "Sex:", p.sex, 340, 158);
  labelled(s, "Address:", p.address, 50, 174);
  s.text("PHYSICIAN", 50, 198, { font: "Helvetica-Bold", size: 10.5 });
  labelled(s, "Physician:", physicianDisplay(f, pick(r, ["title", "dr"] as const)), 50, 216, {
    field: "physician_name",
  });
  labelled(s, "NPI:", f.physician.npi, 340, 216, { field: "physician_npi" });
  labelled(s, "Phone:", f.physician.phone, 50, 232);
  labelled(s, "Address:", f.physician.address, 340, 232, { size: 8.5 });
  s.text("CERTIFICATION", 50, 256, { font: "Helvetica-Bold", size: 10.5 });
  labelled(s, "Start of Care:", usDate(f.soc, dateStyle), 50, 274, { field: "start_date" });
  const certLabel = "Certification Period:";
  s.text(certLabel, 300, 274, { font: "Helvetica-Bold" });
  const from = usDate(f.soc, dateStyle);
  let x = 300 + s.width(certLabel, "Helvetica-Bold", 10) + 5;
  s.text(from, x, 274);
  x += s.width(`${from} `, "Helvetica", 10);
  s.text("to", x, 274);
  x += s.width("to ", "Helvetica", 10);
  s.text(usDate(f.certEnd, dateStyle), x, 274, { field: "end_date" });
  s.text("DIAGNOSES (ICD-10)", 50, 298, { font: "Helvetica-Bold", size: 10.5 });
  let y = diagnosisLines(s, f.diagnoses, 50, 316, {
    numbered: true,
    bottom: 690,
    onNewPage: () => {
      s.addPage();
      header("PHYSICIAN ORDERS (continued)");
      labelled(s, "Patient:", name, 50, 100);
      labelled(s, "DOB:", usDate(p.dob, dateStyle), 340, 100);
      s.text("DIAGNOSES (continued)", 50, 124, { font: "Helvetica-Bold", size: 10.5 });
      return 142;
    },
  });
  if (y > 560) {
    s.addPage();
    header("PHYSICIAN ORDERS (continued)");
    y = 110;
  }
  s.text("ORDERS", 50, y + 8, { font: "Helvetica-Bold", size: 10.5 });
  labelled(s, "Discipline:", SERVICE_ORDER_LONG[f.service], 50, y + 26, { field: "service" });
  const freq = pick(r, [
    `${f.perWeek}x/week x ${f.weeks} weeks`,
    `${f.perWeek}x/wk x ${f.weeks} wks`,
    `${f.perWeek}w${f.weeks}`,
  ]);
  labelled(s, "Frequency:", f.frequencyText ?? freq, 50, y + 42, { field: "frequency" });
  y = s.paragraph(
    `${SERVICE_ORDER_LONG[f.service]} to ${SERVICE_TASKS[f.service]}. Notify physician of any change in condition.`,
    50,
    y + 60,
    512,
  );
  y = s.paragraph(
    `Goals: Patient will demonstrate independence with the home program and remain free of falls and hospital readmission through ${usDate(f.certEnd, "long")}.`,
    50,
    y,
    512,
  );
  for (let i = 0; i < extraPages; i++) {
    s.addPage();
    header(`PLAN OF CARE (continued) - page ${s.page}`);
    labelled(s, "Patient:", name, 50, 100);
    let py = 126;
    for (let k = 0; k < 7; k++)
      py = s.paragraph(CONTINUATION[(i + k) % CONTINUATION.length]!, 50, py, 512, { size: 9.5 }) + 6;
    y = py;
  }
  if (y > 700) {
    s.addPage();
    y = 60;
  }
  s.text("Physician Signature: ______________________________", 50, y + 14);
  s.text("Date: ____________", 380, y + 14);
  s.text(
    `Electronically signed by ${f.physician.first} ${f.physician.last}, ${f.physician.title} on ${usDate(f.orderDate, "slash")}`,
    50,
    y + 32,
    { size: 8 },
  );
  return { pdf: await s.end(), truth: s.truth };
}

const CONTINUATION = [
  "Skilled observation and assessment of vital signs, cardiopulmonary status, pain, skin integrity and nutrition and hydration status each visit. Report weight gain of more than 3 pounds in a day or 5 pounds in a week.",
  "Teach the patient and caregiver the medication regimen, including purpose, dose, schedule and side effects of each medication; assess compliance and reconcile medications each visit.",
  "Teach home safety and fall prevention: remove throw rugs, use night lights, use the assistive device at all times, and rise slowly from sitting or lying.",
  "Instruct in signs and symptoms of infection and when to call the agency or the physician; instruct in hand hygiene and proper disposal of sharps and dressings.",
  "Therapeutic exercise program to increase strength and range of motion of the lower extremities; progress as tolerated; instruct in the home exercise program and provide a written copy.",
  "Rehabilitation potential: good for the stated goals. Discharge plans: discharge to self care with caregiver support when goals are met.",
  "Nutritional requirements: 2 gram sodium, consistent carbohydrate diet. Activities permitted: up as tolerated with walker. Mental status: oriented, forgetful at times.",
  "Safety measures: fall precautions, bleeding precautions, clear pathways, emergency plan reviewed with the patient and caregiver. Functional limitations: endurance, ambulation.",
];
