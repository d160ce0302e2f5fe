/** Which file is the order: the one stating a patient and a physician, the fax cover sheet in front of it left out. */
import { describe, expect, it } from "vitest";
import { page } from "../../test/documents/pages";
import { pickOrder } from "./order";
import type { DocumentReading, PageText } from "./types";

const read = (...pages: PageText[]): DocumentReading => ({
  state: "read",
  method: "text",
  pageCount: pages.length,
  pages,
  note: null,
});

const cover = page(
  [
    "FAX",
    "Date: 05/01/2026",
    "To: Gem City Home Care - Intake",
    "From: Office of Jeremy Smith",
    "Pages (including cover): 2",
    "Re: Home health orders - please see attached",
    "CONFIDENTIALITY NOTICE: This facsimile contains confidential health information.",
  ],
  { page: 1 },
);
const orderPage = (n: number) =>
  page(
    [
      "PHYSICIAN ORDERS / PLAN OF CARE",
      "Patient: SMITHERS, JANE     DOB: 05/07/1998",
      "Physician: Jeremy Smith, MD    NPI: 1234567893",
      "DIAGNOSES (ICD-10)",
      "1. E11.9 Type 2 diabetes mellitus",
      "ORDERS",
      "Discipline: Skilled Nursing",
    ],
    { page: n },
  );
const medications = page([
  "MEDICATION PROFILE",
  "Patient: Jane Smithers   DOB: 05/07/1998",
  "Prescriber: Dr. Alan Smith",
  "1. Metformin 500 mg PO twice daily",
]);
const insuranceCard = page(["ABC Insurers", "Member: JANE SMITHERS", "Group: 12345"]);

describe("pickOrder", () => {
  it("takes the order over a medication profile sent before it", () => {
    expect(
      pickOrder([
        { file_id: "meds", reading: read(medications) },
        { file_id: "order", reading: read(orderPage(1)) },
      ])?.file_id,
    ).toBe("order");
  });

  it("leaves a fax cover sheet out of the order's pages", () => {
    const pick = pickOrder([{ file_id: "fax", reading: read(cover, orderPage(2)) }]);
    expect(pick?.coverPages).toEqual([1]);
    expect(pick?.pages.map((p) => p.page)).toEqual([2]);
  });

  it("finds no order among files that state no physician, or could not be read", () => {
    expect(pickOrder([{ file_id: "card", reading: read(insuranceCard) }])).toBeNull();
    expect(pickOrder([{ file_id: "cover", reading: read(cover) }])).toBeNull();
    expect(
      pickOrder([
        { file_id: "bad", reading: { state: "unreadable", reason: "corrupt: not a valid PDF", pageCount: null } },
      ]),
    ).toBeNull();
  });

  it("prefers the earlier of two equal orders", () => {
    expect(
      pickOrder([
        { file_id: "a", reading: read(orderPage(1)) },
        { file_id: "b", reading: read(orderPage(1)) },
      ])?.file_id,
    ).toBe("a");
  });
});
