/** The frequency grammar's readings (re-exported by lib/frequency/parse.ts, the module's contract). */
import type { Discipline } from "../form/discipline";
import type { Period, Weekday } from "./lexicon";

export type { Period, Weekday } from "./lexicon";

/** One AlayaCare authorization's rules (rule_type, rule_daily, rule_weekly, rule_monthly, rule_period, rule_<weekday>). */
export type FrequencyRule = {
  ruleType: "VISITS" | "HOURS";
  ruleDaily?: number;
  ruleWeekly?: number;
  ruleMonthly?: number;
  rulePeriod?: number;
  weekdays?: Partial<Record<Weekday, number>>;
};

/**
 * One authorization of the schedule. Its length is `weeks`, or (extras) `days` when the text gave
 * days that are not whole weeks, or `months`; none of them: until the referral's end.
 */
export type FrequencyPhase = {
  rule: FrequencyRule;
  weeks?: number;
  /** Extra: a length in days that is not whole weeks ("daily x 10 days"). */
  days?: number;
  /** Extra: a length in months ("1x/month x 3 months"). */
  months?: number;
  /** Extra: "every other week" is every 2 weeks; the rule then holds the nearest AlayaCare limits (an upper bound). */
  interval?: { every: number; per: Period };
  /** Extra: this phase's rule is a maximum (a range, "up to", an interval). */
  upTo?: boolean;
};

export type FrequencyReading =
  | {
      ok: true;
      phases: FrequencyPhase[];
      /** Some rule is a maximum rather than the schedule itself ("up to", "1-2x", "every other week", "as needed"). */
      upTo: boolean;
      explanation: string;
      /** Extra: the discipline the text starts with ("SN 1xw x 4w"). */
      discipline?: Discipline;
      /** Extra: the rules are a maximum used as needed ("2 hrs/day as needed"). */
      asNeeded?: true;
      /** Extra: as-needed visits beside the schedule ("1w4 + 2 PRN"), not in any rule. */
      plusAsNeeded?: number;
      /** Extra: an evaluation visit is mentioned ("PT eval & treat 2w4"), not in any rule. */
      evaluation?: true;
    }
  | { ok: false; reason: "as_needed" | "empty" | "unrecognised"; explanation: string };
