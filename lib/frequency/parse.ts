/**
 * What agencies write as a frequency, as AlayaCare authorization rules: "Twice a week", "2x/wk",
 * "BID", "M/W/F", "4 hrs/day 5 days/wk", "2w2, 1w2" (phases), "10 visits total", "up to 3 visits a
 * week". What cannot be read ("PRN", "as needed", nothing) is said so, and the rules are left to
 * the reviewer. A tokenizer (tokenize.ts), a recursive-descent grammar (grammar.ts) and the
 * meaning of its items (build.ts); pure, safe in the browser.
 */
import { buildPhases } from "./build";
import { explainPhases } from "./explain";
import { Parser } from "./grammar";
import { GrammarError } from "./items";
import { EMPTY_VALUES } from "./lexicon";
import { tokenize } from "./tokenize";
import type { FrequencyPhase, FrequencyReading, FrequencyRule } from "./types";

export type { FrequencyPhase, FrequencyReading, FrequencyRule, Weekday } from "./types";
export { phaseDates } from "./dates";

/** Longer values are not a frequency (a pasted note): refused before tokenizing. */
const MAX_LENGTH = 500;

const EMPTY = "No frequency was given: the reviewer sets the rules.";
const AS_NEEDED = "As needed (PRN): no limit can be read from it, so the reviewer sets the rules.";
const unrecognised = (why: string) => `The frequency could not be read (${why}): the reviewer sets the rules.`;

export function parseFrequency(text: string | null | undefined): FrequencyReading {
  if (typeof text !== "string") return { ok: false, reason: "empty", explanation: EMPTY };
  const compact = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
  if (compact === "" || EMPTY_VALUES.has(compact)) return { ok: false, reason: "empty", explanation: EMPTY };
  if (text.length > MAX_LENGTH)
    return { ok: false, reason: "unrecognised", explanation: unrecognised("it is too long for a frequency") };
  try {
    const items = new Parser(tokenize(text)).parse();
    const built = buildPhases(items);
    if (!built.phases.length) {
      if (built.asNeeded || built.plusAsNeeded !== undefined) {
        const count = built.plusAsNeeded ? ` (${built.plusAsNeeded} visit${built.plusAsNeeded === 1 ? "" : "s"})` : "";
        return { ok: false, reason: "as_needed", explanation: AS_NEEDED.replace("(PRN)", `(PRN)${count}`) };
      }
      if (!items.length) return { ok: false, reason: "empty", explanation: EMPTY };
      return { ok: false, reason: "unrecognised", explanation: unrecognised("it gives no amount") };
    }
    const upTo = built.asNeeded || built.phases.some((p) => p.upTo);
    const reading: FrequencyReading = {
      ok: true,
      phases: built.phases,
      upTo,
      explanation: explainPhases(built.phases, built),
    };
    if (built.discipline) reading.discipline = built.discipline;
    if (built.asNeeded) reading.asNeeded = true;
    if (built.plusAsNeeded) reading.plusAsNeeded = built.plusAsNeeded;
    if (built.evaluation) reading.evaluation = true;
    return reading;
  } catch (e) {
    const why = e instanceof GrammarError ? e.message : "it is not a frequency this grammar knows";
    return { ok: false, reason: "unrecognised", explanation: unrecognised(why) };
  }
}

/** A rule's fields in a fixed order, absent ones left out, so equal rules give equal keys. */
function ruleKey(r: FrequencyRule): string {
  return JSON.stringify([
    r.ruleType,
    r.ruleDaily ?? null,
    r.ruleWeekly ?? null,
    r.ruleMonthly ?? null,
    r.rulePeriod ?? null,
    r.weekdays ?? null,
  ]);
}
const phaseKey = (p: FrequencyPhase) =>
  JSON.stringify([ruleKey(p.rule), p.weeks ?? null, p.days ?? null, p.months ?? null]);

/**
 * Do two texts give the same rules ("Twice a week" and "2x/week")? The discipline is not compared;
 * "up to" and extra as-needed visits are ("1-2x/week" is not "2x/week"). null when either side
 * cannot be read.
 */
export function sameFrequency(a: string, b: string): boolean | null {
  const x = parseFrequency(a);
  const y = parseFrequency(b);
  if (!x.ok || !y.ok) return null;
  return (
    x.upTo === y.upTo &&
    (x.plusAsNeeded ?? 0) === (y.plusAsNeeded ?? 0) &&
    x.phases.length === y.phases.length &&
    x.phases.every((p, i) => phaseKey(p) === phaseKey(y.phases[i]!))
  );
}
