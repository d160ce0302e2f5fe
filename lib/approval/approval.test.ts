import { describe, expect, it } from "vitest";
import { prefillApproval, suggestRule, matchServiceCode } from "./prefill";
import { previewRules } from "./preview";
import { ZApproval, type TApprovalInput } from "./schema";
import { approvalInput, referencePayload } from "../../test/support/fixtures";
import { isoDay } from "../../test/support/sandbox";

const future = isoDay;

const valid = approvalInput;

const issuesOf = (input: TApprovalInput) => {
  const r = ZApproval.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("approval schema: the contract's rules, beside the field", () => {
  it("accepts a valid approval", () => expect(issuesOf(valid())).toEqual([]));
  it("refuses a daily rule with weekday rules", () => {
    expect(
      issuesOf(
        valid({
          authorizations: [
            { ruleType: "VISITS", ruleMode: "daily", ruleDaily: 1, weekdays: { monday: 1 }, firstDayOfWeek: 6 },
          ],
        }),
      ),
    ).toEqual(["authorizations.0.ruleMode: A daily rule cannot be combined with per-weekday rules"]);
  });
  it("refuses rule_daily above rule_monthly", () => {
    expect(
      issuesOf(
        valid({
          authorizations: [
            { ruleType: "HOURS", ruleMode: "daily", ruleDaily: 5, ruleMonthly: 4, weekdays: {}, firstDayOfWeek: 6 },
          ],
        }),
      ),
    ).toEqual(["authorizations.0.ruleDaily: The daily rule must be lower than or equal to the monthly rule"]);
  });
  it("refuses an end before the start and a start more than a year back", () => {
    expect(issuesOf(valid({ startDate: future(10), endDate: future(5) }))).toEqual([
      "endDate: End date must be on or after the start date",
    ]);
    expect(issuesOf(valid({ startDate: "2023-05-31", endDate: "2023-07-31" }))).toEqual([
      "startDate: Start date cannot be more than 1 year in the past",
    ]);
  });
  it("refuses an authorization without any limit, and fractional visits", () => {
    expect(
      issuesOf(
        valid({ authorizations: [{ ruleType: "VISITS", ruleMode: "weekdays", weekdays: {}, firstDayOfWeek: 6 }] }),
      )[0],
    ).toMatch(/Set at least one limit/);
    expect(
      issuesOf(
        valid({
          authorizations: [
            { ruleType: "VISITS", ruleMode: "weekdays", weekdays: {}, ruleWeekly: 1.5, firstDayOfWeek: 6 },
          ],
        }),
      ),
    ).toEqual(["authorizations.0.ruleWeekly: Visits are whole numbers"]);
  });
});

describe("prefill from the form", () => {
  it("suggests rules from clear text and nothing from unclear text", () => {
    expect(suggestRule("Twice a week")).toMatchObject({ ruleType: "VISITS", ruleWeekly: 2 });
    expect(suggestRule("10 visits total")).toMatchObject({ ruleType: "VISITS", rulePeriod: 10 });
    expect(suggestRule("20 hours total")).toMatchObject({ ruleType: "HOURS", rulePeriod: 20 });
    expect(suggestRule("3x/week")).toMatchObject({ ruleType: "VISITS", ruleWeekly: 3 });
    expect(suggestRule("3 times per week")).toMatchObject({ ruleWeekly: 3 });
    expect(suggestRule("daily")).toMatchObject({ ruleDaily: 1 });
    expect(suggestRule("as needed")).toBeNull();
  });
  it("fills dates, service code, member number, supplier and rules from the reference payload", () => {
    const p = referencePayload();
    const pre = prefillApproval({
      fields: p.form_data.fields,
      formSchemaId: p.form_data.form_schema_id ?? null,
      agencyOrgId: p.agency.alayamarket_org_id,
      serviceStart: "2023-05-31",
      serviceEnd: "2023-07-31",
      serviceCodes: [
        { id: 48, name: "Skilled Nursing" },
        { id: 50, name: "PT" },
      ],
      funders: [{ id: 9, name: "ABC Insurers" }],
    });
    expect(pre.values).toMatchObject({
      startDate: "2023-05-31",
      endDate: "2023-07-31",
      serviceCodeId: 50,
      funderId: 9,
      supplyPersonaId: p.agency.alayamarket_org_id,
    });
    expect(pre.values.authorizations[0]).toMatchObject({
      ruleType: "VISITS",
      ruleWeekly: 2,
      rulePeriod: 10,
      memberNumber: "1111111",
    });
    expect(pre.frequencyText).toBe("Twice a week");
    expect(pre.authorizationsText).toBe("10 visits total");
    expect(matchServiceCode("Physical Therapy", [{ id: 50, name: "PT" }])).toBe(50);
  });
});

describe("rule preview", () => {
  it("applies weekday, weekly and period limits over the period", () => {
    const p = previewRules("2023-05-31", "2023-07-31", {
      ruleMode: "weekdays",
      weekdays: { monday: 1, thursday: 1 },
      ruleWeekly: 2,
      rulePeriod: 10,
      firstDayOfWeek: 6,
    })!;
    expect(p.total).toBe(10);
    expect(p.perWeek).toBe(2);
    expect(
      p.days
        .filter((d) => d.allowed > 0)
        .map((d) => d.date)
        .slice(0, 3),
    ).toEqual(["2023-06-01", "2023-06-05", "2023-06-08"]);
  });
  it("caps a daily rule by the weekly limit in weeks starting on the chosen day", () => {
    const p = previewRules("2024-01-01", "2024-01-14", {
      ruleMode: "daily",
      ruleDaily: 2,
      weekdays: {},
      ruleWeekly: 5,
      firstDayOfWeek: 0,
    })!;
    expect(p.total).toBe(10);
    expect(p.days.slice(0, 4).map((d) => d.allowed)).toEqual([2, 2, 1, 0]);
  });
  it("says when nothing bounds the amount", () => {
    expect(
      previewRules("2024-01-01", "2024-01-07", { ruleMode: "weekdays", weekdays: {}, firstDayOfWeek: 6 })!.unbounded,
    ).toBe(true);
  });
});
