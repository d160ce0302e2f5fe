/**
 * Fuzzy matchers for the draft: the funder an insurance name stands for, how alike two people's
 * names are (duplicate clients), and the discipline of a service. Pure, no I/O: safe in the browser.
 *
 * Library: fastest-levenshtein for both matchers. fuse.js was tried for funders and not kept: its
 * Bitap score is a search score (is the query found inside the name, how early, how long is the
 * name), so it is not symmetric and it ranked "Molina Healthcare" above "Cigna" for "Cigna Health"
 * and "Sun Life Financial" above "Manulife" for "Manulife Financial". A Levenshtein ratio over
 * normalised names, plus "one name is the start of the other" at a word boundary, got those right
 * and still tells "Medicare" from "Medicaid".
 */
import { distance } from "fastest-levenshtein";

export { disciplineOf, DISCIPLINES, type Discipline } from "../form/discipline";

/** 1 for equal strings, 0 for nothing in common: 1 − Levenshtein distance / longer length. */
export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  return 1 - distance(a, b) / longer;
}

const words = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

// ------------------------------------------------------------------ funders

/**
 * Words that say what kind of company it is rather than which one: "Insurance", "Ins", "Co",
 * "Company", "Inc", "LLC", "Plan", "of", "the", "and"… "Health", "Healthcare" and "Care" stay:
 * they are part of many funders' own names ("Molina Healthcare", "Aetna Better Health").
 */
const INSURER_NOISE: ReadonlySet<string> = new Set([
  "insurance",
  "insurer",
  "insurers",
  "ins",
  "assurance",
  "co",
  "cos",
  "company",
  "companies",
  "corp",
  "corporation",
  "inc",
  "incorporated",
  "llc",
  "ltd",
  "limited",
  "plc",
  "plan",
  "plans",
  "the",
  "of",
  "and",
]);

/**
 * An insurance or funder name reduced to what tells it apart: lower case, accents and punctuation
 * gone, initials joined ("A.B.C." and "A B C" → "abc"), the company words left out. "ABC Insurers"
 * and "A.B.C. Insurance Inc." both give "abc".
 */
export function normaliseInsurer(name: string): string {
  const out: string[] = [];
  let initials = "";
  for (const w of words(name.replace(/&/g, " and "))) {
    if (w.length === 1 && /\p{L}/u.test(w)) {
      initials += w;
      continue;
    }
    if (initials) out.push(initials);
    initials = "";
    out.push(w);
  }
  if (initials) out.push(initials);
  return out.filter((w) => !INSURER_NOISE.has(w)).join(" ");
}

/** A match must score this much (Levenshtein ratio, 0..1). */
export const FUNDER_THRESHOLD = 0.85;
/** The best two funders closer than this are a tie: no suggestion rather than a coin toss. */
const FUNDER_TIE = 0.02;
/** A shorter name that is the start of a longer one scores a little below an equal name. */
const PREFIX_WEIGHT = 0.95;

/**
 * How well two normalised insurer names agree: the ratio of the whole names (spaces ignored, so
 * "United Healthcare" = "UnitedHealthcare"), or, when the shorter name is the start of the longer
 * one at a word boundary ("Aetna" / "Aetna Better Health", "Medicare Part A" / "Medicare"), that
 * start's ratio × 0.95.
 */
export function insurerScore(a: string, b: string): number {
  const x = normaliseInsurer(a).split(" ").filter(Boolean);
  const y = normaliseInsurer(b).split(" ").filter(Boolean);
  if (!x.length || !y.length) return 0;
  const [a1, b1] = [x.join(""), y.join("")];
  const whole = similarity(a1, b1);
  // the shorter name against the longer one's first words (both ways when they are as long)
  const start = Math.max(
    a1.length <= b1.length ? startScore(a1, y) : 0,
    b1.length <= a1.length ? startScore(b1, x) : 0,
  );
  return Math.max(whole, start >= FUNDER_THRESHOLD ? start * PREFIX_WEIGHT : 0);
}

/** The best ratio of `short` to the first 1 … n−1 words of `long`; at least 4 letters ("abc" is not the start of "abcd health"). */
function startScore(short: string, long: readonly string[]): number {
  let best = 0;
  if (short.length < 4) return 0;
  for (let k = 1; k < long.length; k++) best = Math.max(best, similarity(short, long.slice(0, k).join("")));
  return best;
}

/**
 * The funder an insurance name stands for, or null when none scores FUNDER_THRESHOLD or the best
 * two tie (two "Aetna …" funders for "Aetna"): the reviewer then chooses.
 */
export function closestFunder<F extends { id: number | string; name: string }>(
  name: string | null | undefined,
  funders: readonly F[],
): { id: F["id"]; name: string; score: number } | null {
  if (!name || !normaliseInsurer(name)) return null;
  const scored = funders.map((f) => ({ f, score: insurerScore(name, f.name) })).sort((p, q) => q.score - p.score);
  const best = scored[0];
  if (!best || best.score < FUNDER_THRESHOLD) return null;
  const second = scored[1];
  if (second && second.f.id !== best.f.id && best.score - second.score < FUNDER_TIE) return null;
  return { id: best.f.id, name: best.f.name, score: Math.round(best.score * 1000) / 1000 };
}

// ------------------------------------------------------------------ people

export type PersonName = { first: string | null | undefined; last: string | null | undefined };

/** One part of a name (first or last), as its words. */
function partSimilarity(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return a.length === b.length ? 1 : 0;
  let s = similarity(a.join(""), b.join(""));
  // "Garcia" / "Garcia Lopez", "Mary" / "Mary Jane": every word of one is a word of the other
  if (a.every((w) => b.includes(w)) || b.every((w) => a.includes(w))) s = Math.max(s, 0.9);
  // "J." / "John": an initial for the name
  const initial = (x: readonly string[], y: readonly string[]) =>
    x.length === 1 && x[0]!.length === 1 && y[0]!.startsWith(x[0]!);
  if (initial(a, b) || initial(b, a)) s = Math.max(s, 0.8);
  return s;
}

/**
 * How alike two people's names are, in [0, 1]: case, accents, punctuation and spaces ignored
 * ("O'Neil" = "ONeil", "José" = "Jose"), first and last swapped ("Garcia, Jose" typed as first
 * "Garcia" last "Jose"), the whole name in one field ("Jose Garcia" as the first name, words in any order), an initial for a
 * first name (0.8 for that part), a compound name shortened (0.9 for that part). Nicknames are not
 * known ("Bob" / "Robert" is far).
 */
export function nameSimilarity(a: PersonName, b: PersonName): number {
  const af = words(a.first ?? "");
  const al = words(a.last ?? "");
  const bf = words(b.first ?? "");
  const bl = words(b.last ?? "");
  if (![...af, ...al].length || ![...bf, ...bl].length) return 0;
  const direct = (partSimilarity(af, bf) + partSimilarity(al, bl)) / 2;
  const swapped = (partSimilarity(af, bl) + partSimilarity(al, bf)) / 2;
  // one side typed the whole name in one field: compare all its words, in any order
  const oneField = !af.length || !al.length || !bf.length || !bl.length;
  const sorted = (ws: string[]) => [...ws].sort().join("");
  const whole = oneField ? similarity(sorted([...af, ...al]), sorted([...bf, ...bl])) : 0;
  return Math.round(Math.max(direct, swapped, whole) * 1000) / 1000;
}

/** Two names at least this alike with the same birthday are likely one client. */
export const SAME_CLIENT_THRESHOLD = 0.85;

/** The date part of a birthday ("1950-03-04" or "1950-03-04T00:00:00Z"), or null. */
function birthdayOf(v: string | null | undefined): string | null {
  const d = (v ?? "").trim().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
}

/**
 * Likely the same client: the same birthday (both known) and names at least
 * SAME_CLIENT_THRESHOLD alike ("Jon Smith" / "John Smith" yes, "Jane Smith" / "John Smith" no).
 */
export function sameClientLikely(
  a: PersonName & { birthday: string | null | undefined },
  b: PersonName & { birthday: string | null | undefined },
): boolean {
  const x = birthdayOf(a.birthday);
  return x !== null && x === birthdayOf(b.birthday) && nameSimilarity(a, b) >= SAME_CLIENT_THRESHOLD;
}
