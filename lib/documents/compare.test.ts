/**
 * The verdicts of the table, field by field, from extracted values (made here directly)
 * and form values: what counts as the same, what is not found, what is invalid, and that every
 * match or mismatch carries its source.
 */
import { describe, expect, it } from "vitest";
import { compareOrder, frequencyVerdict } from "./compare";
import type { Extraction, Found } from "./extract";
import type { FormValues } from "./form";
import { CHECK_FIELDS, type CheckField } from "./types";

const at = <T>(value: T, text: string, ocr = false): Found<T> => ({ value, text, page: 2, box: [10, 20, 30, 40], ocr });

const form: FormValues = {
  client_name: "Jane Smithers",
  client_birthday: "1998-05-07",
  physician_name: "Jeremy Smith",
  physician_npi: "1234567893",
  diagnosis_codes: ["A000", "E0800"],
  service: "PT",
  frequency: "Twice a week",
  start_date: "2026-05-01",
  end_date: "2026-06-29",
};

const order: Extraction = {
  client_name: at("SMITHERS, JANE", "SMITHERS, JANE"),
  client_birthday: at("1998-05-07", "05/07/1998"),
  physician_name: at("Dr. Jeremy Smith, MD", "Dr. Jeremy Smith, MD"),
  physician_npi: at("1234567893", "1234567893"),
  diagnosis_codes: at([at("A00.0", "A00.0"), at("E08.00", "E08.00")], "A00.0, E08.00"),
  service: at([at("PT" as const, "Physical Therapy")], "Physical Therapy"),
  frequency: at("2x/week x 4 weeks", "2x/week x 4 weeks"),
  start_date: at("2026-05-01", "May 1, 2026"),
  end_date: at("2026-06-29", "06/29/2026"),
};

const verdictOf = (field: CheckField, f: Partial<FormValues>, o: Partial<Extraction> = {}) =>
  compareOrder({ ...form, ...f }, { ...order, ...o }, "file-1").find((c) => c.field === field)!;

describe("compareOrder", () => {
  it("gives one check per field, all matching on an agreeing order, each with its source", () => {
    const checks = compareOrder(form, order, "file-1");
    expect(checks.map((c) => c.field)).toEqual(CHECK_FIELDS);
    for (const c of checks) {
      expect(c.verdict, c.field).toBe("match");
      expect(c.source).toEqual({ file_id: "file-1", page: 2, box: [10, 20, 30, 40] });
    }
    expect(checks.find((c) => c.field === "client_birthday")).toMatchObject({
      form: "1998-05-07",
      order: "05/07/1998",
    });
    expect(checks.find((c) => c.field === "diagnosis_codes")).toMatchObject({
      form: "A00.0, E08.00",
      order: "A00.0, E08.00",
    });
  });

  it.each([
    ["client_name", { client_name: "Joan Smithers" }, {}, "mismatch"],
    ["client_name", {}, { client_name: undefined }, "not_found"],
    ["client_name", { client_name: null }, {}, "mismatch"],
    ["client_birthday", { client_birthday: "1998-07-05" }, {}, "mismatch"],
    ["physician_name", { physician_name: "Jerome Smith" }, {}, "mismatch"],
    ["physician_npi", { physician_npi: "1245319599" }, {}, "mismatch"],
    ["physician_npi", { physician_npi: "12234567" }, {}, "invalid"],
    ["physician_npi", { physician_npi: "1234567890" }, {}, "invalid"],
    ["physician_npi", {}, { physician_npi: at("1234567890", "1234567890") }, "invalid"],
    ["physician_npi", { physician_npi: "12234567" }, { physician_npi: undefined }, "invalid"],
    ["physician_npi", { physician_npi: "1234 567 893" }, {}, "match"],
    ["diagnosis_codes", { diagnosis_codes: ["A000"] }, {}, "mismatch"],
    ["diagnosis_codes", { diagnosis_codes: ["A000", "E0800", "I10"] }, {}, "mismatch"],
    ["diagnosis_codes", { diagnosis_codes: ["a00.0", "e08.00"] }, {}, "match"],
    ["diagnosis_codes", { diagnosis_codes: ["A000", "Cholera"] }, {}, "invalid"],
    ["diagnosis_codes", {}, { diagnosis_codes: at([at("A00.0", "A00.0"), at("0E8.00", "0E8.00")], "…") }, "invalid"],
    ["service", { service: "Skilled Nursing" }, {}, "mismatch"],
    ["service", { service: "Physical Therapy" }, {}, "match"],
    ["service", {}, { service: undefined }, "not_found"],
    ["frequency", { frequency: "Three times a week" }, {}, "mismatch"],
    [
      "frequency",
      { frequency: "2x/week" },
      { frequency: at("two (2) visits per week", "two (2) visits per week") },
      "match",
    ],
    ["frequency", {}, { frequency: undefined }, "not_found"],
    ["start_date", { start_date: "2026-05-02" }, {}, "mismatch"],
    ["end_date", {}, { end_date: undefined }, "not_found"],
  ] as const)("%s: form %j, order %j → %s", (field, f, o, verdict) => {
    const check = verdictOf(field, f as Partial<FormValues>, o as Partial<Extraction>);
    expect(check.verdict).toBe(verdict);
    if (verdict === "match" || verdict === "mismatch") expect(check.source).not.toBeNull();
    if (verdict === "not_found") expect(check.source).toBeNull();
  });

  it("repairs OCR's look-alikes in codes only towards the form's codes", () => {
    const ocrCodes = (...codes: string[]) => ({
      diagnosis_codes: at(
        codes.map((c) => at(c, c, true)),
        codes.join(", "),
        true,
      ),
    });
    expect(verdictOf("diagnosis_codes", {}, ocrCodes("A0O.0", "E08.0O")).verdict).toBe("match");
    expect(verdictOf("diagnosis_codes", { diagnosis_codes: ["I10", "Z471"] }, ocrCodes("110", "747.1")).verdict).toBe(
      "match",
    );
    // Not from a text layer: there "110" is what the order says.
    expect(
      verdictOf("diagnosis_codes", { diagnosis_codes: ["I10"] }, { diagnosis_codes: at([at("110", "110")], "110") })
        .verdict,
    ).toBe("invalid");
    // A different code stays different.
    expect(verdictOf("diagnosis_codes", { diagnosis_codes: ["E119"] }, ocrCodes("E11.8")).verdict).toBe("mismatch");
  });

  it("takes an uncertain OCR reading one character off a missing form code as that code, and no other", () => {
    const read = (code: string, confidence: number) => ({ ...at(code, code, true), confidence });
    const codes = (...c: Array<Found<string>>) => ({ diagnosis_codes: at(c, c.map((x) => x.text).join(", "), true) });
    // "M15.90" read at 81 for the form's M19.90: OCR's doubt.
    expect(
      verdictOf("diagnosis_codes", { diagnosis_codes: ["M1990", "G309"] }, codes(read("M15.90", 81), read("G30.9", 95)))
        .verdict,
    ).toBe("match");
    // Read surely, it is what the order says.
    expect(
      verdictOf("diagnosis_codes", { diagnosis_codes: ["M1990", "G309"] }, codes(read("M15.90", 93), read("G30.9", 95)))
        .verdict,
    ).toBe("mismatch");
    // Two edits off, or no form code left to be: a difference.
    expect(
      verdictOf("diagnosis_codes", { diagnosis_codes: ["M1990", "G309"] }, codes(read("M15.80", 40), read("G30.9", 95)))
        .verdict,
    ).toBe("mismatch");
    expect(
      verdictOf("diagnosis_codes", { diagnosis_codes: ["G309"] }, codes(read("M15.90", 40), read("G30.9", 95))).verdict,
    ).toBe("mismatch");
    // An NPI read unsure and one digit off the form's (it then fails its check digit) is the form's.
    expect(
      verdictOf("physician_npi", {}, { physician_npi: { ...at("1234567803", "1234567803", true), confidence: 60 } })
        .verdict,
    ).toBe("match");
    expect(
      verdictOf("physician_npi", {}, { physician_npi: { ...at("1234567803", "1234567803", true), confidence: 95 } })
        .verdict,
    ).toBe("invalid");
  });

  it("forgives OCR's confusions in names, not in text", () => {
    expect(verdictOf("client_name", {}, { client_name: at("SMlTHERS, JANE", "SMlTHERS, JANE", true) }).verdict).toBe(
      "match",
    );
    expect(verdictOf("client_name", {}, { client_name: at("SMlTHERS, JANE", "SMlTHERS, JANE") }).verdict).toBe(
      "mismatch",
    );
  });

  it("without an order, says every field is not found", () => {
    const checks = compareOrder(form, null, null);
    expect(checks.every((c) => c.source === null && c.order === null)).toBe(true);
    expect(new Set(checks.map((c) => c.verdict))).toEqual(new Set(["not_found"]));
    // A malformed NPI on the form is said whatever the order holds.
    expect(
      compareOrder({ ...form, physician_npi: "12234567" }, null, null).find((c) => c.field === "physician_npi")
        ?.verdict,
    ).toBe("invalid");
  });
});

describe("frequencyVerdict", () => {
  it.each([
    ["Twice a week", "2x/week x 4 weeks", "match"],
    ["Twice a week", "2W4", "match"],
    ["Twice a week", "two (2) visits per week for 4 weeks", "match"],
    ["2x/week x 4 weeks", "2x/week x 6 weeks", "mismatch"],
    ["Twice a week", "3x/week", "mismatch"],
    ["Twice a week", "2W4 SKILLED", "match"],
    ["PRN", "as needed", "match"],
    ["Twice a week", "per protocol", "mismatch"],
    ["per protocol", "Per protocol", "match"],
  ])("%s vs %s → %s", (f, o, verdict) => {
    expect(frequencyVerdict(f, o)).toBe(verdict);
  });
});
