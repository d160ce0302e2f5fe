/**
 * The frequency grammar's meaning: the parser's items grouped into phases, each phase turned into
 * one AlayaCare rule and checked against the authorization table the sandbox enforces
 * (lib/authorization-rules.ts), so every reading it returns can be pushed as it is.
 *
 * Decisions (documented in the module's tests too):
 * - Listed weekdays set rule_<day> only; no rule_weekly is derived from them (the days already
 *   bound the week, and a derived weekly limit would go stale when the reviewer edits a day).
 *   A weekly figure the text states is kept beside them ("3x/week M/W/F").
 * - A listed day without its own amount gets 1 visit; when the text says more visits a week than
 *   days listed ("6x/week M-F"), or for hours, each day gets the weekly amount as its cap.
 * - "N days a week" with an amount a day sets rule_daily and rule_weekly = amount × N
 *   ("4 hrs/day 5 days/wk" → daily 4, weekly 20); without one, N visits a week.
 * - Hours a day beside visits a week are days a week ("2 hrs/day 3x/week" → daily 2, weekly 6);
 *   hours per visit multiply the visits ("3x/week, 2 hours each" → weekly 6 hours).
 * - A range keeps its upper bound ("1-2x/week" → weekly 2, upTo).
 * - Every k days / weeks / months has no AlayaCare rule: the nearest upper bound is set ("every
 *   other week" → weekly 1 and monthly 3, as a calendar month holds at most 3 fortnightly visits),
 *   with upTo.
 */
import {
  APP_AUTHORIZATION_RULE_OPTIONS,
  authorizationViolations,
  type AuthorizationRuleId,
} from "../authorization-rules";
import type { Discipline } from "../form/discipline";
import { GrammarError, type Amount, type Item, type Length, type Quantity } from "./items";
import { WEEKDAYS, type Period, type Unit, type Weekday } from "./lexicon";
import type { FrequencyPhase, FrequencyRule } from "./types";

const fail = (why: string): never => {
  throw new GrammarError(why);
};

type Slot = Period | "period" | "visit";
type DayGroup = { days: Weekday[]; amount?: Quantity };
type Clause = {
  slots: Partial<Record<Slot, Quantity>>;
  /** An amount without a rate: per listed day, per day of "N days a week", or over the period. */
  bare?: Quantity;
  groups: DayGroup[];
  /** "daily except Sunday": the days left out. */
  except?: Weekday[];
  daysPerWeek?: { amount: Amount; upTo: boolean };
  length?: Length;
  /** What was added last: a quantity a weekday list right after may take, or a list a quantity may bind to. */
  last?: Quantity | DayGroup | "other";
};

export type Built = {
  phases: FrequencyPhase[];
  discipline?: Discipline;
  asNeeded: boolean;
  plusAsNeeded?: number;
  evaluation: boolean;
};

const newClause = (): Clause => ({ slots: {}, groups: [] });
const hasLimit = (c: Clause) =>
  Object.keys(c.slots).length > 0 || !!c.bare || c.groups.length > 0 || !!c.daysPerWeek || !!c.except;
const isEmpty = (c: Clause) => !hasLimit(c) && !c.length;

/** Sets a part a clause gives once at most (days left out, days a week, its length); `twice`: why a second fails. */
function setOnce<K extends "except" | "daysPerWeek" | "length">(
  c: Clause,
  key: K,
  value: NonNullable<Clause[K]>,
  twice: string,
) {
  if (c[key]) fail(twice);
  c[key] = value;
  c.last = "other";
}

/** The items as phases: "then" starts a new phase, and so does a limit after a phase that has its length. */
export function buildPhases(items: readonly Item[]): Built {
  const clauses: Clause[] = [newClause()];
  const out: Built = { phases: [], asNeeded: false, evaluation: false };
  for (const { piece, before } of items) {
    if (piece.kind === "discipline") {
      if (out.discipline && out.discipline !== piece.code) fail("it names more than one discipline");
      out.discipline = piece.code;
      continue;
    }
    if (piece.kind === "evaluation") {
      out.evaluation = true;
      continue;
    }
    if (piece.kind === "asNeeded") {
      if (piece.count === undefined) out.asNeeded = true;
      else out.plusAsNeeded = (out.plusAsNeeded ?? 0) + piece.count;
      continue;
    }
    let cur = clauses[clauses.length - 1]!;
    const closed = !!cur.length && hasLimit(cur);
    if ((before === "strong" && !isEmpty(cur)) || (closed && piece.kind !== "length")) {
      cur = newClause();
      clauses.push(cur);
    }
    switch (piece.kind) {
      case "quantity":
        addQuantity(cur, piece);
        break;
      case "weekdays": {
        const taken = new Set(cur.groups.flatMap((g) => g.days));
        if (piece.days.some((d) => taken.has(d))) fail("a weekday is given twice");
        const group: DayGroup = { days: piece.days };
        // "4 hrs/day M-F", "2 hrs M/W/F, 1 hr Tu/Th": the amount just before belongs to these days
        const last = cur.last;
        if (last && last !== "other" && "kind" in last && (last === cur.bare || last === cur.slots.day)) {
          group.amount = last;
          if (last === cur.bare) delete cur.bare;
          else delete cur.slots.day;
        }
        cur.groups.push(group);
        cur.last = group;
        break;
      }
      case "except":
        setOnce(cur, "except", piece.days, "it leaves days out twice");
        break;
      case "daysPerWeek":
        setOnce(cur, "daysPerWeek", { amount: piece.amount, upTo: piece.upTo }, "it gives days a week twice");
        break;
      case "length":
        setOnce(cur, "length", piece.length, "it gives a length twice");
        break;
    }
  }
  const phasesClauses = clauses.filter((c) => !isEmpty(c));
  phasesClauses.forEach((c, i) => {
    if (!hasLimit(c)) fail("a length is given without an amount");
    if (i < phasesClauses.length - 1 && !c.length) fail("a phase other than the last has no length");
    out.phases.push(buildPhase(c));
  });
  return out;
}

function addQuantity(c: Clause, q: Quantity): void {
  const per = q.rate?.per;
  const last = c.last;
  const openGroup = last && last !== "other" && "days" in last && !last.amount ? last : undefined;
  const implicitSlot = (Object.keys(c.slots) as Slot[]).find((k) => c.slots[k]!.implicit);
  if (!per) {
    // "M/W/F 2 hrs": the days just before take the amount
    if (openGroup) {
      openGroup.amount = q;
      c.last = "other";
      return;
    }
    // "daily, 2 hrs" = "2 hrs daily"
    if (implicitSlot && !c.bare) {
      const merged: Quantity = {
        ...c.slots[implicitSlot]!,
        amount: q.amount,
        upTo: c.slots[implicitSlot]!.upTo || q.upTo,
      };
      delete merged.implicit;
      if (q.unit) merged.unit = q.unit;
      c.slots[implicitSlot] = merged;
      c.last = merged;
      return;
    }
    if (c.bare) fail("it gives two amounts without saying what they are per");
    c.bare = q;
    c.last = q;
    return;
  }
  // "2 hrs, daily" = "2 hrs daily"
  if (q.implicit && c.bare && c.last === c.bare && !c.slots[per]) {
    const merged: Quantity = { ...q, amount: c.bare.amount, upTo: q.upTo || c.bare.upTo };
    delete merged.implicit;
    if (c.bare.unit) merged.unit = c.bare.unit;
    else delete merged.unit;
    delete c.bare;
    c.slots[per] = merged;
    c.last = merged;
    return;
  }
  // "M-F 4 hrs/day"
  if (per === "day" && openGroup) {
    openGroup.amount = q;
    c.last = "other";
    return;
  }
  if (c.slots[per])
    fail(`it gives two amounts ${per === "period" ? "in total" : per === "visit" ? "per visit" : `a ${per}`}`);
  c.slots[per] = q;
  c.last = q;
}

// ------------------------------------------------------------------ one phase

type Q = { value: number; unit?: Unit; upTo: boolean; every: number };

const toQ = (q: Quantity): Q => ({
  value: q.amount.value,
  unit: q.unit,
  upTo: q.upTo || q.amount.upTo,
  every: q.rate && "every" in q.rate ? q.rate.every : 1,
});

function buildPhase(c: Clause): FrequencyPhase {
  const slot = (k: Slot) => (c.slots[k] ? toQ(c.slots[k]!) : undefined);
  const day = slot("day");
  const week = slot("week");
  const month = slot("month");
  let period = slot("period");
  const perVisit = slot("visit");
  let bare = c.bare ? toQ(c.bare) : undefined;
  const groups = c.groups.map((g) => ({ days: g.days, amount: g.amount ? toQ(g.amount) : undefined }));
  if (c.except) {
    // "daily except Sunday": the other days, each taking the amount a day
    if (groups.length) fail("it both lists days and leaves days out");
    const left = WEEKDAYS.filter((d) => !c.except!.includes(d));
    if (!left.length) fail("it leaves every day out");
    groups.push({ days: left, amount: undefined });
  }
  const counts = (): Array<Q | undefined> => [day, week, month, period, bare, ...groups.map((g) => g.amount)];

  // Hours per visit: the visit counts become hours ("3x/week, 2 hours each").
  if (perVisit) {
    if (perVisit.unit !== "HOURS") fail("an amount per visit must be in hours");
    const visits = counts().filter((q): q is Q => !!q);
    if (visits.some((q) => q.unit === "HOURS")) fail("it gives hours per visit beside other hours");
    if (!visits.length) {
      if (!groups.length && !c.daysPerWeek) fail("it gives hours per visit without the visits");
      bare = perVisit;
    } else {
      for (const q of visits) {
        q.value *= perVisit.value;
        q.unit = "HOURS";
      }
    }
  }
  const all = counts().filter((q): q is Q => !!q);
  const hours = all.some((q) => q.unit === "HOURS");
  // Hours a day beside visits: the visits are days ("2 hrs/day 3x/week" → 6 hours a week).
  if (hours && all.some((q) => q.unit !== "HOURS")) {
    const dayHours = [day, ...groups.map((g) => g.amount), c.daysPerWeek || groups.length ? bare : undefined].filter(
      (q): q is Q => q?.unit === "HOURS",
    );
    const perDay = dayHours[0];
    if (!perDay || dayHours.some((q) => q.value !== perDay.value)) fail("it mixes hours and visits");
    for (const q of [week, month, period]) {
      if (q && q.unit !== "HOURS") {
        q.value *= perDay!.value;
        q.unit = "HOURS";
      }
    }
    if (counts().some((q) => q && q.unit !== "HOURS")) fail("it mixes hours and visits");
  }
  const ruleType: Unit = hours ? "HOURS" : "VISITS";
  const rule: FrequencyRule = { ruleType };
  let interval: FrequencyPhase["interval"];
  const noteInterval = (q: Q, per: Period) => {
    if (q.every <= 1) return;
    if (interval) fail("it gives two intervals");
    interval = { every: q.every, per };
  };

  // The amount each day takes: a rate per day, or a bare amount beside weekdays or days a week.
  const perDay = day ?? (groups.length || c.daysPerWeek ? bare : undefined);
  if (perDay === bare) bare = undefined;
  if (groups.length) {
    if (perDay && groups.every((g) => g.amount)) fail("it gives an amount a day that no weekday takes");
    if (perDay && perDay.every > 1) fail("an interval of days cannot be set on weekdays");
    const listed = groups.reduce((n, g) => n + g.days.length, 0);
    const weekdays: Partial<Record<Weekday, number>> = {};
    for (const g of groups) {
      const a = g.amount ?? perDay;
      let value: number;
      if (a) {
        if (a.every > 1) fail("an interval of days cannot be set on weekdays");
        value = a.value;
      } else if (ruleType === "VISITS") {
        value = week && week.value > listed ? week.value : 1;
      } else {
        value = week?.value ?? fail("it names days without the hours on them");
      }
      for (const d of g.days) weekdays[d] = value;
    }
    rule.weekdays = Object.fromEntries(WEEKDAYS.filter((d) => weekdays[d] !== undefined).map((d) => [d, weekdays[d]!]));
  } else if (perDay) {
    rule.ruleDaily = perDay.value;
    if (perDay.every > 1) {
      noteInterval(perDay, "day");
      // at most ceil(7 / k) days a week hold a visit
      if (!week) rule.ruleWeekly = perDay.value * Math.ceil(7 / perDay.every);
    }
  }
  if (c.daysPerWeek) {
    const n = c.daysPerWeek.amount.value;
    if (!Number.isInteger(n) || n < 1 || n > 7) fail("days a week must be a whole number from 1 to 7");
    const listed = groups.reduce((k, g) => k + g.days.length, 0);
    if (groups.length && n > listed) fail("it gives more days a week than the days it lists");
    if (!week) {
      const dayAmounts = groups.length ? groups.map((g) => g.amount ?? perDay) : [perDay];
      const most = Math.max(...dayAmounts.map((a) => a?.value ?? 0));
      if (most > 0) rule.ruleWeekly = most * n;
      else if (ruleType === "VISITS") rule.ruleWeekly = n;
      else fail("it gives days a week without the hours on them");
    }
  }
  if (bare) {
    if (period) fail("it gives two amounts in total");
    if (!bare.unit) fail("it gives a number without saying what it counts");
    // "10 visits over 4 weeks", "up to 10 visits"; "2 visits, 2x/week" is left to the reviewer
    if (!(c.length || bare.upTo)) fail("it gives an amount without saying what it is per");
    period = bare;
  }
  if (week) {
    rule.ruleWeekly = week.value;
    if (week.every > 1) {
      noteInterval(week, "week");
      // a calendar month (31 days) holds at most ceil(31 / 7k) visits of an every-k-weeks schedule
      if (!month) rule.ruleMonthly = week.value * Math.ceil(31 / (7 * week.every));
    }
  }
  if (month) {
    rule.ruleMonthly = month.value;
    noteInterval(month, "month");
  }
  if (period) rule.rulePeriod = period.value;

  const upTo = all.some((q) => q.upTo) || !!c.daysPerWeek?.upTo || !!interval;
  checkRule(rule);
  const phase: FrequencyPhase = { rule };
  if (interval) phase.interval = interval;
  if (upTo) phase.upTo = true;
  if (c.length)
    Object.assign(phase, lengthOf(c.length, week || groups.length ? "week" : day ? "day" : month ? "month" : "week"));
  return phase;
}

function lengthOf(length: Length, fallback: Period): Pick<FrequencyPhase, "weeks" | "days" | "months"> {
  const per = length.per ?? fallback;
  const n = length.count;
  const max = per === "day" ? 3660 : per === "week" ? 520 : 120;
  if (!Number.isInteger(n) || n < 1 || n > max) fail("its length is not a whole number of days, weeks or months");
  if (per === "week") return { weeks: n };
  if (per === "month") return { months: n };
  return n % 7 === 0 ? { weeks: n / 7 } : { days: n };
}

// ------------------------------------------------------------------ the rules a reading must keep

/** The editor's bound (lib/approval/schema.ts): an amount above it is refused there. */
const MAX_AMOUNT = 10_000;

const RULE_REASONS: Partial<Record<AuthorizationRuleId, string>> = {
  "rule-non-negative": "an amount is negative",
  "daily-not-with-weekday": "it gives both an amount a day and amounts per weekday",
  "daily-le-monthly": "its amount a day is above its amount a month",
  "daily-le-weekly": "its amount a day is above its amount a week",
  "weekly-le-monthly": "its amount a week is above its amount a month",
};

/** The rule as the ACCloud body fields the push sends (rule_type, rule_daily, rule_<weekday> …). */
function ruleBody(rule: FrequencyRule): Record<string, unknown> {
  const body: Record<string, unknown> = { rule_type: rule.ruleType };
  if (rule.ruleDaily !== undefined) body.rule_daily = rule.ruleDaily;
  if (rule.ruleWeekly !== undefined) body.rule_weekly = rule.ruleWeekly;
  if (rule.ruleMonthly !== undefined) body.rule_monthly = rule.ruleMonthly;
  if (rule.rulePeriod !== undefined) body.rule_period = rule.rulePeriod;
  for (const d of WEEKDAYS) if (rule.weekdays?.[d] !== undefined) body[`rule_${d}`] = rule.weekdays[d];
  return body;
}

/** Refuses a rule AlayaCare or the editor would refuse, or that no agency means (25 hours a day). */
function checkRule(rule: FrequencyRule): void {
  const values = [
    rule.ruleDaily,
    rule.ruleWeekly,
    rule.ruleMonthly,
    rule.rulePeriod,
    ...Object.values(rule.weekdays ?? {}),
  ].filter((v): v is number => v !== undefined);
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) fail("an amount is zero");
  if (values.some((v) => v > MAX_AMOUNT)) fail("an amount is too large");
  if (rule.ruleType === "VISITS" && values.some((v) => !Number.isInteger(v))) fail("visits are whole numbers");
  if (rule.ruleType === "HOURS") {
    const perDay = [rule.ruleDaily, ...Object.values(rule.weekdays ?? {})].filter((v): v is number => v !== undefined);
    if (perDay.some((v) => v > 24) || (rule.ruleWeekly ?? 0) > 168)
      fail("it gives more hours than a day or a week has");
  }
  const ctx = { options: APP_AUTHORIZATION_RULE_OPTIONS, now: new Date() };
  for (const v of authorizationViolations(ruleBody(rule), ctx)) {
    const why = RULE_REASONS[v.rule];
    if (why) fail(why);
  }
}
