/**
 * The frequency grammar: a small recursive-descent parser over the tokenizer's tokens. It reads
 * the text as a list of items (amounts with their rates, weekdays, days a week, lengths, PRN),
 * separated by commas, "and", "then"…; lib/frequency/build.ts turns the items into phases.
 *
 *   text       := lead? item (separator* item)*
 *   item       := discipline | evaluation | as-needed | shorthand | days-a-week | quantity
 *               | standalone-rate | except | weekdays | length
 *   shorthand  := amount ("w" | "wk") N              "1w4" = 1 visit a week for 4 weeks
 *               | amount "d" N                      "1d7" = 1 visit a day for 7 days
 *   quantity   := up-to? total? amount (times | unit)? rate? up-to-after?
 *   amount     := N (("-" | "to" | "or") N)? | ("a" | "an") before a unit
 *   rate       := "/" N? period | ("per" | "a" | "each" | "every" | "in a") period | "every" (N | "other") period
 *               | "per" N period | "q" N? period | adverb | latin-rate | period (after x or a unit)
 *               | "per visit" | "each" | "total" | "in total" | "for the period" …
 *   days-a-week := "x"? N "days" rate(week)          "5 days/wk"
 *   standalone-rate := latin | adverb | "every" … | "q" N? period      "BID", "daily", "every other week"
 *   except     := ("except" | "excluding" | "but not" | "no") weekdays   "daily except Sunday"
 *   weekdays   := ("on" | "every" | "each")? day-term (list-sep? day-term)*
 *   day-term   := weekday (("-" | "to" | "through") weekday)? | "weekdays" | "weekends"
 *   length     := ("for" | "x" | "times" | "over" | "during" | "within" | "in") ("the"? "next"?) N period
 *               | "x" N | N ("weeks" | "months")
 *   separator  := "," | ";" | "+" | "&" | "and" | "plus" | "with" | ":" | "-" | "then" | "followed by" | "after that"
 */
import { disciplineAt, type Discipline } from "../form/discipline";
import {
  ADVERB_WORDS,
  AMBIGUOUS_WORDS,
  AS_NEEDED_LEADS,
  AS_NEEDED_TAILS,
  AS_NEEDED_WORDS,
  DAY_GROUP_WORDS,
  EVALUATION_WORDS,
  LATIN_WORDS,
  LEAD_WORDS,
  ORDINAL_WORDS,
  PERIOD_WORDS,
  TIMES_WORDS,
  TREAT_WORDS,
  UNIT_WORDS,
  WEEKDAY_WORDS,
  WEEKDAYS,
  type Period,
  type Unit,
  type Weekday,
} from "./lexicon";
import type { Sym, Token } from "./tokenize";

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

const fail = (why: string): never => {
  throw new GrammarError(why);
};

type Mark = number;

const LENGTH_MARKERS: ReadonlySet<string> = new Set(["for", "x", "times", "over", "during", "within", "in", "lasting"]);

export class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  // ------------------------------------------------------------ token helpers

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  private atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  private mark(): Mark {
    return this.pos;
  }
  private reset(m: Mark): void {
    this.pos = m;
  }
  /** Runs a production; on null, nothing it read is consumed. */
  private attempt<T>(production: () => T | null): T | null {
    const m = this.mark();
    const r = production();
    if (r === null) this.reset(m);
    return r;
  }
  private wordAt(offset = 0): string | undefined {
    const t = this.peek(offset);
    return t?.kind === "word" ? t.text : undefined;
  }
  private symAt(offset = 0): Sym | undefined {
    const t = this.peek(offset);
    return t?.kind === "sym" ? t.text : undefined;
  }
  /** Consumes the words in order, or nothing. */
  private words(...ws: string[]): boolean {
    if (!ws.every((w, i) => this.wordAt(i) === w)) return false;
    this.pos += ws.length;
    return true;
  }
  /** Consumes the first of the word sequences that is there, if any. */
  private firstOf(...alternatives: string[][]): boolean {
    return alternatives.some((ws) => this.words(...ws));
  }
  /** Consumes one word of the set. */
  private oneOf(set: ReadonlySet<string> | Readonly<Record<string, unknown>>): string | undefined {
    const w = this.wordAt();
    if (w === undefined) return undefined;
    const has = set instanceof Set ? set.has(w) : Object.prototype.hasOwnProperty.call(set, w);
    if (!has) return undefined;
    this.pos++;
    return w;
  }
  private sym(s: Sym): boolean {
    if (this.symAt() !== s) return false;
    this.pos++;
    return true;
  }
  private num(opts: { times?: boolean; ordinal?: boolean } = {}): { value: number; times: boolean } | null {
    const t = this.peek();
    if (t?.kind !== "num") return null;
    if (t.ordinal && !opts.ordinal) return null;
    if (t.times && opts.times === false) return null;
    this.pos++;
    return { value: t.value, times: !!t.times };
  }
  private integer(): number | null {
    const t = this.peek();
    if (t?.kind !== "num" || t.times || t.ordinal || !Number.isInteger(t.value)) return null;
    this.pos++;
    return t.value;
  }
  private period(): Period | null {
    const w = this.oneOf(PERIOD_WORDS);
    return w ? PERIOD_WORDS[w]! : null;
  }
  /** At the end, or before a separator or a new item: "each" then means "each visit". */
  private atBoundary(): boolean {
    const t = this.peek();
    return (
      t === undefined || t.kind === "sym" || (t.kind === "word" && ["and", "then", "plus", "with"].includes(t.text))
    );
  }

  // ------------------------------------------------------------ the text

  parse(): Item[] {
    this.lead();
    const items: Item[] = [];
    for (;;) {
      const before = this.separators();
      if (this.atEnd()) break;
      const pieces = this.item();
      if (!pieces) return fail("part of it is not a frequency this grammar knows");
      pieces.forEach((piece, i) => items.push({ piece, before: i === 0 ? (items.length ? before : "none") : "none" }));
    }
    return items;
  }

  /** "Frequency: …", "Visits: …". */
  private lead(): void {
    const w = this.wordAt();
    if (w === "frequency" || w === "freq") {
      this.pos++;
      this.sym(":");
    } else if (w !== undefined && LEAD_WORDS.has(w) && this.symAt(1) === ":") {
      this.pos += 2;
    }
  }

  private separators(): Separation {
    let sep: Separation = "none";
    for (;;) {
      const s = this.symAt();
      if (s === "," || s === ";" || s === "+" || s === "&" || s === ":" || s === "-" || s === "/") {
        this.pos++;
        if (sep === "none") sep = "weak";
      } else if (
        this.words("then") ||
        this.words("followed", "by") ||
        this.words("after", "that") ||
        this.words("thereafter")
      ) {
        sep = "strong";
      } else if (this.words("and") || this.words("plus") || this.words("with")) {
        if (sep === "none") sep = "weak";
      } else {
        return sep;
      }
    }
  }

  private item(): Piece[] | null {
    const ambiguous = this.ambiguous();
    if (ambiguous) return fail(ambiguous);
    const one = (p: Piece | null) => (p ? [p] : null);
    return (
      one(this.attempt(() => this.discipline())) ??
      one(this.attempt(() => this.evaluation())) ??
      one(this.attempt(() => this.asNeeded())) ??
      this.attempt(() => this.shorthand()) ??
      one(this.attempt(() => this.daysPerWeek())) ??
      one(this.attempt(() => this.quantity())) ??
      one(this.attempt(() => this.standaloneRate())) ??
      one(this.attempt(() => this.except())) ??
      one(this.attempt(() => this.weekdays())) ??
      one(this.attempt(() => this.length()))
    );
  }

  /** "biweekly", "bi-weekly": refused with the reason. */
  private ambiguous(): string | null {
    const w = this.wordAt();
    if (w && AMBIGUOUS_WORDS[w]) return AMBIGUOUS_WORDS[w];
    if (w === "bi") {
      const next = this.wordAt(this.symAt(1) === "-" ? 2 : 1);
      if (next === "weekly") return AMBIGUOUS_WORDS.biweekly!;
      if (next === "monthly") return AMBIGUOUS_WORDS.bimonthly!;
    }
    return null;
  }

  // ------------------------------------------------------------ items

  private discipline(): Piece | null {
    const words: string[] = [];
    for (let i = 0; i < 4 && this.wordAt(i) !== undefined; i++) words.push(this.wordAt(i)!);
    const hit = disciplineAt(words, 0);
    if (!hit) return null;
    this.pos += hit.length;
    return { kind: "discipline", code: hit.code };
  }

  /** "eval", "eval & treat", "evaluation and treatment". */
  private evaluation(): Piece | null {
    if (!this.oneOf(EVALUATION_WORDS)) return null;
    const m = this.mark();
    if ((this.sym("&") || this.sym("+") || this.sym("/") || this.words("and")) && this.oneOf(TREAT_WORDS))
      return { kind: "evaluation" };
    this.reset(m);
    return { kind: "evaluation" };
  }

  /** "PRN", "as needed", "2 PRN visits", "PRN x 3", "up to 3 visits as needed". */
  private asNeeded(): Piece | null {
    this.upToBefore();
    const amount = this.num({ times: true });
    if (amount) this.oneOf(UNIT_WORDS);
    if (!this.asNeededMarker()) return null;
    let count = amount?.value;
    this.oneOf(UNIT_WORDS);
    const m = this.mark();
    if (count === undefined && (this.oneOf(TIMES_WORDS) || this.words("up", "to") || this.words("max"))) {
      const n = this.integer();
      if (n === null) this.reset(m);
      else {
        count = n;
        this.oneOf(UNIT_WORDS);
      }
    }
    return count === undefined ? { kind: "asNeeded" } : { kind: "asNeeded", count };
  }

  private asNeededMarker(): boolean {
    if (this.oneOf(AS_NEEDED_WORDS)) return true;
    const m = this.mark();
    if (this.oneOf(AS_NEEDED_LEADS) && this.oneOf(AS_NEEDED_TAILS)) return true;
    this.reset(m);
    return false;
  }

  /** Home-health shorthand: "1w4", "2w2", "2-3w4" (visits a week for weeks), "1d7" (a day for days). */
  private shorthand(): Piece[] | null {
    const amount = this.amount();
    if (!amount) return null;
    const w = this.wordAt();
    const per: Period | null = w === "w" || w === "wk" ? "week" : w === "d" ? "day" : null;
    if (!per) return null;
    this.pos++;
    const count = this.integer();
    if (count === null) return null;
    // "1w4wks": the length's unit repeated
    const m = this.mark();
    if (this.period() !== per) this.reset(m);
    return [
      { kind: "quantity", amount, unit: "VISITS", rate: { per, every: 1 }, upTo: amount.upTo },
      { kind: "length", length: { count, per } },
    ];
  }

  /** "5 days/wk", "5 days a week", "5d/wk". */
  private daysPerWeek(): Piece | null {
    this.oneOf(TIMES_WORDS); // "4h x 5d/wk"
    const upTo = this.upToBefore();
    const amount = this.amount();
    if (!amount) return null;
    if (this.period() !== "day") return null;
    const rate = this.rate(false);
    if (!rate || rate.per !== "week" || rate.every !== 1) return null;
    return { kind: "daysPerWeek", amount, upTo: upTo || amount.upTo || this.upToAfter() };
  }

  private quantity(): Piece | null {
    let upTo = this.upToBefore();
    const total = this.words("a", "total", "of") || this.words("total", "of") || this.words("total");
    upTo = this.upToBefore() || upTo;
    const amount = this.amount();
    if (!amount) return null;
    const totalAfter = !total && this.words("total");
    let unit: Unit | undefined;
    let marked = false;
    if (amount.times) {
      unit = "VISITS";
      marked = true;
      this.oneOf(TIMES_WORDS); // "once (1x)" already merged; "twice x" is rare but harmless
    } else if (this.oneOf(TIMES_WORDS)) {
      unit = "VISITS";
      marked = true;
    } else {
      const w = this.oneOf(UNIT_WORDS);
      if (w) {
        unit = UNIT_WORDS[w];
        marked = true;
      }
    }
    let rate: Rate | null = total || totalAfter ? { per: "period" } : this.rate(marked);
    if ((total || totalAfter) && this.totalMarker()) rate = { per: "period" };
    upTo = this.upToAfter() || upTo;
    if (!rate && !marked) return null;
    const q: Quantity = {
      kind: "quantity",
      amount: { value: amount.value, upTo: amount.upTo },
      upTo: upTo || amount.upTo,
    };
    if (unit) q.unit = unit;
    if (rate) q.rate = rate;
    return q;
  }

  /** "daily", "weekly", "BID", "TIW", "QOD", "every other week", "q2 weeks", "each week". */
  private standaloneRate(): Piece | null {
    const w = this.wordAt();
    if (w && LATIN_WORDS[w]?.count !== undefined) {
      this.pos++;
      const s = LATIN_WORDS[w];
      return {
        kind: "quantity",
        amount: { value: s.count!, upTo: false },
        unit: "VISITS",
        rate: { per: s.per, every: s.every },
        upTo: false,
      };
    }
    // "semi-weekly", "semi monthly"
    if (w === "semi") {
      this.pos++;
      this.sym("-");
      const s = LATIN_WORDS[`semi${this.wordAt() ?? ""}`];
      if (!s?.count) return null;
      this.pos++;
      return {
        kind: "quantity",
        amount: { value: s.count, upTo: false },
        unit: "VISITS",
        rate: { per: s.per, every: s.every },
        upTo: false,
      };
    }
    if (w === "per") return null; // "per week" needs an amount
    const rate = this.rate(false);
    if (!rate || rate.per === "visit" || rate.per === "period") return null;
    return { kind: "quantity", amount: { value: 1, upTo: false }, implicit: true, rate, upTo: this.upToAfter() };
  }

  /** "M/W/F", "Mon, Wed and Fri", "every weekday", "Mon-Fri", "TTh", "M-W-F", "weekends". */
  private weekdays(): Piece | null {
    this.firstOf(["on", "every"], ["every"], ["each"], ["on"], ["only", "on"], ["only"]);
    const refs: Array<{ from: readonly Weekday[]; to?: readonly Weekday[] } | { group: readonly Weekday[] }> = [];
    for (;;) {
      const m = this.mark();
      if (refs.length) this.listSeparator();
      const group = this.oneOf(DAY_GROUP_WORDS);
      if (group) {
        refs.push({ group: DAY_GROUP_WORDS[group]! });
        continue;
      }
      const first = this.dayRef();
      if (!first) {
        this.reset(m);
        break;
      }
      // a dash chain: two days are a range (M-F), three or more a list (M-W-F)
      const chain = [first];
      for (;;) {
        const c = this.mark();
        if (!this.sym("-")) break;
        const next = this.dayRef();
        if (!next) {
          this.reset(c);
          break;
        }
        chain.push(next);
      }
      if (chain.length === 2) {
        refs.push({ from: chain[0]!, to: chain[1]! });
        continue;
      }
      if (chain.length === 1) {
        const c = this.mark();
        if (this.oneOf(new Set(["to", "through", "thru", "till", "until"]))) {
          const to = this.dayRef();
          if (to) {
            refs.push({ from: first, to });
            continue;
          }
          this.reset(c);
        }
      }
      for (const d of chain) refs.push({ from: d });
    }
    if (!refs.length) return null;
    // "T" after Wednesday is Thursday, "S" after Saturday is Sunday: each ambiguous letter takes
    // the first of its days after the previous one.
    const pick = (cands: readonly Weekday[], after: number) => {
      const later = cands.find((d) => WEEKDAYS.indexOf(d) > after);
      return later ?? cands[0]!;
    };
    const days = new Set<Weekday>();
    let prev = -1;
    for (const r of refs) {
      if ("group" in r) {
        r.group.forEach((d) => days.add(d));
        prev = WEEKDAYS.indexOf(r.group[r.group.length - 1]!);
        continue;
      }
      const from = pick(r.from, prev);
      if (!r.to) {
        if (days.has(from)) return fail("a weekday is listed twice");
        days.add(from);
        prev = WEEKDAYS.indexOf(from);
        continue;
      }
      const a = WEEKDAYS.indexOf(from);
      const b = WEEKDAYS.indexOf(pick(r.to, a));
      if (a === b) return fail("a range of weekdays starts and ends on the same day");
      // a range may wrap over the week's end (Fri-Mon)
      for (let i = a; ; i = (i + 1) % 7) {
        days.add(WEEKDAYS[i]!);
        if (i === b) break;
      }
      prev = b;
    }
    return { kind: "weekdays", days: WEEKDAYS.filter((d) => days.has(d)) };
  }

  /** "except Sunday", "excluding weekends", "but not Sat/Sun", "no Sundays". */
  private except(): Piece | null {
    if (!(
      this.words("except") ||
      this.words("excluding") ||
      this.words("but", "not") ||
      this.words("not", "on") ||
      this.words("no")
    ))
      return null;
    const days = this.weekdays();
    return days?.kind === "weekdays" ? { kind: "except", days: days.days } : null;
  }

  private dayRef(): readonly Weekday[] | null {
    const w = this.oneOf(WEEKDAY_WORDS);
    return w ? WEEKDAY_WORDS[w]! : null;
  }

  /** Between listed days: "/", ",", "&", "+", "and", "or", or nothing ("M W F"). */
  private listSeparator(): void {
    if (this.sym("/") || this.sym(",") || this.sym("&") || this.sym("+")) {
      this.words("and");
      return;
    }
    this.firstOf(["and"], ["or"]);
  }

  /** "for 4 weeks", "x 4w", "x4", "over the next 60 days", "4 wks". */
  private length(): Piece | null {
    const marker = this.words("for", "a", "period", "of") ? "for" : this.oneOf(LENGTH_MARKERS);
    if (marker) {
      this.words("the");
      this.firstOf(["next"], ["first"]);
    }
    let count: number | null;
    if (marker && (this.wordAt() === "a" || this.wordAt() === "an")) {
      this.pos++;
      count = 1;
    } else {
      count = this.integer();
    }
    if (count === null) return null;
    const per = this.period();
    // "4 wks" without a marker: weeks or months only ("5 days" says days a week as often as a length)
    if (per && (marker || per !== "day")) return { kind: "length", length: { count, per } };
    // "weekly x 4": in the rate's own period, decided when the phase is built
    if (!per && marker && TIMES_WORDS.has(marker)) return { kind: "length", length: { count } };
    return null;
  }

  // ------------------------------------------------------------ parts

  /** "2", "1-2", "2 to 3", "once or twice", "a"/"an" before a unit ("an hour a day"). */
  private amount(): (Amount & { times: boolean }) | null {
    const w = this.wordAt();
    if ((w === "a" || w === "an") && this.wordAt(1) !== undefined && UNIT_WORDS[this.wordAt(1)!]) {
      this.pos++;
      return { value: 1, upTo: false, times: false };
    }
    const first = this.num();
    if (!first) return null;
    const m = this.mark();
    if (this.sym("-") || this.words("to") || this.words("or")) {
      const second = this.num();
      if (second && second.value > first.value && second.times === first.times)
        return { value: second.value, upTo: true, times: first.times };
      this.reset(m);
    }
    return { value: first.value, upTo: false, times: first.times };
  }

  private upToBefore(): boolean {
    return (
      this.words("up", "to") ||
      this.words("upto") ||
      this.words("a", "maximum", "of") ||
      this.words("maximum", "of") ||
      this.words("max", "of") ||
      this.words("maximum") ||
      this.words("max") ||
      this.words("at", "most") ||
      this.words("no", "more", "than") ||
      this.words("not", "more", "than") ||
      this.words("not", "to", "exceed") ||
      this.words("not", "exceeding") ||
      this.words("nte")
    );
  }

  private upToAfter(): boolean {
    return (
      this.words("max") ||
      this.words("maximum") ||
      this.words("at", "most") ||
      this.words("or", "less") ||
      this.words("or", "fewer")
    );
  }

  private totalMarker(): boolean {
    return (
      this.words("in", "total") ||
      this.words("total") ||
      this.words("overall") ||
      this.words("per", "episode") ||
      this.words("per", "authorization") ||
      this.words("per", "auth") ||
      this.words("per", "cert") ||
      this.words("per", "certification") ||
      this.words("per", "period") ||
      this.words("for", "the", "period") ||
      this.words("over", "the", "period") ||
      this.words("for", "the", "episode") ||
      this.words("for", "the", "authorization", "period") ||
      this.words("for", "the", "authorization") ||
      this.words("for", "the", "duration")
    );
  }

  /**
   * What the amount is per. `marked`: a unit or "x" came before, so a bare period may follow
   * ("1xw", "2 x week", "3 visits week").
   */
  private rate(marked: boolean): Rate | null {
    if (this.totalMarker()) return { per: "period" };
    const m = this.mark();
    // "/wk", "/2 wks", "/visit"
    if (this.sym("/")) {
      if (this.words("visit") || this.words("session")) return { per: "visit" };
      const every = this.integer() ?? 1;
      const per = this.period();
      if (per) return { per, every };
      this.reset(m);
      return null;
    }
    // "per visit", "each visit", "each" at the end ("2 hours each")
    if (
      this.words("per", "visit") ||
      this.words("each", "visit") ||
      this.words("per", "session") ||
      this.words("a", "visit")
    )
      return { per: "visit" };
    if (this.wordAt() === "each") {
      this.pos++;
      if (this.atBoundary()) return { per: "visit" };
      this.reset(m);
    }
    // "every other week", "every 2 weeks", "every third day", "every 2nd week", "per 2 weeks"
    if (this.words("every") || this.words("per")) {
      const ordinal = this.oneOf(ORDINAL_WORDS);
      const every = ordinal ? ORDINAL_WORDS[ordinal]! : (this.num({ ordinal: true, times: false })?.value ?? 1);
      const per = this.period();
      if (per && Number.isInteger(every) && every >= 1) return { per, every };
      this.reset(m);
    }
    // "a week", "an hour a day", "each week", "in a week", "in one week"
    if (this.words("a") || this.words("an") || this.words("each") || this.words("in", "a") || this.words("in", "one")) {
      const per = this.period();
      if (per) return { per, every: 1 };
      this.reset(m);
    }
    const adverb = this.oneOf(ADVERB_WORDS);
    if (adverb) return { per: ADVERB_WORDS[adverb]!, every: 1 };
    const latin = this.wordAt();
    if (latin && LATIN_WORDS[latin] && LATIN_WORDS[latin].count === undefined) {
      this.pos++;
      return { per: LATIN_WORDS[latin].per, every: LATIN_WORDS[latin].every };
    }
    // "q2w", "q 2 weeks", "q week"
    if (this.words("q")) {
      const every = this.integer() ?? 1;
      const per = this.period();
      if (per && every >= 1) return { per, every };
      this.reset(m);
      return null;
    }
    if (marked) {
      const per = this.period();
      if (per) return { per, every: 1 };
    }
    return null;
  }
}
