/**
 * The draft from its inputs (no database): every value with its source, history counts in words,
 * the client's own case manager before the agency's, a reference guess for a funder with no
 * history, the frequency's phases as authorizations with consecutive dates, and what keeps a draft
 * from being complete. The database reads are tested in lib/draft/history/history.test.ts.
 */
import { describe, expect, it } from "vitest";
import { readReferencePayload } from "../demo/reference-payload";
import type { FormFieldLike } from "../form/mapping";
import { buildDraft, type DraftInput, type OrderCheck } from "./draft";
import { EMPTY_HISTORY, type CaseManager, type DraftHistory } from "./types";

const FUNDERS = [
  { id: 9, name: "OptionCare CSI" },
  { id: 10, name: "Medicare Part A" },
  { id: 11, name: "Ohio Medicaid" },
];
const CODES = [
  { id: 48, name: "Skilled Nursing" },
  { id: 50, name: "PT" },
  { id: 52, name: "Home Health Aide" },
];

/** The reference form with some values replaced (by label); null empties a field. */
function fields(values: Record<string, unknown> = {}): FormFieldLike[] {
  return readReferencePayload().form_data.fields.map((f) =>
    f.field_label in values ? { ...f, field_value: values[f.field_label] as never } : f,
  );
}

const list = (v: string) => ({ option: { name: v, value: v } });
const at = (day: number) => new Date(Date.UTC(2026, 10, day)).toISOString();
const DANA: CaseManager = { name: "Dana Whitfield", phone: "937-555-0142", email: "dana@gem.example" };
const CLIENTS_OWN: CaseManager = { name: "Theresa Okonkwo", phone: "513-555-0199", fax: "513-555-0198" };

function history(over: Partial<DraftHistory> = {}): DraftHistory {
  return { ...EMPTY_HISTORY("Gem City Home Care"), ...over };
}

function draft(over: Partial<DraftInput> & { values?: Record<string, unknown> } = {}) {
  const { values, ...rest } = over;
  return buildDraft({
    fields: fields({ "Service start date": "2026-03-02", "Service end date": "2026-04-30", ...values }),
    formSchemaId: null,
    serviceStart: null,
    serviceEnd: null,
    reference: { funders: FUNDERS, serviceCodes: CODES },
    history: history(),
    checks: null,
    duplicates: [],
    ...rest,
  });
}

const LEARNED = history({
  insurer: {
    name: "ABC Insurers",
    funders: [
      { value: 10, count: 1, last: at(20) },
      { value: 9, count: 12, last: at(2) },
    ],
    total: 13,
  },
  service: {
    requested: "PT",
    how: "exact",
    key: "PT",
    serviceCodes: [{ value: 50, count: 7, last: at(3) }],
    careTypes: [{ value: "nursing", count: 7, last: at(3) }],
    total: 7,
  },
  agency: { name: "Gem City Home Care", caseManagers: [{ value: DANA, count: 5, last: at(4) }], total: 6, days: 90 },
});

describe("the draft's learned values", () => {
  it("suggests the funder chosen most for the insurer, saying so in words, with the others as alternatives", () => {
    const d = draft({ history: LEARNED });
    expect(d.service.funder_id).toEqual({
      value: 9,
      source: {
        kind: "history",
        count: 12,
        of: 13,
        key: "ABC Insurers",
        text: "chosen in 12 of 13 approvals for ‘ABC Insurers’",
      },
    });
    expect(d.alternatives.funder_id.map((a) => [a.label, a.count])).toEqual([
      ["OptionCare CSI", 12],
      ["Medicare Part A", 1],
    ]);
    expect(d.service.service_code_id).toMatchObject({ value: 50, source: { kind: "history", count: 7, of: 7 } });
    expect(d.service.care_type).toMatchObject({ value: "nursing", source: { kind: "history", key: "PT" } });
  });

  it("skips a funder ACCloud no longer has (disabled) for the next one chosen", () => {
    const d = draft({
      history: {
        ...LEARNED,
        insurer: { ...LEARNED.insurer, funders: [{ value: 13, count: 9, last: at(1) }, ...LEARNED.insurer.funders] },
      },
    });
    expect(d.service.funder_id?.value).toBe(9);
  });

  it("guesses the closest ACCloud funder when the insurer has no history, and marks it a guess", () => {
    const d = draft({ values: { "Primary insurance name": "Medicare Part A" } });
    expect(d.service.funder_id).toMatchObject({ value: 10, source: { kind: "reference", guess: true } });
    expect(d.service.funder_id!.source.text).toMatch(/^a guess: the ACCloud funder named most like ‘Medicare Part A’/);
    const none = draft({ values: { "Primary insurance name": "Kaiser Permanente" } });
    expect(none.service.funder_id).toBeNull();
    expect(none.missing).toContain("funder_id");
    expect(none.complete).toBe(false);
  });

  it("guesses a service code by its discipline, and the care type by a stated rule", () => {
    const d = draft({ values: { "Service Requested": list("Physical Therapy") } });
    expect(d.service.service_code_id).toMatchObject({ value: 50, source: { kind: "reference", guess: true } });
    expect(d.service.care_type).toMatchObject({ value: "nursing", source: { kind: "rule" } });
    const aide = draft({ values: { "Service Requested": list("Home Health Aide") } });
    expect(aide.service.care_type).toMatchObject({ value: "psw", source: { kind: "rule" } });
    expect(aide.service.service_code_id?.value).toBe(52);
  });

  it("takes the client's own case manager before the agency's usual one", () => {
    const own = draft({
      history: {
        ...LEARNED,
        client: { caseManagers: [{ value: CLIENTS_OWN, count: 1, last: at(9) }], total: 1, lastAt: at(9) },
      },
    });
    expect(own.case_manager.name).toMatchObject({
      value: "Theresa Okonkwo",
      source: { kind: "history", key: "this client" },
    });
    expect(own.case_manager.fax?.value).toBe("513-555-0198");
    expect(own.case_manager.email).toBeNull();
    expect(own.case_manager.name!.source.text).toContain("this client's case manager on an earlier referral");
    expect(own.alternatives.case_manager.map((a) => a.value.name)).toEqual(["Theresa Okonkwo", "Dana Whitfield"]);

    const agency = draft({ history: LEARNED });
    expect(agency.case_manager.name).toEqual({
      value: "Dana Whitfield",
      source: {
        kind: "history",
        count: 5,
        of: 6,
        key: "Gem City Home Care",
        text: "chosen in 5 of 6 approvals for ‘Gem City Home Care’ in the last 90 days",
      },
    });
    expect(agency.case_manager.fax).toBeNull();
    const nobody = draft();
    expect(nobody.case_manager).toEqual({ name: null, phone: null, fax: null, email: null });
    expect(nobody.missing).toContain("case_manager.name");
  });
});

describe("the draft's rules, from the frequency grammar", () => {
  it("makes a phased frequency two authorizations with consecutive dates inside the referral's", () => {
    const d = draft({ history: LEARNED, values: { "Service frequency": "2w2, 1w2", "Service authorizations": null } });
    expect(d.authorizations).toHaveLength(2);
    expect(d.authorizations.map((a) => [a.start_at?.value, a.end_at?.value, a.rule_weekly?.value])).toEqual([
      ["2026-03-02", "2026-03-15", 2],
      ["2026-03-16", "2026-03-29", 1],
    ]);
    expect(d.authorizations[1]!.start_at!.source).toMatchObject({ kind: "rule" });
    expect(d.authorizations[0]!.rule_type).toMatchObject({
      value: "VISITS",
      source: { kind: "form", label: "Service frequency", text: "the form's ‘Service frequency’: “2w2, 1w2”" },
    });
    expect(d.frequency).toMatchObject({ readable: true });
    expect(d.frequency.explanation).toBe("2 visits a week for 2 weeks, then 1 visit a week for 2 weeks");
  });

  it("leaves out a phase the referral ends before, and says so", () => {
    const d = draft({
      values: { "Service frequency": "2w2, 1w2", "Service start date": "2026-03-02", "Service end date": "2026-03-10" },
    });
    expect(d.authorizations.map((a) => [a.start_at?.value, a.end_at?.value])).toEqual([["2026-03-02", "2026-03-10"]]);
    expect(d.frequency.explanation).toMatch(/the referral ends before the last phase/);
  });

  it("joins a total from 'Service authorizations' to a one-phase frequency, each rule with its own source", () => {
    const d = draft();
    expect(d.authorizations).toHaveLength(1);
    const a = d.authorizations[0]!;
    expect(a.rule_weekly).toMatchObject({ value: 2, source: { kind: "form", label: "Service frequency" } });
    expect(a.rule_period).toMatchObject({ value: 10, source: { kind: "form", label: "Service authorizations" } });
    expect(a.member_number).toMatchObject({
      value: "1111111",
      source: { kind: "form", label: "Primary subscriber ID" },
    });
    expect([a.start_at?.value, a.end_at?.value]).toEqual(["2026-03-02", "2026-04-30"]);
    // Rule fields not set are null, every weekday among them.
    expect(a.rule_daily).toBeNull();
    expect(a.rule_monday).toBeNull();
    expect(a.rule_sunday).toBeNull();
    expect(d.frequency.texts).toEqual([
      { label: "Service frequency", text: "Twice a week" },
      { label: "Service authorizations", text: "10 visits total" },
    ]);
  });

  it("says what it cannot read and leaves the rules to the reviewer", () => {
    for (const text of ["PRN", "as needed", null]) {
      const d = draft({ history: LEARNED, values: { "Service frequency": text, "Service authorizations": null } });
      expect(d.frequency.readable, String(text)).toBe(false);
      expect(d.authorizations).toHaveLength(1);
      expect(d.authorizations[0]!.rule_type).toBeNull();
      expect(d.authorizations[0]!.member_number?.value).toBe("1111111");
      expect(d.missing).toEqual(["rules"]);
      expect(d.complete).toBe(false);
    }
    expect(
      draft({ values: { "Service frequency": "PRN", "Service authorizations": null } }).frequency.explanation,
    ).toMatch(/^As needed/);
    // A total beside it is still a rule: the limit for the period.
    const total = draft({ values: { "Service frequency": "PRN" } });
    expect(total.authorizations[0]!.rule_period).toMatchObject({
      value: 10,
      source: { label: "Service authorizations" },
    });
    expect(total.frequency.explanation).toBe(
      "10 visits in total, from ‘Service authorizations’ (the frequency is as needed (PRN))",
    );
  });
});

describe("a complete draft", () => {
  const complete = () => draft({ history: LEARNED });

  it("is complete when every required value has a source", () => {
    const d = complete();
    expect(d.missing).toEqual([]);
    expect(d.complete).toBe(true);
    expect(d.service.start_date).toMatchObject({
      value: "2026-03-02",
      source: { kind: "form", label: "Service start date" },
    });
  });

  it("takes a value the order agrees with as the order's, and is not complete when a check disagrees", () => {
    const box: [number, number, number, number] = [10, 20, 300, 14];
    const agree: OrderCheck = {
      field: "frequency",
      verdict: "match",
      form: "Twice a week",
      order: "2x/week",
      source: { file_id: "f1", page: 1, box },
    };
    const d = draft({ history: LEARNED, checks: [agree] });
    expect(d.authorizations[0]!.rule_weekly!.source).toMatchObject({ kind: "order", file_id: "f1", page: 1, box });
    expect(d.complete).toBe(true);
    const disagree = draft({
      history: LEARNED,
      checks: [
        agree,
        { field: "start_date", verdict: "mismatch", form: "2026-03-02", order: "2026-03-09", source: null },
      ],
    });
    expect(disagree.disagreements).toEqual([{ field: "start_date", form: "2026-03-02", order: "2026-03-09" }]);
    expect(disagree.complete).toBe(false);
  });

  it("is not complete with a possible duplicate", () => {
    const d = draft({
      history: LEARNED,
      duplicates: [
        {
          referral_id: "00000000-0000-4000-8000-000000000001",
          why: "Same agency client id; same service (PT); dates overlap",
        },
      ],
    });
    expect(d.missing).toEqual([]);
    expect(d.complete).toBe(false);
  });
});
