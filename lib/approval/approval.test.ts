import { describe, expect, it } from "vitest";
import { previewRules } from "./preview";
import { ZApproval, type TApprovalInput } from "./schema";
import { approvalInput } from "../../test/support/fixtures";
import { isoDay } from "../../test/support/dates";

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
