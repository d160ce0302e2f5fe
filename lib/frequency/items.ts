/**
 * What the frequency grammar (grammar.ts) reads a text into: items, each a piece and how it was
 * separated from the one before (build.ts gives them their meaning), and the error it refuses with.
 */
import type { Discipline } from "../form/discipline";
import type { Period, Unit, Weekday } from "./lexicon";

/** A number as written: `upTo` when it was a range ("1-2") whose upper bound is kept. */
export type Amount = { value: number; upTo: boolean };
/** Per day, week or month (every `every` of them), per visit, or over the whole period. */
export type Rate = { per: Period; every: number } | { per: "visit" } | { per: "period" };

export type Quantity = {
  kind: "quantity";
  amount: Amount;
  /** Hours or visits when written ("2 hrs", "3x", "BID"); absent for a bare number ("2/wk"). */
  unit?: Unit;
  /** The amount was not written ("daily", "every other week"): 1 visit, replaced by a bare amount beside it. */
  implicit?: true;
  /** Absent: a bare amount ("2 hrs" beside "M/W/F"). */
  rate?: Rate;
  upTo: boolean;
};
export type Length = { count: number; per?: Period };

export type Piece =
  | Quantity
  | { kind: "weekdays"; days: Weekday[] }
  /** "daily except Sunday": every day but these. */
  | { kind: "except"; days: Weekday[] }
  | { kind: "daysPerWeek"; amount: Amount; upTo: boolean }
  | { kind: "length"; length: Length }
  | { kind: "asNeeded"; count?: number }
  | { kind: "evaluation" }
  | { kind: "discipline"; code: Discipline };

/** "then", "followed by": the next item starts a new phase. */
export type Separation = "none" | "weak" | "strong";
export type Item = { piece: Piece; before: Separation };

/** Why the grammar refused the text, in plain English (never the text itself). */
export class GrammarError extends Error {}
