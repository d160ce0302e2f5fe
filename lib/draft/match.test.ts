import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  closestFunder,
  disciplineOf,
  insurerScore,
  nameSimilarity,
  normaliseInsurer,
  sameClientLikely,
  similarity,
  FUNDER_THRESHOLD,
  SAME_CLIENT_THRESHOLD,
} from "./match";
import { itReturns } from "../../test/support/tables";

describe("normaliseInsurer", () => {
  itReturns("%s → %s", normaliseInsurer, [
    ["ABC Insurers", "abc"],
    ["A.B.C. Insurance Inc.", "abc"],
    ["A B C Insurance Company", "abc"],
    ["The ABC Insurance Co.", "abc"],
    ["ABC Ins.", "abc"],
    ["ABC Health Plan", "abc health"],
    ["Assurance Maladie de l’Île", "maladie de lile"],
    ["Blue Cross & Blue Shield of Texas", "blue cross blue shield texas"],
    ["UNITEDHEALTHCARE, LLC", "unitedhealthcare"],
    ["Sun Life Assurance Company of Canada", "sun life canada"],
    ["Insurance Inc.", ""],
  ]);
});

const FUNDERS = [
  "ABC Insurance",
  "Aetna Better Health",
  "Blue Cross Blue Shield of Texas",
  "Medicare",
  "Medicaid",
  "UnitedHealthcare Community Plan",
  "Humana Gold Plus",
  "Molina Healthcare",
  "Cigna",
  "Sun Life Financial",
  "Manulife",
  "Acme Health",
].map((name, i) => ({ id: 100 + i, name }));

describe("closestFunder", () => {
  it.each([
    ["A.B.C. Insurance Inc.", "ABC Insurance"],
    ["ABC Insurers", "ABC Insurance"],
    ["aetna", "Aetna Better Health"],
    ["Aetna Inc", "Aetna Better Health"],
    ["Aetna Better Health of Texas", "Aetna Better Health"],
    ["Blue Cross Blue Shield", "Blue Cross Blue Shield of Texas"],
    ["United Healthcare", "UnitedHealthcare Community Plan"],
    ["Medicare Part A", "Medicare"],
    ["Medicaid of Texas", "Medicaid"],
    ["MEDICARÉ", "Medicare"],
    ["Medicar", "Medicare"],
    ["Humana", "Humana Gold Plus"],
    ["Molina Health Care", "Molina Healthcare"],
    ["Cigna Health", "Cigna"],
    ["Manulife Financial", "Manulife"],
    ["Sun Life", "Sun Life Financial"],
  ])("%s → %s", (insurance, want) => {
    const hit = closestFunder(insurance, FUNDERS);
    expect(hit?.name).toBe(want);
    expect(hit!.id).toBe(FUNDERS.find((f) => f.name === want)!.id);
    expect(hit!.score).toBeGreaterThanOrEqual(FUNDER_THRESHOLD);
    expect(hit!.score).toBeLessThanOrEqual(1);
  });

  it.each([
    "Acme Widgets",
    "Self Pay",
    "Private",
    "Kaiser Permanente",
    "Health",
    "Texas",
    "Insurance Company",
    "",
    "ABCD Health",
    "Mediacre",
  ])("%s → no funder", (insurance) => {
    expect(closestFunder(insurance, FUNDERS)).toBeNull();
  });

  it("gives the exact name its full score, and tells Medicare from Medicaid", () => {
    expect(closestFunder("Medicare", FUNDERS)).toEqual({ id: 103, name: "Medicare", score: 1 });
    expect(closestFunder("Medicaid", FUNDERS)).toEqual({ id: 104, name: "Medicaid", score: 1 });
    expect(insurerScore("Medicare", "Medicaid")).toBeLessThan(FUNDER_THRESHOLD);
  });

  it("suggests nothing when two funders fit as well (the reviewer chooses)", () => {
    const two = [
      { id: 1, name: "Aetna Better Health" },
      { id: 2, name: "Aetna Medicare" },
    ];
    expect(closestFunder("Aetna", two)).toBeNull();
    expect(closestFunder("Aetna Medicare", two)?.id).toBe(2);
    expect(closestFunder(null, two)).toBeNull();
    expect(closestFunder("Aetna", [])).toBeNull();
  });

  it("is symmetric and bounded", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const s = insurerScore(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(insurerScore(b, a)).toBeCloseTo(s, 10);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("nameSimilarity", () => {
  const p = (first: string, last: string) => ({ first, last });
  it.each([
    [p("John", "Smith"), p("John", "Smith"), 1],
    [p("JOHN", "smith"), p("john", "SMITH"), 1],
    [p("José", "García"), p("Jose", "Garcia"), 1],
    [p("Mary-Jane", "O'Neil"), p("Mary Jane", "ONeil"), 1],
    [p("Garcia", "Jose"), p("Jose", "Garcia"), 1],
    [p("Jose Garcia", ""), p("Jose", "Garcia"), 1],
    [p("Ana", "Garcia Lopez"), p("Ana", "Garcia"), 0.95],
    [p("J.", "Smith"), p("John", "Smith"), 0.9],
    [p("Jon", "Smith"), p("John", "Smith"), 0.875],
  ])("%o ~ %o = %s", (a, b, want) => {
    expect(nameSimilarity(a, b)).toBeCloseTo(want, 3);
    expect(nameSimilarity(b, a)).toBeCloseTo(want, 3);
  });

  it.each([
    [p("Jane", "Smith"), p("John", "Smith")],
    [p("Bob", "Smith"), p("Robert", "Smith")],
    [p("John", "Smith"), p("Peter", "Jones")],
    [p("Jane", "Smithsonian-Whitaker"), p("John", "Smithsonian-Whitaker")],
    [p("", ""), p("John", "Smith")],
  ])("%o and %o are different people", (a, b) => {
    expect(nameSimilarity(a, b)).toBeLessThan(SAME_CLIENT_THRESHOLD);
  });

  it("stays in [0, 1] and does not care about order", () => {
    const name = fc.record({ first: fc.string({ maxLength: 20 }), last: fc.string({ maxLength: 20 }) });
    fc.assert(
      fc.property(name, name, (a, b) => {
        const s = nameSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("sameClientLikely", () => {
  const c = (first: string, last: string, birthday: string | null) => ({ first, last, birthday });
  it("needs the same known birthday and alike names", () => {
    expect(sameClientLikely(c("Jon", "Smith", "1950-03-04"), c("John", "Smith", "1950-03-04"))).toBe(true);
    expect(sameClientLikely(c("Smith", "John", "1950-03-04"), c("John", "Smith", "1950-03-04T00:00:00Z"))).toBe(true);
    expect(sameClientLikely(c("John", "Smith", "1950-03-04"), c("John", "Smith", "1950-03-05"))).toBe(false);
    expect(sameClientLikely(c("John", "Smith", null), c("John", "Smith", null))).toBe(false);
    expect(sameClientLikely(c("John", "Smith", "03/04/1950"), c("John", "Smith", "03/04/1950"))).toBe(false);
    expect(sameClientLikely(c("Jane", "Smith", "1950-03-04"), c("John", "Smith", "1950-03-04"))).toBe(false);
  });
});

describe("disciplineOf", () => {
  itReturns("%s → %s", disciplineOf, [
    ["PT", "PT"],
    ["Physical Therapy", "PT"],
    ["physiotherapy", "PT"],
    ["Physical Therapy Evaluation", "PT"],
    ["OT", "OT"],
    ["Occupational therapy", "OT"],
    ["SN", "SN"],
    ["Skilled Nursing", "SN"],
    ["Skilled Nursing Visit", "SN"],
    ["RN", "SN"],
    ["LPN visit", "SN"],
    ["Nursing", "SN"],
    ["Wound care", "SN"],
    ["HHA", "HHA"],
    ["Home Health Aide", "HHA"],
    ["aide", "HHA"],
    ["Nursing aide", "HHA"],
    ["CNA", "HHA"],
    ["Infusion Nursing", "INFUSION"],
    ["IV infusion RN", "INFUSION"],
    ["Infusion", "INFUSION"],
    ["ST", "ST"],
    ["Speech-Language Pathology", "ST"],
    ["Speech therapy", "ST"],
    ["MSW", "MSW"],
    ["Medical Social Worker", "MSW"],
    ["social work", "MSW"],
  ]);

  it.each(["PT/OT", "Home Health", "Therapy", "", null, undefined, "physical", "Skilled nursing and physical therapy"])(
    "%s → null",
    (text) => {
      expect(disciplineOf(text)).toBeNull();
    },
  );
});

describe("similarity", () => {
  it("is 1 − Levenshtein distance / longer length", () => {
    expect(similarity("", "")).toBe(1);
    expect(similarity("abc", "abc")).toBe(1);
    expect(similarity("medicare", "medicaid")).toBe(0.75);
    expect(similarity("abc", "")).toBe(0);
  });
});
