/** A reading in plain English for the reviewer ("2 visits a week for 4 weeks, then 1 visit a week for 2 weeks"). */
import { WEEKDAYS, type Weekday } from "./lexicon";
import type { FrequencyPhase, FrequencyRule } from "./types";

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const plural = (n: number, word: string) => `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;
const amount = (rule: FrequencyRule, n: number) => plural(n, rule.ruleType === "HOURS" ? "hour" : "visit");
const NAMES: Record<Weekday, string> = {
  monday: "Monday",
  tuesday: "Tuesday",
  wednesday: "Wednesday",
  thursday: "Thursday",
  friday: "Friday",
  saturday: "Saturday",
  sunday: "Sunday",
};

/** "A", "A and B", "A, B and C". */
function listing(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** "Monday, Wednesday and Friday", "Monday to Friday" (three or more days in a row). */
function dayList(days: readonly Weekday[]): string {
  const idx = days.map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const i of idx) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === i - 1) run.push(i);
    else runs.push([i]);
  }
  return listing(
    runs.flatMap((r) =>
      r.length >= 3
        ? [`${NAMES[WEEKDAYS[r[0]!]!]} to ${NAMES[WEEKDAYS[r[r.length - 1]!]!]}`]
        : r.map((i) => NAMES[WEEKDAYS[i]!]),
    ),
  );
}

/** The limits of one rule: "4 hours a day and 20 hours a week". */
export function ruleText(rule: FrequencyRule): string {
  const parts: string[] = [];
  if (rule.ruleDaily !== undefined) parts.push(`${amount(rule, rule.ruleDaily)} a day`);
  if (rule.weekdays) {
    const byValue = new Map<number, Weekday[]>();
    for (const d of WEEKDAYS) {
      const v = rule.weekdays[d];
      if (v !== undefined) byValue.set(v, [...(byValue.get(v) ?? []), d]);
    }
    for (const [v, days] of byValue) parts.push(`${amount(rule, v)} every ${dayList(days)}`);
  }
  if (rule.ruleWeekly !== undefined) parts.push(`${amount(rule, rule.ruleWeekly)} a week`);
  if (rule.ruleMonthly !== undefined) parts.push(`${amount(rule, rule.ruleMonthly)} a month`);
  if (rule.rulePeriod !== undefined) parts.push(`${amount(rule, rule.rulePeriod)} in total`);
  // a list of days inside a list of limits reads badly: "…Wednesday and Friday; 3 visits a week"
  return parts.some((p) => p.includes(" and ")) ? parts.join("; ") : listing(parts);
}

function lengthText(p: FrequencyPhase): string {
  if (p.weeks !== undefined) return ` for ${plural(p.weeks, "week")}`;
  if (p.days !== undefined) return ` for ${plural(p.days, "day")}`;
  if (p.months !== undefined) return ` for ${plural(p.months, "month")}`;
  return "";
}

const hasLength = (p: FrequencyPhase) => p.weeks !== undefined || p.days !== undefined || p.months !== undefined;

function phaseText(p: FrequencyPhase): string {
  const rules = ruleText(p.rule);
  if (p.interval) {
    const r = p.rule;
    const n = p.interval.per === "day" ? r.ruleDaily : p.interval.per === "week" ? r.ruleWeekly : r.ruleMonthly;
    return `${amount(r, n ?? 1)} every ${fmt(p.interval.every)} ${p.interval.per}s (at most ${rules})${lengthText(p)}`;
  }
  return `${p.upTo ? "up to " : ""}${rules}${lengthText(p)}`;
}

export function explainPhases(
  phases: readonly FrequencyPhase[],
  extras: { asNeeded?: boolean; plusAsNeeded?: number; evaluation?: boolean },
): string {
  let text = phases.map(phaseText).join(", then ");
  const last = phases[phases.length - 1];
  if (phases.length > 1 && last && !hasLength(last)) text += " until the end of the referral";
  if (extras.asNeeded) text += ", as needed";
  if (extras.plusAsNeeded) text += `, plus ${plural(extras.plusAsNeeded, "visit")} as needed (not in the rules)`;
  if (extras.evaluation) text += ", plus an evaluation visit (not in the rules)";
  return text.charAt(0).toUpperCase() + text.slice(1);
}
