import { describe, expect, it } from "vitest";
import {
  APP_AUTHORIZATION_RULE_OPTIONS,
  AUTHORIZATION_RULES,
  authorizationViolations,
  existingAuthorizationViolation,
  firstAuthorizationViolation,
  oneYearBefore,
  OVERLAP_MESSAGE,
  overlappingAuthorization,
  type AuthorizationRuleOptions,
  type ExistingAuthorization,
} from "./authorization-rules";

const now = new Date("2025-06-15T12:00:00Z");
const ctx = (over: Partial<AuthorizationRuleOptions> = {}) => ({
  options: { ...APP_AUTHORIZATION_RULE_OPTIONS, ...over },
  now,
});
const body = (over: Record<string, unknown> = {}) => ({
  client_id: 1,
  service_ids: [10],
  start_at: "2025-07-01",
  end_at: "2025-07-31",
  methodology: "service",
  rule_type: "HOURS",
  first_day_of_week: 6,
  ...over,
});
const ids = (b: Record<string, unknown>, c = ctx()) => authorizationViolations(b, c).map((v) => `${v.rule}:${v.field}`);

describe("the authorization rule table", () => {
  it("has one entry per id, each naming the fields it reads", () => {
    expect(new Set(AUTHORIZATION_RULES.map((r) => r.id)).size).toBe(AUTHORIZATION_RULES.length);
    for (const r of AUTHORIZATION_RULES) expect(r.fields.length).toBeGreaterThan(0);
  });

  it("reports every broken rule in the sandbox's order, the first one being its answer", () => {
    const b = body({
      start_at: "2024-06-01",
      end_at: "2024-05-31",
      rule_daily: 9,
      rule_weekly: 8,
      rule_monthly: 7,
      rule_monday: 1,
    });
    expect(ids(b)).toEqual([
      "start-within-year:start_at",
      "end-not-before-start:end_at",
      "daily-not-with-weekday:rule_daily",
      "daily-le-monthly:rule_daily",
      "daily-le-weekly:rule_daily",
      "weekly-le-monthly:rule_weekly",
    ]);
    expect(firstAuthorizationViolation(b, ctx())).toEqual({
      rule: "start-within-year",
      status: 400,
      field: "start_at",
      message: "`start_at` cannot be more than 1 year in the past.",
    });
    expect(firstAuthorizationViolation(body({ rule_period: -1, rule_custom: "x" }), ctx(), "format")?.message).toBe(
      "`rule_period` must be a number ≥ 0.",
    );
    expect(ids(body({ rule_period: -1, rule_custom: "x" }))).toEqual([
      "rule-non-negative:rule_period",
      "rule-non-negative:rule_custom",
    ]);
    expect(ids(body())).toEqual([]);
  });

  it("follows the open questions' switches", () => {
    expect(ids(body({ rule_daily: 2, rule_sunday: 0 }))).toEqual(["daily-not-with-weekday:rule_daily"]);
    expect(ids(body({ rule_daily: 2, rule_sunday: 0 }), ctx({ zeroRuleCountsAsSet: false }))).toEqual([]);
    expect(
      ids(body({ rule_daily: 2, rule_weekly: 1, rule_monthly: 1.5 }), ctx({ enforceDailyWeeklyMonthly: false })),
    ).toEqual(["daily-le-monthly:rule_daily"]);
    expect(ids(body({ start_at: "2025-07-01T00:00:00-05:00" }))).toEqual(["start-at-date:start_at"]);
    expect(
      ids(
        body({ start_at: "2025-07-01T00:00:00-05:00", end_at: "2025-06-30T23:00:00Z" }),
        ctx({ authorizationDatesDateOnly: false }),
      ),
    ).toEqual(["end-not-before-start:end_at"]);
  });

  it("a start exactly one year back is allowed, a day more is not", () => {
    expect(oneYearBefore(now)).toBe("2024-06-15");
    expect(ids(body({ start_at: "2024-06-15" }))).toEqual([]);
    expect(ids(body({ start_at: "2024-06-14" }))).toEqual(["start-within-year:start_at"]);
  });

  describe("overlap (same client, same payor, overlapping dates, shared services in a different combination)", () => {
    const stored = (over: Partial<ExistingAuthorization> = {}): ExistingAuthorization => ({
      id: 1,
      service_ids: [10, 11],
      payor_id: null,
      start_at: "2025-07-15",
      end_at: "2025-08-15",
      ...over,
    });
    const o = APP_AUTHORIZATION_RULE_OPTIONS;
    it("conflicts only when every condition holds", () => {
      expect(overlappingAuthorization(body(), [stored()], o)?.id).toBe(1);
      expect(existingAuthorizationViolation(body(), [stored()], ctx())).toEqual({
        rule: "no-overlap",
        status: 409,
        field: "service_ids",
        message: OVERLAP_MESSAGE,
      });
      expect(overlappingAuthorization(body({ service_ids: [11, 10, 10] }), [stored()], o)).toBeUndefined(); // the same set
      expect(overlappingAuthorization(body(), [stored({ service_ids: [10] })], o)).toBeUndefined(); // the same set
      expect(overlappingAuthorization(body(), [stored({ service_ids: [12, 13] })], o)).toBeUndefined(); // nothing shared
      expect(overlappingAuthorization(body(), [stored({ payor_id: 9 })], o)).toBeUndefined(); // another payor
      expect(overlappingAuthorization(body({ payor_id: 9 }), [stored({ payor_id: 9 })], o)?.id).toBe(1);
      expect(overlappingAuthorization(body(), [stored({ start_at: "2025-08-01", end_at: null })], o)).toBeUndefined(); // after
      expect(overlappingAuthorization(body(), [stored({ start_at: "2025-07-31", end_at: null })], o)?.id).toBe(1); // a shared day, open-ended
      expect(
        overlappingAuthorization(body({ end_at: null }), [stored({ start_at: "2030-01-01", end_at: "2030-01-02" })], o)
          ?.id,
      ).toBe(1);
      expect(overlappingAuthorization(body({ service_ids: [] }), [stored()], o)).toBeUndefined();
      expect(
        overlappingAuthorization(body(), [stored()], { ...o, rejectOverlappingAuthorizations: false }),
      ).toBeUndefined();
    });
  });
});
