/**
 * A generated corpus of home-health orders and the referral forms that come with them, for
 * measuring the document reader (lib/documents/) without real PHI. Deterministic for a seed;
 * everything is built in memory, nothing is written to the repository.
 *
 * Each case is one referral: its files (the order as a text PDF, a scan embedded in a PDF, a
 * PNG or JPEG scan, or a fax whose first page is a cover sheet; sometimes with a medication
 * profile before it), the submission payload the webhook would have stored, the verdict each
 * field should get, and where on its page each value was printed (`truth`, in PDF points).
 * Mismatches are planted on the form's side, as they happen: a form typed wrong.
 */
import { createCanvas, type Canvas } from "@napi-rs/canvas";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import {
  digits,
  diagnosisLines,
  int,
  labelled,
  ordersTemplate,
  pick,
  plain,
  rng,
  SERVICE_ORDER_LONG,
  SERVICE_TASKS,
  Sheet,
  shuffled,
  usDate,
  type Facts,
  type Font,
  type Printed,
  type Rng,
  type Service,
} from "../../lib/demo/order-pdf";
import { npiCheckDigit } from "../../lib/documents/npi";
import { CHECK_FIELDS, type CheckField, type Verdict } from "../../lib/documents/types";
import { CSI_REFERRAL_FORM_SCHEMA_ID } from "../../lib/form/mapping";

export { rng, type Facts, type Rng } from "../../lib/demo/order-pdf";

export const KINDS = ["text-pdf", "image-pdf", "png", "jpeg", "fax-cover"] as const;
export type Kind = (typeof KINDS)[number];

/** Letter, in PDF points. */
export const PAGE_WIDTH = 612;
export const PAGE_HEIGHT = 792;

export type CorpusFile = { file_id: string; name: string; contentType: string; bytes: Buffer; isOrder: boolean };

/** Where a field's value was printed: its file, page (from 1) and box in PDF points. */
export type Truth = Printed & { file_id: string };

export type CorpusCase = {
  id: string;
  kind: Kind;
  template: "orders" | "485" | "letter";
  files: CorpusFile[];
  /** The submission payload as stored (files replaced by their digests). */
  payload: Record<string, unknown>;
  expected: Record<CheckField, Exclude<Verdict, "not_found">>;
  planted: CheckField[];
  truth: Truth[];
  /** Rotation of each scanned page, in degrees, by file id and page (0 for text PDFs). */
  rotation: Record<string, number[]>;
  /** The order's page in its file where the order starts (2 behind a fax cover sheet). */
  orderPage: number;
  diagnoses: number;
};

// ---------------------------------------------------------------------------------------------
// Facts

/** The agencies that send the orders. */
const AGENCIES = [
  "Gem City Home Care",
  "Miami Valley Home Health",
  "Buckeye Visiting Nurses",
  "Riverbend Home Health Services",
];

/** Patients' and physicians' names. */
const FIRST = [
  "Jane",
  "José",
  "Zoë",
  "Renée",
  "Mary-Ann",
  "William",
  "Amy",
  "Kwame",
  "Dolores",
  "Luis",
  "Margaret",
  "Chen",
  "Fatima",
  "Robert",
  "Inés",
  "Harold",
];
const LAST = [
  "Smithers",
  "García",
  "O'Connor",
  "Johnson",
  "Okafor",
  "Schmidt",
  "Kowalski",
  "Lefèvre",
  "Washington",
  "Ramírez",
  "Brown",
  "Nakamura",
  "Peña",
  "Whitfield",
  "Abernathy",
  "Dubois",
];
const MIDDLE = ["M", "A", "L", "R", "", "", ""];
const DOC_FIRST = [
  "Jeremy",
  "Priya",
  "Alan",
  "Grace",
  "Samuel",
  "Elena",
  "Marcus",
  "Hannah",
  "Victor",
  "Naomi",
  "Omar",
  "Claire",
];
const DOC_LAST = [
  "Smith",
  "Patel",
  "Reyes",
  "Fischer",
  "Goldberg",
  "Ivanova",
  "Thornton",
  "Adeyemi",
  "Castillo",
  "Whitaker",
  "Lindqvist",
  "Moreau",
];
const TITLES = ["MD", "DO", "NP", "MD", "MD"];

/** Real ICD-10-CM codes home health sees, with their descriptions. */
export const DIAGNOSES: ReadonlyArray<[string, string]> = [
  ["I50.9", "Heart failure, unspecified"],
  ["J44.1", "Chronic obstructive pulmonary disease with (acute) exacerbation"],
  ["E11.9", "Type 2 diabetes mellitus without complications"],
  ["E11.65", "Type 2 diabetes mellitus with hyperglycemia"],
  ["M17.11", "Unilateral primary osteoarthritis, right knee"],
  ["L89.154", "Pressure ulcer of sacral region, stage 4"],
  ["I10", "Essential (primary) hypertension"],
  ["Z96.651", "Presence of right artificial knee joint"],
  ["Z47.1", "Aftercare following joint replacement surgery"],
  ["S72.001A", "Fracture of unspecified part of neck of right femur, initial encounter"],
  ["I48.91", "Unspecified atrial fibrillation"],
  ["N39.0", "Urinary tract infection, site not specified"],
  ["J18.9", "Pneumonia, unspecified organism"],
  ["A41.9", "Sepsis, unspecified organism"],
  ["Z79.4", "Long term (current) use of insulin"],
  ["R26.81", "Unsteadiness on feet"],
  ["Z91.81", "History of falling"],
  ["M62.81", "Muscle weakness (generalized)"],
  ["I69.351", "Hemiplegia and hemiparesis following cerebral infarction affecting right dominant side"],
  ["G30.9", "Alzheimer's disease, unspecified"],
  ["E78.5", "Hyperlipidemia, unspecified"],
  ["K21.9", "Gastro-esophageal reflux disease without esophagitis"],
  ["L97.419", "Non-pressure chronic ulcer of right heel and midfoot with unspecified severity"],
  ["B95.62", "Methicillin resistant Staphylococcus aureus infection as the cause of diseases classified elsewhere"],
  ["T84.50XA", "Infection and inflammatory reaction due to unspecified joint prosthesis, initial encounter"],
  ["Z45.2", "Encounter for adjustment and management of vascular access device"],
  ["C50.911", "Malignant neoplasm of unspecified site of right female breast"],
  ["E66.01", "Morbid (severe) obesity due to excess calories"],
  ["I25.10", "Atherosclerotic heart disease of native coronary artery without angina pectoris"],
  ["N18.30", "Chronic kidney disease, stage 3 unspecified"],
  ["Z99.81", "Dependence on supplemental oxygen"],
  ["R53.1", "Weakness"],
  ["M19.90", "Unspecified osteoarthritis, unspecified site"],
  ["D64.9", "Anemia, unspecified"],
  ["E87.1", "Hypo-osmolality and hyponatremia"],
  ["I87.2", "Venous insufficiency (chronic) (peripheral)"],
  ["L03.115", "Cellulitis of right lower limb"],
  ["Z48.01", "Encounter for change or removal of surgical wound dressing"],
  ["Z51.81", "Encounter for therapeutic drug level monitoring"],
  ["Z79.2", "Long term (current) use of antibiotics"],
];

/** How the form's list names each service (lib/demo/seed.ts's options) and how orders write it. */
const SERVICE_FORM: Record<Service, string> = {
  PT: "PT",
  OT: "OT",
  SN: "Skilled Nursing",
  HHA: "Home Health Aide",
  INF: "Infusion Nursing",
};
const SERVICE_ORDER_SHORT: Record<Service, string> = { PT: "PT", OT: "OT", SN: "SN", HHA: "HHA", INF: "SN (infusion)" };
/** Visits per week and how the form and the three templates write them. */
const PER_WEEK = [1, 2, 3, 5] as const;
const FORM_FREQUENCY: Record<number, string[]> = {
  1: ["Once a week", "1x/week", "Weekly"],
  2: ["Twice a week", "2x/week", "2 times per week"],
  3: ["Three times a week", "3x/week", "3 times a week"],
  5: ["Five times a week", "5x/week", "5 times per week"],
};
const NUMBER_WORD: Record<number, string> = { 1: "one", 2: "two", 3: "three", 5: "five" };

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (isoDate: string, n: number) => iso(new Date(Date.parse(`${isoDate}T00:00:00Z`) + n * 86_400_000));
export function validNpi(r: Rng): string {
  const nine = `${pick(r, ["1", "2"])}${digits(r, 8)}`;
  return `${nine}${npiCheckDigit(nine)}`;
}

export function makeFacts(r: Rng, diagnoses: number): Facts {
  const soc = addDays("2026-04-01", int(r, 0, 90));
  const first = pick(r, FIRST);
  const docFirst = pick(r, DOC_FIRST);
  const docLast = pick(r, DOC_LAST);
  let otherFirst = pick(r, DOC_FIRST);
  while (otherFirst === docFirst) otherFirst = pick(r, DOC_FIRST);
  return {
    patient: {
      first,
      middle: pick(r, MIDDLE),
      last: pick(r, LAST),
      dob: addDays("1930-01-01", int(r, 0, 365 * 75)),
      mrn: digits(r, 7),
      address: `${int(r, 100, 9899)} ${pick(r, ["Lyons Road", "Far Hills Ave", "Wilmington Pike", "Brown Street", "Shroyer Road"])}, ${pick(r, ["Dayton", "Kettering", "Centerville", "Xenia"])}, OH ${int(r, 45401, 45499)}`,
      sex: pick(r, ["F", "M"] as const),
    },
    physician: {
      first: docFirst,
      last: docLast,
      title: pick(r, TITLES),
      npi: validNpi(r),
      phone: `(937) 555-${digits(r, 4)}`,
      address: `${int(r, 100, 4999)} ${pick(r, ["Main Street", "Medical Center Dr", "Patterson Blvd", "Wayne Ave"])}, Dayton, OH`,
    },
    other: {
      first: otherFirst,
      last: pick(
        r,
        DOC_LAST.filter((l) => l !== docLast),
      ),
    },
    agency: {
      name: pick(r, AGENCIES),
      phone: `(937) 555-${digits(r, 4)}`,
      fax: `(937) 555-${digits(r, 4)}`,
      npi: validNpi(r),
    },
    diagnoses: shuffled(r, DIAGNOSES).slice(0, diagnoses) as Array<[string, string]>,
    service: pick(r, ["PT", "OT", "SN", "HHA", "INF"] as const),
    perWeek: pick(r, PER_WEEK),
    weeks: pick(r, [3, 4, 6, 8, 9]),
    soc,
    certEnd: addDays(soc, 59),
    orderDate: addDays(soc, -int(r, 1, 5)),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing dates and names as orders do

// ---------------------------------------------------------------------------------------------
// PDF writing with the truth recorded

// ---------------------------------------------------------------------------------------------
// Templates

/** CMS-485-like "Home Health Certification and Plan of Care": numbered boxes, labels above values. */
async function form485(f: Facts, r: Rng): Promise<{ pdf: Buffer; truth: Sheet["truth"] }> {
  const s = new Sheet();
  const p = f.patient;
  const label = (t: string, x: number, y: number) => s.text(t, x + 3, y + 3, { size: 7 });
  const value = (t: string, x: number, y: number, field?: CheckField, font: Font = "Courier") =>
    s.text(t, x + 4, y + 14, { font, size: 9.5, field });
  s.text("Department of Health and Human Services - Centers for Medicare & Medicaid Services", 40, 24, { size: 7 });
  s.text("HOME HEALTH CERTIFICATION AND PLAN OF CARE", 150, 36, { font: "Helvetica-Bold", size: 12 });
  // Row 1
  const y1 = 54;
  const cols1 = [40, 140, 230, 440, 510, 572];
  for (let i = 0; i < 5; i++) s.rect(cols1[i]!, y1, cols1[i + 1]! - cols1[i]!, 34);
  label("1. Patient's HI Claim No.", 40, y1);
  value(`${digits(r, 1)}EG4${digits(r, 1)}TE${digits(r, 1)}MK${digits(r, 2)}`, 40, y1);
  label("2. Start Of Care Date", 140, y1);
  value(usDate(f.soc, "slash"), 140, y1, "start_date");
  label("3. Certification Period", 230, y1);
  const fromText = `From: ${usDate(f.soc, "slash")}  To: `;
  value(fromText, 230, y1);
  s.text(usDate(f.certEnd, "slash"), 230 + 4 + s.width(fromText, "Courier", 9.5), y1 + 14, {
    font: "Courier",
    size: 9.5,
    field: "end_date",
  });
  label("4. Medical Record No.", 440, y1);
  value(p.mrn, 440, y1);
  label("5. Provider No.", 510, y1);
  value(digits(r, 6), 510, y1);
  // Row 2
  const y2 = 88;
  s.rect(40, y2, 266, 62);
  s.rect(306, y2, 266, 62);
  label("6. Patient's Name and Address", 40, y2);
  value(
    `${plain(p.last).toUpperCase()}, ${plain(p.first).toUpperCase()}${p.middle ? ` ${p.middle}` : ""}`,
    40,
    y2,
    "client_name",
  );
  s.text(plain(p.address).toUpperCase().slice(0, 42), 44, y2 + 27, { font: "Courier", size: 9 });
  label("7. Provider's Name, Address and Telephone Number", 306, y2);
  value(f.agency.name.toUpperCase(), 306, y2);
  s.text(`PHONE ${f.agency.phone}  FAX ${f.agency.fax}`, 310, y2 + 27, { font: "Courier", size: 9 });
  // Row 3
  const y3 = 150;
  s.rect(40, y3, 130, 34);
  s.rect(170, y3, 60, 34);
  s.rect(230, y3, 342, 34);
  label("8. Date of Birth", 40, y3);
  value(usDate(p.dob, "slash"), 40, y3, "client_birthday");
  label("9. Sex", 170, y3);
  value(p.sex, 170, y3);
  label("10. Medications: Dose/Frequency/Route (N)ew (C)hanged", 230, y3);
  value(
    pick(r, ["METFORMIN 500 MG PO BID", "LISINOPRIL 10 MG PO DAILY", "FUROSEMIDE 40 MG PO QD", "WARFARIN 5 MG PO QPM"]),
    230,
    y3,
  );
  // Row 4: diagnoses
  const y4 = 184;
  label("11. ICD-10-CM    Principal Diagnosis", 40, y4);
  const [principal, ...others] = f.diagnoses;
  let y = diagnosisLines(s, [principal!], 44, y4 + 14, { font: "Courier", size: 9, codeWidth: 70 });
  s.rect(40, y4, 532, y - y4 + 2);
  const y5 = y + 2;
  label("13. ICD-10-CM    Other Pertinent Diagnoses", 40, y5);
  y = diagnosisLines(s, others, 44, y5 + 14, {
    font: "Courier",
    size: 9,
    codeWidth: 70,
    bottom: 700,
    onNewPage: () => {
      s.addPage();
      s.text("ADDENDUM TO: PLAN OF TREATMENT", 40, 36, { font: "Helvetica-Bold", size: 11 });
      s.text(`Patient: ${plain(p.last).toUpperCase()}, ${plain(p.first).toUpperCase()}`, 40, 54, {
        font: "Courier",
        size: 9,
      });
      s.text("13. Other Pertinent Diagnoses (continued)", 40, 72, { size: 7 });
      return 86;
    },
  });
  s.rect(40, y5, 532, y - y5 + 2);
  if (y > 560) {
    s.addPage();
    s.text("ADDENDUM TO: PLAN OF TREATMENT", 40, 36, { font: "Helvetica-Bold", size: 11 });
    y = 60;
  }
  // Row 5: orders
  const y6 = y + 2;
  label("21. Orders for Discipline and Treatments (Specify Amount/Frequency/Duration)", 40, y6);
  const serviceWord = SERVICE_ORDER_SHORT[f.service];
  const freq = pick(r, [`${f.perWeek}W${f.weeks}`, `${f.perWeek}X/WK X ${f.weeks} WKS`]);
  const line = `${serviceWord} ${freq}`;
  const lineBox = s.text(line, 44, y6 + 14, { font: "Courier", size: 9.5 });
  s.record("service", [lineBox[0], lineBox[1], s.width(serviceWord, "Courier", 9.5), lineBox[3]]);
  const fx = lineBox[0] + s.width(`${serviceWord} `, "Courier", 9.5);
  s.record("frequency", [fx, lineBox[1], s.width(freq, "Courier", 9.5), lineBox[3]]);
  y = s.paragraph(`${SERVICE_TASKS[f.service].toUpperCase()}.`, 44, y6 + 28, 520, { font: "Courier", size: 9 });
  s.rect(40, y6, 532, y - y6 + 4);
  // Row 6: physician
  const y7 = y + 4;
  s.rect(40, y7, 266, 64);
  s.rect(306, y7, 266, 64);
  label("24. Physician's Name and Address", 40, y7);
  value(
    `${f.physician.first.toUpperCase()} ${f.physician.last.toUpperCase()}, ${f.physician.title}`,
    40,
    y7,
    "physician_name",
  );
  labelled(s, "NPI:", f.physician.npi, 44, y7 + 27, {
    field: "physician_npi",
    font: "Courier",
    bold: "Courier",
    size: 9.5,
  });
  s.text(f.physician.address.toUpperCase().slice(0, 40), 44, y7 + 40, { font: "Courier", size: 9 });
  label("26. I certify that this patient is confined to his/her home and needs", 306, y7);
  s.text("intermittent skilled nursing care, physical therapy and/or speech", 309, y7 + 12, { size: 6.5 });
  s.text("therapy, or continues to need occupational therapy.", 309, y7 + 21, { size: 6.5 });
  const y8 = y7 + 64;
  s.rect(40, y8, 532, 30);
  label("27. Attending Physician's Signature and Date Signed", 40, y8);
  s.text("Form CMS-485 (C-3) (02-94)", 40, y8 + 40, { size: 6.5 });
  return { pdf: await s.end(), truth: s.truth };
}

/** A physician's referral letter: Times, sentences, a diagnosis table, dates written out. */
async function letter(f: Facts, r: Rng): Promise<{ pdf: Buffer; truth: Sheet["truth"] }> {
  const s = new Sheet();
  const p = f.patient;
  const T: Font = "Times-Roman";
  const B: Font = "Times-Bold";
  s.text(`${f.physician.first} ${f.physician.last}, ${f.physician.title}`, 50, 40, { font: B, size: 13 });
  s.text(`${f.physician.address}  -  Phone ${f.physician.phone}`, 50, 57, { font: T, size: 9 });
  s.text("HOME HEALTH REFERRAL ORDER", 50, 86, { font: B, size: 15 });
  labelled(s, "Date:", usDate(f.orderDate, "long"), 400, 90, { font: T, bold: B, size: 10.5 });
  labelled(s, "To:", `${f.agency.name}, Intake`, 50, 112, { font: T, bold: B, size: 10.5 });
  labelled(s, "Fax:", f.agency.fax, 400, 112, { font: T, bold: B, size: 10.5 });
  s.rule(50, 130, 512);
  const name = pick(r, [`${p.first}${p.middle ? ` ${p.middle}.` : ""} ${p.last}`, `${p.first} ${p.last}`]);
  labelled(s, "Patient Name:", name, 50, 142, { field: "client_name", font: T, bold: B, size: 11 });
  labelled(s, "Date of Birth:", usDate(p.dob, pick(r, ["long", "slash"] as const)), 340, 142, {
    field: "client_birthday",
    font: T,
    bold: B,
    size: 11,
  });
  labelled(
    s,
    "Ordering Physician:",
    pick(r, [
      `Dr. ${f.physician.first} ${f.physician.last}`,
      `${f.physician.first} ${f.physician.last}, ${f.physician.title}`,
    ]),
    50,
    162,
    {
      field: "physician_name",
      font: T,
      bold: B,
      size: 11,
    },
  );
  labelled(s, "NPI #", f.physician.npi, 340, 162, { field: "physician_npi", font: T, bold: B, size: 11 });
  s.text("Please provide the following home health services:", 50, 190, { font: T, size: 11 });
  labelled(s, "Orders for:", SERVICE_ORDER_LONG[f.service], 50, 210, { field: "service", font: T, bold: B, size: 11 });
  labelled(
    s,
    "Frequency:",
    `${NUMBER_WORD[f.perWeek]} (${f.perWeek}) visit${f.perWeek > 1 ? "s" : ""} per week for ${f.weeks} weeks`,
    50,
    228,
    {
      field: "frequency",
      font: T,
      bold: B,
      size: 11,
    },
  );
  labelled(s, "Start of Care:", usDate(f.soc, "long"), 50, 246, { field: "start_date", font: T, bold: B, size: 11 });
  const certLabel = "Certification Period:";
  s.text(certLabel, 300, 246, { font: B, size: 11 });
  const from = usDate(f.soc, "slash");
  const cx = 300 + s.width(certLabel, B, 11) + 5;
  s.text(`${from} through`, cx, 246, { font: T, size: 11 });
  s.text(usDate(f.certEnd, "slash"), cx + s.width(`${from} through `, T, 11), 246, {
    font: T,
    size: 11,
    field: "end_date",
  });
  s.text("Diagnosis Codes (ICD-10):", 50, 274, { font: B, size: 11 });
  s.text("Code", 60, 292, { font: B, size: 10 });
  s.text("Description", 140, 292, { font: B, size: 10 });
  let y = diagnosisLines(s, f.diagnoses, 60, 308, {
    font: T,
    size: 10,
    codeWidth: 80,
    bottom: 700,
    onNewPage: () => {
      s.addPage();
      s.text(`Referral order for ${p.first} ${p.last} (continued)`, 50, 40, { font: B, size: 11 });
      s.text("Diagnosis Codes (continued):", 50, 62, { font: B, size: 11 });
      return 82;
    },
  });
  if (y > 600) {
    s.addPage();
    y = 60;
  }
  y = s.paragraph(
    `${SERVICE_ORDER_LONG[f.service]}: ${SERVICE_TASKS[f.service]}. I certify that this patient is under my care, is confined to the home, and that the services above are medically necessary. Please call my office with any questions.`,
    50,
    y + 14,
    512,
    { font: T, size: 10.5 },
  );
  s.text("Physician Signature: ______________________________", 50, y + 24, { font: T, size: 11 });
  s.text("Date: ____________", 380, y + 24, { font: T, size: 11 });
  return { pdf: await s.end(), truth: s.truth };
}

async function faxCover(f: Facts, pages: number): Promise<Buffer> {
  const s = new Sheet();
  s.text("FAX", 50, 50, { font: "Helvetica-Bold", size: 40 });
  s.text(`${f.physician.last} Family Medicine`, 50, 100, { font: "Helvetica-Bold", size: 13 });
  s.rule(50, 122, 512);
  const rows: Array<[string, string]> = [
    ["Date:", usDate(f.orderDate, "slash")],
    ["To:", `${f.agency.name} - Intake`],
    ["Fax:", f.agency.fax],
    ["From:", `Office of ${f.physician.first} ${f.physician.last}`],
    ["Phone:", f.physician.phone],
    ["Pages (including cover):", String(pages)],
    ["Re:", "Home health orders - please see attached"],
  ];
  rows.forEach(([l, v], i) => labelled(s, l, v, 50, 140 + i * 24, { size: 12 }));
  s.paragraph(
    "CONFIDENTIALITY NOTICE: This facsimile contains confidential health information that is protected by law. It is intended only for the use of the addressee named above. If you have received this fax in error, please notify the sender immediately by telephone and destroy the documents.",
    50,
    330,
    512,
    { size: 10 },
  );
  return s.end();
}

/** A medication profile: names the patient and a prescriber, but is not an order (no NPI, no diagnoses, no orders). */
async function medicationProfile(f: Facts, r: Rng): Promise<Buffer> {
  const s = new Sheet();
  s.text(f.agency.name, 50, 36, { font: "Helvetica-Bold", size: 13 });
  s.text("MEDICATION PROFILE", 50, 64, { font: "Helvetica-Bold", size: 15 });
  labelled(s, "Patient:", `${f.patient.first} ${f.patient.last}`, 50, 92);
  labelled(s, "DOB:", usDate(f.patient.dob, "slash"), 340, 92);
  labelled(s, "Prescriber:", `Dr. ${f.other.first} ${f.other.last}`, 50, 108);
  labelled(s, "Allergies:", pick(r, ["NKDA", "Penicillin", "Sulfa drugs"]), 340, 108);
  const meds = [
    "Metformin 500 mg PO twice daily",
    "Lisinopril 10 mg PO daily",
    "Atorvastatin 20 mg PO at bedtime",
    "Furosemide 40 mg PO every morning",
    "Aspirin 81 mg PO daily",
  ];
  meds.forEach((m, i) => s.text(`${i + 1}. ${m}`, 50, 140 + i * 16));
  s.text("Reviewed with patient and caregiver.", 50, 240);
  return s.end();
}

// ---------------------------------------------------------------------------------------------
// Scanning: draw, rotate, add noise

/** Draw each page of a PDF at `dpi` onto canvases. */
export async function drawPdf(pdf: Buffer, dpi: number): Promise<Canvas[]> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    verbosity: 0,
    standardFontDataUrl: `${standardFonts()}/`,
  }).promise;
  const out: Canvas[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({
        canvas: canvas as unknown as HTMLCanvasElement,
        canvasContext: context as unknown as CanvasRenderingContext2D,
        viewport,
      }).promise;
      out.push(canvas);
    }
  } finally {
    await doc.destroy();
  }
  return out;
}

function standardFonts(): string {
  return new URL("../../node_modules/pdfjs-dist/standard_fonts", import.meta.url).pathname;
}

export type ScanStyle = { degrees: number; noise: number; speckles: number; dropout: number; fax: boolean };

/** A page as a scanner or fax machine gives it: turned slightly, grey and noisy, specks, broken strokes; fax is black and white. */
export function degrade(page: Canvas, r: Rng, style: ScanStyle): Canvas {
  const { width, height } = page;
  const out = createCanvas(width, height);
  const context = out.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.translate(width / 2, height / 2);
  context.rotate((style.degrees * Math.PI) / 180);
  context.drawImage(page, -width / 2, -height / 2);
  context.setTransform(1, 0, 0, 1, 0, 0);
  const image = context.getImageData(0, 0, width, height);
  const d = image.data;
  const paper = style.fax ? 255 : 236 + Math.floor(r() * 14);
  for (let i = 0; i < d.length; i += 4) {
    let g = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    g = (g / 255) * paper;
    if (g < 140 && r() < style.dropout) g = 255;
    g += (r() - 0.5) * style.noise;
    if (r() < style.speckles) g = r() * 60;
    if (style.fax) g = g < 150 ? 0 : 255;
    const v = Math.max(0, Math.min(255, Math.round(g)));
    d[i] = v;
    d[i + 1] = v;
    d[i + 2] = v;
    d[i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return out;
}

/**
 * A PDF of full-page images (what a scanner or a fax server sends). A fax server stamps its line
 * of text over each page ("05/01/2026 10:22 FROM … P. 2/3"): a text layer of a few dozen
 * characters on a page that is a scan.
 */
async function imagePdf(images: Buffer[], stamp?: (page: number, pages: number) => string): Promise<Buffer> {
  const s = new Sheet();
  images.forEach((img, i) => {
    if (i > 0) s.addPage();
    s.doc.image(img, 0, 0, { width: PAGE_WIDTH, height: PAGE_HEIGHT });
    if (stamp) s.text(stamp(i + 1, images.length), 20, 8, { font: "Courier", size: 7 });
  });
  return s.end();
}

// ---------------------------------------------------------------------------------------------
// The form (submission payload) and planted mismatches

/** Every checked field can be planted. */
const PLANTABLE: readonly CheckField[] = CHECK_FIELDS;

type FormSide = {
  first: string;
  last: string;
  birthday: string;
  physicianFirst: string;
  physicianLast: string;
  npi: string;
  diagnoses: Array<[string, string]>;
  service: string;
  frequency: string;
  start: string;
  end: string;
};

/** The form as the agency filled it in, agreeing with the order (each value written the form's way). */
function agreeingForm(f: Facts, r: Rng): FormSide {
  return {
    first: f.patient.first,
    last: f.patient.last,
    birthday: f.patient.dob,
    physicianFirst: f.physician.first,
    physicianLast: f.physician.last,
    npi: f.physician.npi,
    diagnoses: shuffled(r, f.diagnoses),
    service: SERVICE_FORM[f.service],
    frequency: pick(r, FORM_FREQUENCY[f.perWeek]!),
    start: f.soc,
    end: f.certEnd,
  };
}

/** Changes one field of the form so it disagrees with the order; "invalid" when the change is a malformed NPI or code. */
function plant(field: CheckField, form: FormSide, f: Facts, r: Rng): "mismatch" | "invalid" {
  switch (field) {
    case "client_name":
      if (r() < 0.5)
        form.last = pick(
          r,
          LAST.filter((l) => l !== f.patient.last),
        );
      else
        form.first = pick(
          r,
          FIRST.filter((x) => x !== f.patient.first && plain(x) !== plain(f.patient.first)),
        );
      return "mismatch";
    case "client_birthday":
      form.birthday = pick(
        r,
        [addDays(f.patient.dob, 1), addDays(f.patient.dob, -365), swapMonthDay(f.patient.dob)].filter(
          (d) => d !== f.patient.dob,
        ),
      );
      return "mismatch";
    case "physician_name":
      form.physicianLast = pick(
        r,
        DOC_LAST.filter((l) => l !== f.physician.last),
      );
      return "mismatch";
    case "physician_npi":
      if (r() < 0.3) {
        // A typo: the check digit fails.
        const nine = f.physician.npi.slice(0, 9);
        form.npi = `${nine}${(npiCheckDigit(nine) + int(r, 1, 9)) % 10}`;
        return "invalid";
      }
      form.npi = validNpi(r);
      return "mismatch";
    case "diagnosis_codes": {
      const unused = DIAGNOSES.filter(([c]) => !f.diagnoses.some(([d]) => d === c));
      const roll = r();
      if (roll < 0.15) {
        form.diagnoses = [...form.diagnoses.slice(1), ["E11.987", "Malformed code typed into the form"]];
        return "invalid";
      }
      if (roll < 0.5 && form.diagnoses.length > 1) form.diagnoses = form.diagnoses.slice(1);
      else if (roll < 0.75) form.diagnoses = [...form.diagnoses, pick(r, unused)];
      else form.diagnoses = [pick(r, unused), ...form.diagnoses.slice(1)];
      return "mismatch";
    }
    case "service":
      form.service =
        SERVICE_FORM[
          pick(
            r,
            (["PT", "OT", "SN", "HHA", "INF"] as const).filter(
              (s) => s !== f.service && !(f.service === "INF" && s === "SN"),
            ),
          )
        ];
      return "mismatch";
    case "frequency":
      form.frequency = pick(
        r,
        FORM_FREQUENCY[
          pick(
            r,
            PER_WEEK.filter((n) => n !== f.perWeek),
          )
        ]!,
      );
      return "mismatch";
    case "start_date":
      form.start = addDays(f.soc, pick(r, [-7, -1, 1, 3, 14]));
      return "mismatch";
    case "end_date":
      form.end = addDays(f.certEnd, pick(r, [-30, -1, 1, 30]));
      return "mismatch";
  }
}

function swapMonthDay(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : addDays(isoDate, 2);
}

/** The submission payload (as stored: files by digest), shaped like reference/new_referral_request_payload.json. */
function payloadOf(form: FormSide, files: CorpusFile[], r: Rng): Record<string, unknown> {
  let id = 300;
  const field = (field_label: string, field_type: string, field_value: unknown, type: string | null = null) => ({
    type,
    field_id: id++,
    field_type,
    field_label,
    field_value,
  });
  return {
    request_id: `00000000-0000-4000-8000-${String(Math.floor(r() * 1e12)).padStart(12, "0")}`,
    agency: {
      host: "https://csi.uat.alayacare.com",
      name: "Corpus Agency",
      timezone: "America/New_York",
      branch_id: 1050,
      alayamarket_org_id: "91c79089-a3ca-4cca-acf4-52fc1f1302c6",
    },
    client: {
      id: 1000 + Math.floor(r() * 9000),
      first_name: form.first,
      last_name: form.last,
      birthday: form.birthday,
      timezone: "America/New_York",
    },
    files: files.map((f) => ({ file_name: f.name, file_value: `sha256:${f.file_id}` })),
    form_data: {
      form_id: 14,
      form_name: "CSI New Referral Request",
      form_schema_id: CSI_REFERRAL_FORM_SCHEMA_ID,
      created_at: "2026-05-01T12:00:00+00:00",
      created_by: "Corpus",
      fields: [
        field(
          "ICD-10 Diagnosis",
          "medical_history",
          form.diagnoses.map(([code, description]) => ({
            values: [{ field_key: "diagnosis", field_value: `${code.replace(".", "")}=${description}` }],
          })),
        ),
        field("Physician first name", "text", form.physicianFirst),
        field("Physician last name", "text", form.physicianLast),
        field("Physician NPI", "number", /^\d+$/.test(form.npi) && r() < 0.5 ? Number(form.npi) : form.npi),
        field("Physician order (PDF)", "picture", "https://example.invalid/order.pdf"),
        field("Service Requested", "list", { option: { name: form.service, value: form.service } }),
        field("Service start date", "date", form.start),
        field("Service end date", "date", form.end),
        field("Service frequency", "text", form.frequency),
        field("Date of Birth", "demographics", form.birthday, "bday"),
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Cases

export type CaseOptions = {
  kind: Kind;
  index: number;
  seed?: number;
  plant?: CheckField[];
  diagnoses?: number;
  template?: CorpusCase["template"];
  extraFile?: boolean;
};

/**
 * One referral of the corpus. Which fields are planted cycles with `index`, so every field is
 * planted about equally often within a kind; every fourth case has 20 diagnoses and every third
 * a medication profile sent before the order.
 */
export async function buildCase(o: CaseOptions): Promise<CorpusCase> {
  const seed = (o.seed ?? 21) * 100_003 + KINDS.indexOf(o.kind) * 1009 + o.index;
  const r = rng(seed);
  // An image file holds one page: its orders have at most 8 diagnoses, which fit on one.
  const single = o.kind === "png" || o.kind === "jpeg";
  const diagnoses = o.diagnoses ?? (o.index % 4 === 3 && !single ? 20 : int(r, 2, single ? 8 : 6));
  const f = makeFacts(r, diagnoses);
  const template = o.template ?? (["orders", "485", "letter"] as const)[o.index % 3]!;
  const built =
    template === "orders" ? await ordersTemplate(f, r) : template === "485" ? await form485(f, r) : await letter(f, r);

  const id = `${o.kind}-${String(o.index).padStart(2, "0")}`;
  const orderId = `${id}-order`;
  const files: CorpusFile[] = [];
  const rotation: Record<string, number[]> = {};
  let orderPage = 1;

  if (o.extraFile ?? o.index % 3 === 2) {
    const meds = await medicationProfile(f, r);
    files.push({
      file_id: `${id}-meds`,
      name: "medication_profile.pdf",
      contentType: "application/pdf",
      bytes: meds,
      isOrder: false,
    });
    rotation[`${id}-meds`] = [0];
  }

  const turn = () => (r() < 0.5 ? -1 : 1) * (1 + r() * 2);
  const scanStyle = (fax: boolean): ScanStyle => ({
    degrees: turn(),
    noise: fax ? 50 : 36,
    speckles: fax ? 0.0008 : 0.0004,
    dropout: fax ? 0.03 : 0.015,
    fax,
  });
  if (o.kind === "text-pdf") {
    files.push({
      file_id: orderId,
      name: "physician_order.pdf",
      contentType: "application/pdf",
      bytes: built.pdf,
      isOrder: true,
    });
    rotation[orderId] = [];
  } else if (o.kind === "png" || o.kind === "jpeg") {
    const dpi = pick(r, [150, 170, 200]);
    const pages = await drawPdf(built.pdf, dpi);
    if (pages.length !== 1) throw new Error(`an image case's order has ${pages.length} pages`);
    const style = scanStyle(false);
    const scanned = degrade(pages[0]!, r, style);
    const bytes = o.kind === "png" ? await scanned.encode("png") : await scanned.encode("jpeg", int(r, 55, 80));
    files.push({
      file_id: orderId,
      name: `order_scan.${o.kind === "png" ? "png" : "jpg"}`,
      contentType: o.kind === "png" ? "image/png" : "image/jpeg",
      bytes,
      isOrder: true,
    });
    rotation[orderId] = [style.degrees];
  } else {
    const fax = o.kind === "fax-cover";
    const dpi = fax ? 200 : pick(r, [150, 200]);
    const orderPages = await drawPdf(built.pdf, dpi);
    const pages = fax ? [...(await drawPdf(await faxCover(f, orderPages.length + 1), dpi)), ...orderPages] : orderPages;
    const styles = pages.map(() => scanStyle(fax));
    const images = await Promise.all(
      pages.map((p, i) =>
        fax ? degrade(p, r, styles[i]!).encode("png") : degrade(p, r, styles[i]!).encode("jpeg", int(r, 60, 80)),
      ),
    );
    files.push({
      file_id: orderId,
      name: fax ? "fax_20260501.pdf" : "scanned_order.pdf",
      contentType: "application/pdf",
      bytes: await imagePdf(
        images,
        fax
          ? (page, pages) =>
              `${usDate(f.orderDate, "slash")} 10:22  FROM: ${f.physician.phone}  ${f.physician.last.toUpperCase()} FAMILY MED   TO: ${f.agency.fax}   P. ${page}/${pages}`
          : undefined,
      ),
      isOrder: true,
    });
    rotation[orderId] = styles.map((s) => s.degrees);
    if (fax) orderPage = 2;
  }

  const orderFile = files.find((x) => x.isOrder)!;
  const truth: Truth[] = built.truth.map((t) => ({ ...t, page: t.page + orderPage - 1, file_id: orderFile.file_id }));

  const form = agreeingForm(f, r);
  const planted = o.plant ?? plantsFor(o.index, KINDS.indexOf(o.kind) + (o.seed ?? 21));
  const expected = Object.fromEntries(PLANTABLE.map((k) => [k, "match"])) as CorpusCase["expected"];
  for (const field of planted) expected[field] = plant(field, form, f, r);

  return {
    id,
    kind: o.kind,
    template,
    files,
    payload: payloadOf(form, files, r),
    expected,
    planted,
    truth,
    rotation,
    orderPage,
    diagnoses,
  };
}

/** 0, 1 or 2 planted fields, cycling through the fields so that every nine cases of a kind plant each field about equally often. */
function plantsFor(index: number, offset: number): CheckField[] {
  const count = [1, 2, 0, 1, 2][index % 5]!;
  const start = (index * 2 + offset) % PLANTABLE.length;
  return Array.from({ length: count }, (_, i) => PLANTABLE[(start + i * 4) % PLANTABLE.length]!);
}

export type CorpusOptions = { seed?: number; perKind?: Partial<Record<Kind, number>> };

/** The measuring corpus: `perKind` cases of each kind (default: the full corpus of scripts/measure-documents.ts). */
export async function buildCorpus(o: CorpusOptions = {}): Promise<CorpusCase[]> {
  const perKind: Record<Kind, number> = {
    "text-pdf": 30,
    "image-pdf": 12,
    png: 12,
    jpeg: 12,
    "fax-cover": 10,
    ...o.perKind,
  };
  const out: CorpusCase[] = [];
  for (const kind of KINDS)
    for (let index = 0; index < perKind[kind]; index++) out.push(await buildCase({ kind, index, seed: o.seed }));
  return out;
}

/**
 * A long text-PDF order for demo data and screenshots: the order on its first pages, then
 * "Plan of Care (continued)" pages, `pages` in all (20 is the default read limit; 30 is over it).
 * Also returns the form that agrees with it.
 */
export async function buildLongOrder(
  pages: number,
  seed = 2026,
  o: { diagnoses?: number } = {},
): Promise<{ pdf: Buffer; payload: Record<string, unknown> }> {
  // The order itself fills a page (two with many diagnoses); each continuation page is one more.
  let orderPages = 1;
  for (;;) {
    const r = rng(seed * 31 + pages);
    const f = makeFacts(r, o.diagnoses ?? 6);
    const { pdf } = await ordersTemplate(f, r, Math.max(0, pages - orderPages));
    const actual = await countPages(pdf);
    if (actual > pages && orderPages < 3) {
      orderPages += actual - pages;
      continue;
    }
    if (actual !== pages) throw new Error(`the long order has ${actual} pages, not ${pages}`);
    return { pdf, payload: longOrderPayload(pdf, pages, f, r) };
  }
}

function longOrderPayload(pdf: Buffer, pages: number, f: Facts, r: Rng): Record<string, unknown> {
  const form = agreeingForm(f, r);
  return payloadOf(
    form,
    [
      {
        file_id: "long-order",
        name: `physician_order_${pages}_pages.pdf`,
        contentType: "application/pdf",
        bytes: pdf,
        isOrder: true,
      },
    ],
    r,
  );
}

async function countPages(pdf: Buffer): Promise<number> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const n = doc.numPages;
  await doc.destroy();
  return n;
}
