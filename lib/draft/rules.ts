/**
 * The draft's authorizations from the form's "Service frequency" (and "Service authorizations"),
 * read by the frequency grammar (lib/frequency): one authorization per phase ("2w2, 1w2" → two),
 * each with its dates inside the referral's, consecutive. A total in "Service authorizations"
 * ("10 visits total") joins a one-phase frequency as its limit for the period. What the grammar
 * cannot read ("PRN", nothing) leaves the rules to the reviewer, and says so. Pure.
 */
import { parseFrequency, phaseDates, type FrequencyPhase, type FrequencyReading } from "../frequency/parse";
import {
  DRAFT_WEEKDAYS,
  type DraftAuthorization,
  type DraftFrequency,
  type RuleAmountKey,
  type Source,
  type V,
} from "./types";

export type FormText = { label: string; text: string | null };

export type DraftRules = {
  authorizations: DraftAuthorization[];
  frequency: DraftFrequency;
};

const NOT_READ = {
  empty: "no frequency was given",
  as_needed: "the frequency is as needed (PRN)",
  unrecognised: "the frequency could not be read",
} as const;

const quoted = (t: string) => `“${t.length > 80 ? `${t.slice(0, 77)}…` : t}”`;

/** Only a limit for the whole period, of one kind ("10 visits total"): it can join another reading. */
function periodOnly(r: FrequencyReading): { ruleType: "VISITS" | "HOURS"; rulePeriod: number } | null {
  if (!r.ok || r.phases.length !== 1 || r.upTo) return null;
  const p = r.phases[0]!;
  const { ruleType, rulePeriod, ...rest } = p.rule;
  const others = Object.values(rest).filter((v) => v !== undefined);
  if (rulePeriod === undefined || others.length || p.weeks || p.days || p.months) return null;
  return { ruleType, rulePeriod };
}

/**
 * The phases the form's texts give, and the source of each rule field: the frequency's, with a
 * total from "Service authorizations" joined when the frequency is one phase of the same kind
 * without one; else "Service authorizations" alone.
 */
export function readFrequency(
  frequency: FormText,
  authorizations: FormText,
  orderAgrees: Source | null,
): { phases: FrequencyPhase[]; sourceOf: (key: RuleAmountKey | "rule_type") => Source } & Omit<
  DraftRules,
  "authorizations"
> {
  const f = parseFrequency(frequency.text);
  const a = parseFrequency(authorizations.text);
  const texts = [frequency, authorizations].filter((t) => t.text).map((t) => ({ label: t.label, text: t.text! }));
  const formSource = (t: FormText): Source => ({
    kind: "form",
    label: t.label,
    text: `the form's ${`‘${t.label}’`}: ${quoted(t.text ?? "")}`,
  });
  if (f.ok) {
    const phases = f.phases.map((p) => ({ ...p, rule: { ...p.rule } }));
    const total = periodOnly(a);
    let joined = false;
    if (
      total &&
      phases.length === 1 &&
      phases[0]!.rule.ruleType === total.ruleType &&
      phases[0]!.rule.rulePeriod === undefined
    ) {
      phases[0]!.rule.rulePeriod = total.rulePeriod;
      joined = true;
    }
    const main = orderAgrees ?? formSource(frequency);
    return {
      phases,
      sourceOf: (key) => (joined && key === "rule_period" ? formSource(authorizations) : main),
      frequency: {
        texts,
        readable: true,
        explanation: joined ? `${f.explanation}; ${a.ok ? a.explanation.toLowerCase() : ""}` : f.explanation,
      },
    };
  }
  if (a.ok) {
    return {
      phases: a.phases,
      sourceOf: () => formSource(authorizations),
      frequency: {
        texts,
        readable: true,
        explanation: `${a.explanation}, from ‘${authorizations.label}’ (${NOT_READ[f.reason]})`,
      },
    };
  }
  return {
    phases: [],
    sourceOf: () => formSource(frequency),
    frequency: { texts, readable: false, explanation: f.explanation },
  };
}

const RULE_FIELDS: Array<[RuleAmountKey, (p: FrequencyPhase) => number | undefined]> = [
  ["rule_daily", (p) => p.rule.ruleDaily],
  ["rule_weekly", (p) => p.rule.ruleWeekly],
  ["rule_monthly", (p) => p.rule.ruleMonthly],
  ["rule_period", (p) => p.rule.rulePeriod],
  ...DRAFT_WEEKDAYS.map(
    (d) =>
      [`rule_${d}` as RuleAmountKey, (p: FrequencyPhase) => p.rule.weekdays?.[d]] as [
        RuleAmountKey,
        (p: FrequencyPhase) => number | undefined,
      ],
  ),
];

/** An authorization with no rules: the reviewer sets them (the member number and dates still drafted). */
export function emptyDraftAuthorization(): DraftAuthorization {
  return {
    rule_type: null,
    ...(Object.fromEntries(RULE_FIELDS.map(([k]) => [k, null])) as Record<RuleAmountKey, V<number>>),
    start_at: null,
    end_at: null,
    member_number: null,
  };
}

/**
 * The authorizations: one per phase with dates (phaseDates: consecutive, inside the referral's
 * dates; a phase past the referral's end is left out), or one without rules when nothing could be
 * read. A single phase covers the referral's dates.
 */
export function draftRules(input: {
  frequency: FormText;
  authorizations: FormText;
  start: V<string>;
  end: V<string>;
  memberNumber: V<string>;
  orderAgrees: Source | null;
}): DraftRules {
  const read = readFrequency(input.frequency, input.authorizations, input.orderAgrees);
  const { start, end } = input;
  const base = () => ({ ...emptyDraftAuthorization(), member_number: input.memberNumber });
  if (!read.phases.length)
    return { authorizations: [{ ...base(), start_at: start, end_at: end }], frequency: read.frequency };
  const dates = read.phases.length > 1 && start && end ? phaseDates(read.phases, start.value, end.value) : null;
  const phases = dates ? read.phases.slice(0, Math.max(dates.length, 1)) : read.phases.slice(0, 1);
  const authorizations = phases.map((p, i) => {
    const auth = base();
    auth.rule_type = { value: p.rule.ruleType, source: read.sourceOf("rule_type") };
    for (const [key, get] of RULE_FIELDS) {
      const v = get(p);
      auth[key] = v === undefined ? null : { value: v, source: read.sourceOf(key) };
    }
    const range = dates?.[i];
    if (range) {
      const text = `phase ${i + 1} of ${read.phases.length} of the frequency, inside the referral's dates`;
      auth.start_at = {
        value: range.start,
        source: { kind: "rule", text: i ? `${text}, from the day after phase ${i}` : text },
      };
      auth.end_at = { value: range.end, source: { kind: "rule", text } };
    } else {
      auth.start_at = start;
      auth.end_at = end;
    }
    return auth;
  });
  const shortBy = read.phases.length - authorizations.length;
  const frequency =
    shortBy > 0 && dates
      ? {
          ...read.frequency,
          explanation: `${read.frequency.explanation} (the referral ends before the last ${shortBy === 1 ? "phase" : `${shortBy} phases`})`,
        }
      : read.frequency;
  return { authorizations, frequency };
}
