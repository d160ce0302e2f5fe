/**
 * The extractor on pages spelt out as text (test/documents/pages.ts): the three layouts orders
 * come in (labels beside values in two columns, CMS-485 boxes with labels above values, a
 * letter), the labels that must not be taken (an agency's NPI, "Patient will…", a signature
 * line), and what OCR does to words.
 */
import { describe, expect, it } from "vitest";
import { boxOf, page } from "../../test/documents/pages";
import { extractOrder, straighten } from "./extract";

const values = (pages: Parameters<typeof extractOrder>[0], discipline?: Parameters<typeof extractOrder>[1]) => {
  const x = extractOrder(pages, discipline);
  return {
    client_name: x.client_name?.text,
    client_birthday: x.client_birthday?.value,
    physician_name: x.physician_name?.text,
    physician_npi: x.physician_npi?.value,
    diagnosis_codes: x.diagnosis_codes?.value.map((c) => c.value),
    service: x.service?.value.map((d) => d.value),
    frequency: x.frequency?.text,
    start_date: x.start_date?.value,
    end_date: x.end_date?.value,
  };
};

/** An order with labels beside values, in two columns, and an agency's NPI above the physician's. */
const TWO_COLUMNS = [
  "Gem City Home Care                            Agency NPI: 1245319599",
  "PHYSICIAN ORDERS / PLAN OF CARE",
  "Patient:  SMITHERS, JANE M                    DOB:  05/07/1998",
  "MRN: 000123                                   Sex: F",
  "Physician:  Dr. Jeremy Smith, MD              NPI:  1234567893",
  "Start of Care: 05/01/2026    Certification Period: 05/01/2026 to 06/29/2026",
  "DIAGNOSES (ICD-10)",
  "1. E11.9   Type 2 diabetes mellitus without complications",
  "2. I10     Essential (primary) hypertension",
  "ORDERS",
  "Discipline: Skilled Nursing",
  "Frequency: 2x/week x 4 weeks",
  "Goals: Patient will demonstrate independence with the home program.",
  "Physician Signature: ____________   Date: ______",
];

/** A CMS-485: numbered boxes, labels above values. */
const CMS_485 = [
  { text: "1. Patient's HI Claim No.    2. Start Of Care Date    3. Certification Period", y: 40 },
  { text: "1EG4TE5MK73                  05/01/2026              From: 05/01/2026  To: 06/29/2026", y: 62 },
  { text: "6. Patient's Name and Address          7. Provider's Name, Address", y: 100 },
  { text: "SMITHERS, JANE                          GEM CITY HOME CARE", y: 122 },
  { text: "8. Date of Birth     9. Sex    10. Medications: Dose/Frequency/Route", y: 160 },
  { text: "05/07/1998           F         METFORMIN 500 MG PO BID", y: 182 },
  { text: "11. ICD-10-CM Principal Diagnosis", y: 220 },
  { text: "E11.9    Type 2 diabetes mellitus", y: 242 },
  { text: "13. ICD-10-CM Other Pertinent Diagnoses", y: 280 },
  { text: "I10      Essential (primary) hypertension", y: 302 },
  { text: "Z79.4    Long term (current) use of insulin", y: 324 },
  { text: "21. Orders for Discipline and Treatments (Specify Amount/Frequency/Duration)", y: 362 },
  { text: "SN 2W4 ASSESS CARDIOPULMONARY STATUS", y: 384 },
  { text: "24. Physician's Name and Address       26. I certify that this patient is confined", y: 430 },
  { text: "JEREMY SMITH, MD                       to the home and needs skilled nursing care", y: 452 },
  { text: "NPI: 1234567893", y: 474 },
];

/** A letter with dates written out and a table of codes. */
const LETTER = [
  "HOME HEALTH REFERRAL ORDER                  Date: April 28, 2026",
  "Patient Name: Jane Smithers                 Date of Birth: May 7, 1998",
  "Ordering Physician: Dr. Jeremy Smith        NPI # 1234567893",
  "Please provide the following home health services:",
  "Orders for: Physical Therapy",
  "Frequency: two (2) visits per week for 4 weeks",
  "Start of Care: May 1, 2026      Certification Period: 05/01/2026 through 06/29/2026",
  "Diagnosis Codes (ICD-10):",
  "Code      Description",
  "M17.11    Unilateral primary osteoarthritis, right knee",
  "Z96.651   Presence of right artificial knee joint",
  "Physical Therapy: evaluate and treat. I certify that this patient is under my care.",
];

describe("extractOrder on the three layouts", () => {
  it.each([
    [
      "labels beside values, in two columns, past an agency's NPI",
      TWO_COLUMNS,
      {
        client_name: "SMITHERS, JANE M",
        client_birthday: "1998-05-07",
        physician_name: "Dr. Jeremy Smith, MD",
        physician_npi: "1234567893",
        diagnosis_codes: ["E11.9", "I10"],
        service: ["SN"],
        frequency: "2x/week x 4 weeks",
        start_date: "2026-05-01",
        end_date: "2026-06-29",
      },
    ],
    [
      "a CMS-485's boxes, labels above values, within each label's column",
      CMS_485,
      {
        client_name: "SMITHERS, JANE",
        client_birthday: "1998-05-07",
        physician_name: "JEREMY SMITH, MD",
        physician_npi: "1234567893",
        diagnosis_codes: ["E11.9", "I10", "Z79.4"],
        service: ["SN"],
        frequency: "2W4",
        start_date: "2026-05-01",
        end_date: "2026-06-29",
      },
    ],
    [
      "a letter with dates written out and a table of codes",
      LETTER,
      {
        client_name: "Jane Smithers",
        client_birthday: "1998-05-07",
        physician_name: "Dr. Jeremy Smith",
        physician_npi: "1234567893",
        diagnosis_codes: ["M17.11", "Z96.651"],
        service: ["PT"],
        frequency: "two (2) visits per week for 4 weeks",
        start_date: "2026-05-01",
        end_date: "2026-06-29",
      },
    ],
  ])("reads %s", (_, rows, expected) => {
    expect(values([page(rows)])).toEqual(expected);
  });

  it('takes the value\'s own words as the source: the date after "DOB:", not the label', () => {
    const x = extractOrder([page(TWO_COLUMNS)]);
    expect(x.client_birthday?.box).toEqual(boxOf(TWO_COLUMNS[2]!, "05/07/1998", 100));
    expect(x.end_date?.box).toEqual(boxOf(TWO_COLUMNS[5]!, "06/29/2026", 190));
    expect(x.physician_npi?.box).toEqual(boxOf(TWO_COLUMNS[4]!, "1234567893", 160));
  });

  it("follows an order onto its next page (diagnoses continued)", () => {
    const first = page(
      [
        "Patient: SMITHERS, JANE   DOB: 05/07/1998",
        "DIAGNOSES (ICD-10)",
        "1. E11.9 Type 2 diabetes",
        "2. I10 Hypertension",
      ],
      { page: 1 },
    );
    const second = page(
      [
        "PHYSICIAN ORDERS (continued)",
        "DIAGNOSES (continued)",
        "3. Z79.4 Long term use of insulin",
        "ORDERS",
        "Discipline: PT",
      ],
      {
        page: 2,
      },
    );
    const x = extractOrder([first, second]);
    expect(x.diagnosis_codes?.value.map((c) => [c.value, c.page])).toEqual([
      ["E11.9", 1],
      ["I10", 1],
      ["Z79.4", 2],
    ]);
    // The whole's source is the page holding most of them.
    expect(x.diagnosis_codes?.page).toBe(1);
  });
});

describe("what is not a value", () => {
  it.each([
    ["a goal starting with Patient", ["Goals: Patient will demonstrate independence"], "client_name"],
    ["a signature line", ["Physician Signature: ______________"], "physician_name"],
    ["an agency's NPI", ["Agency NPI: 1234567893"], "physician_npi"],
    ["an NPI of nine digits", ["NPI: 123456789"], "physician_npi"],
    ["a prescriber on a medication list", ["Prescriber: Dr. Alan Smith"], "physician_name"],
    ["a name label of the physician's", ["Physician Name: Jeremy Smith"], "client_name"],
    [
      "a claim number under Patient's",
      [
        { text: "1. Patient's HI Claim No.", y: 40 },
        { text: "1EG4TE5MK73", y: 62 },
      ],
      "client_name",
    ],
    ["an order date", ["Order Date: 05/01/2026"], "start_date"],
  ] as const)("%s", (_, rows, field) => {
    expect(extractOrder([page([...rows])])[field]).toBeUndefined();
  });

  it("takes the form's discipline's frequency when the orders name several", () => {
    const rows = ["ORDERS", "SN 2x/wk x 4 wks; PT 3x/wk x 3 wks"];
    expect(extractOrder([page(rows)], { discipline: "PT" }).frequency?.text).toBe("3x/wk x 3 wks");
    expect(extractOrder([page(rows)], { discipline: "SN" }).frequency?.text).toBe("2x/wk x 4 wks");
    expect(extractOrder([page(rows)]).service?.value.map((d) => d.value)).toEqual(["SN", "PT"]);
  });
});

describe("OCR's words", () => {
  const ocr = (rows: Parameters<typeof page>[0]) => [page(rows, { method: "ocr", confidence: 70 })];

  it("takes a label OCR misread by a letter, only in OCR text", () => {
    const rows = [
      "Ordering Physician: Dr. Jeremy Smith   NPIL # 1234567893",
      "Patient Name: Jane Smithers   Date of Blrth: 05/07/1998",
    ];
    expect(values(ocr(rows))).toMatchObject({ physician_npi: "1234567893", client_birthday: "1998-05-07" });
    expect(values([page(rows)])).toMatchObject({ physician_npi: undefined, client_birthday: undefined });
  });

  it("splits a label glued to its value and undoes letter-for-digit in an NPI", () => {
    expect(values(ocr(["DOB:05/07/1998", "NPI: l234S67B93"]))).toMatchObject({
      client_birthday: "1998-05-07",
      physician_npi: "1234567893",
    });
  });

  it("finds codes behind specks and numbers run into them", () => {
    const rows = [
      "DIAGNOSES (ICD-10)",
      "4.169.351 Hemiplegia and hemiparesis",
      "| T84.50xA Infection and inflammatory reaction",
      "-|L97.419 Non-pressure chronic ulcer",
      "110 Essential hypertension",
      "| 784. s0xa Infection following a procedure",
      "$72.001A Fracture of unspecified part of neck of right femur",
      "M62.8] Muscle weakness (generalized)",
      "E66,01 Morbid (severe) obesity due to excess calories",
    ];
    expect(values(ocr(rows)).diagnosis_codes).toEqual([
      "169.351",
      "T84.50XA",
      "L97.419",
      "110",
      "784.S0XA",
      "S72.001A",
      "M62.81",
      "E66.01",
    ]);
  });

  it("passes over a stray mark inside a name", () => {
    expect(values(ocr(["Patient: OKAFOR, - DOLORES. L"])).client_name).toBe("OKAFOR, DOLORES. L");
  });
});

describe("straighten", () => {
  it("is the identity for a straight page and recovers a turned word's box", () => {
    expect(straighten([10, 20, 30, 40], 0, 100, 100)).toEqual([10, 20, 30, 40]);
    // A 100 × 20 word at the centre of a 1000 × 1000 page, turned by 0.05 rad: its box grows; straightened, it is 100 × 20 again.
    const a = 0.05;
    const w = 100 * Math.cos(a) + 20 * Math.sin(a);
    const h = 100 * Math.sin(a) + 20 * Math.cos(a);
    const back = straighten([500 - w / 2, 500 - h / 2, w, h], a, 1000, 1000);
    expect(back.map((v) => Math.round(v))).toEqual([450, 490, 100, 20]);
  });
});
