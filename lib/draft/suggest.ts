/**
 * The draft's suggestions from what reviewers chose before (DraftHistory) and, where they chose
 * nothing yet, from ACCloud's reference data (marked as a guess): the funder, the service code,
 * the care type and the case manager, each with its evidence in words and the other values for
 * the editor's "Other choices". Pure, no I/O.
 */
import { closestFunder, insurerScore, normaliseInsurer } from "./match";
import { disciplineOf } from "../form/discipline";
import type { Alternative, CareType, CaseManager, Counted, DraftCaseManager, DraftHistory, Source, V } from "./types";

export type Named = { id: number; name: string };

export const quote = (s: string) => `‘${s}’`;
const approvals = (n: number) => `${n} approval${n === 1 ? "" : "s"}`;
const day = (iso: string) => iso.slice(0, 10);

/** Most chosen first; of two chosen as often, the one chosen last. */
export function ranked<T>(counts: readonly Counted<T>[]): Counted<T>[] {
  return [...counts].sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
}

export function historySource(count: number, of: number, key: string, scope = ""): Source {
  return {
    kind: "history",
    count,
    of,
    key,
    text: `chosen in ${count} of ${approvals(of)} for ${quote(key)}${scope}`,
  };
}

/** Two insurance names that stand for the same insurer: equal once normalised, or close (lib/draft/match.ts). */
export function sameInsurer(a: string, b: string): boolean {
  const x = normaliseInsurer(a);
  return x !== "" && (x === normaliseInsurer(b) || insurerScore(a, b) >= 0.85);
}

type Suggestion<T> = { value: V<T>; alternatives: Alternative<T>[] };

/** The value chosen most for this key that still exists in the reference data, and the others as alternatives. */
function fromHistory<T extends number | string>(
  counts: readonly Counted<T>[],
  total: number,
  key: string,
  label: (v: T) => string | null,
  scope = "",
): Suggestion<T> {
  const known = ranked(counts).filter((c) => label(c.value) !== null);
  const alternatives = known.map((c) => ({
    value: c.value,
    label: label(c.value)!,
    count: c.count,
    text: `chosen in ${c.count} of ${approvals(total)} for ${quote(key)}${scope}`,
  }));
  const top = known[0];
  return {
    value: top ? { value: top.value, source: historySource(top.count, total, key, scope) } : null,
    alternatives,
  };
}

/** A value from the reference data where no approval says what to choose yet: `hit`'s id, marked as a guess. */
const referenceGuess = (hit: { id: number } | null, text: string): V<number> =>
  hit ? { value: hit.id, source: { kind: "reference", guess: true, text } } : null;

const nameOf = (list: readonly Named[]) => (id: number) => list.find((x) => x.id === id)?.name ?? null;

/**
 * The funder: the one chosen most for this insurer (matched fuzzily), else the ACCloud funder
 * whose name is closest to the insurer's, as a guess.
 */
export function suggestFunder(history: DraftHistory["insurer"], funders: readonly Named[]): Suggestion<number> {
  const insurer = history.name;
  if (!insurer) return { value: null, alternatives: [] };
  const fromPast = fromHistory(history.funders, history.total, insurer, nameOf(funders));
  if (fromPast.value) return fromPast;
  const hit = closestFunder(insurer, funders);
  const close = funders
    .map((f) => ({ f, score: insurerScore(insurer, f.name) }))
    .filter((x) => x.score >= 0.6)
    .sort((a, b) => b.score - a.score)
    .slice(0, 4)
    .map(({ f }) => ({
      value: f.id,
      label: f.name,
      count: 0,
      text: `an ACCloud funder named like ${quote(insurer)}`,
    }));
  return {
    value: referenceGuess(
      hit,
      `a guess: the ACCloud funder named most like ${quote(insurer)} (no approval for this insurer yet)`,
    ),
    alternatives: close,
  };
}

const normalisedName = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** The service code named like the service requested: the same name, else the one code of the same discipline. */
export function closestServiceCode(requested: string, codes: readonly Named[]): Named | null {
  const want = normalisedName(requested);
  const same = codes.filter((c) => normalisedName(c.name) === want);
  if (same.length === 1) return same[0]!;
  const discipline = disciplineOf(requested);
  if (!discipline) return null;
  const alike = codes.filter((c) => disciplineOf(c.name) === discipline);
  return alike.length === 1 ? alike[0]! : null;
}

function serviceScope(history: DraftHistory["service"]): { key: string; scope: string } {
  return history.how === "discipline"
    ? { key: history.key ?? "", scope: " (services of the same discipline)" }
    : { key: history.requested ?? "", scope: "" };
}

/** The service code: the one chosen most for this "Service Requested", else a code named like it (a guess). */
export function suggestServiceCode(history: DraftHistory["service"], codes: readonly Named[]): Suggestion<number> {
  const requested = history.requested;
  if (!requested) return { value: null, alternatives: [] };
  const { key, scope } = serviceScope(history);
  const fromPast = fromHistory(history.serviceCodes, history.total, key, nameOf(codes), scope);
  if (fromPast.value) return fromPast;
  const hit = closestServiceCode(requested, codes);
  return {
    value: referenceGuess(
      hit,
      `a guess: the ACCloud service code named like ${quote(requested)} (no approval for this service yet)`,
    ),
    alternatives: [],
  };
}

const CARE_LABELS: Record<CareType, string> = { nursing: "Nursing", psw: "PSW" };
const PSW_WORDS = /homemak|companion|personal support|\bpsw\b/i;

/** The care type: the one chosen most for this service, else PSW for an aide's service and nursing otherwise. */
export function suggestCareType(history: DraftHistory["service"]): Suggestion<CareType> {
  const { key, scope } = serviceScope(history);
  const fromPast = fromHistory(history.careTypes, history.total, key, (v) => CARE_LABELS[v], scope);
  if (fromPast.value) return fromPast;
  const requested = history.requested;
  const psw = !!requested && (disciplineOf(requested) === "HHA" || PSW_WORDS.test(requested));
  return {
    value: {
      value: psw ? "psw" : "nursing",
      source: {
        kind: "rule",
        text: requested
          ? `${psw ? "PSW" : "nursing"}: ${psw ? "an aide's service" : "not an aide's service"} (no approval for ${quote(requested)} yet)`
          : "nursing: no service was named",
      },
    },
    alternatives: [],
  };
}

export const CASE_MANAGER_PARTS = ["name", "phone", "fax", "email"] as const;

/** A case manager as stored and compared: each part trimmed, inner spaces made one, empty parts left out. */
export function cleanCaseManager(cm: Partial<Record<(typeof CASE_MANAGER_PARTS)[number], unknown>>): CaseManager {
  const out: Partial<CaseManager> = {};
  for (const k of CASE_MANAGER_PARTS) {
    const v = typeof cm[k] === "string" ? (cm[k] as string).replace(/\s+/g, " ").trim() : "";
    if (v) out[k] = v;
  }
  return { name: "", ...out } as CaseManager;
}

export const caseManagerKey = (cm: CaseManager) =>
  JSON.stringify(CASE_MANAGER_PARTS.map((k) => (cm[k] ?? "").toLowerCase()));

const caseManagerLabel = (cm: CaseManager) => [cm.name, cm.phone, cm.email].filter(Boolean).join(" · ");

const NO_CASE_MANAGER: DraftCaseManager = { name: null, phone: null, fax: null, email: null };

/**
 * The case manager: the client's own from their latest earlier referral, else the one this agency
 * was given most in the last 90 days. Each part (name, phone, fax, e-mail) carries the same source.
 */
export function suggestCaseManager(history: DraftHistory): {
  value: DraftCaseManager;
  alternatives: Alternative<CaseManager>[];
} {
  const agency = ranked(history.agency.caseManagers).filter((c) => c.value.name);
  const total = history.agency.total;
  const alternatives: Alternative<CaseManager>[] = agency.map((c) => ({
    value: c.value,
    label: caseManagerLabel(c.value),
    count: c.count,
    text: `chosen in ${c.count} of ${approvals(total)} for ${quote(history.agency.name)} in the last ${history.agency.days} days`,
  }));
  const own = [...history.client.caseManagers]
    .filter((c) => c.value.name)
    .sort((a, b) => (a.last < b.last ? 1 : -1))[0];
  let chosen: CaseManager | null = null;
  let source: Source | null = null;
  if (own) {
    chosen = own.value;
    source = {
      kind: "history",
      count: own.count,
      of: history.client.total,
      key: "this client",
      text: `this client's case manager on an earlier referral (approved ${day(own.last)}; ${own.count} of the client's ${approvals(history.client.total)})`,
    };
    const i = alternatives.findIndex((a) => caseManagerKey(a.value) === caseManagerKey(own.value));
    if (i < 0)
      alternatives.unshift({
        value: own.value,
        label: caseManagerLabel(own.value),
        count: own.count,
        text: source.text,
      });
  } else if (agency[0]) {
    chosen = agency[0].value;
    source = historySource(agency[0].count, total, history.agency.name, ` in the last ${history.agency.days} days`);
  }
  if (!chosen || !source) return { value: NO_CASE_MANAGER, alternatives };
  const part = (v: string | undefined): V<string> => (v ? { value: v, source: source! } : null);
  return {
    value: { name: part(chosen.name), phone: part(chosen.phone), fax: part(chosen.fax), email: part(chosen.email) },
    alternatives,
  };
}
