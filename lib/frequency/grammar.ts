/**
 * The frequency grammar: a small recursive-descent parser over the tokenizer's tokens. It reads
 * the text as a list of items (amounts with their rates, weekdays, days a week, lengths, PRN),
 * separated by commas, "and", "then"…; lib/frequency/build.ts turns the items into phases.
 * The parser is built in layers: the token cursor (cursor.ts), the parts of an item (amounts,
 * rates: grammar-parts.ts), the items about days (grammar-days.ts), and here the text and its
 * other items. What it reads into is in items.ts.
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
import { disciplineAt } from "../form/discipline";
import { fail } from "./cursor";
import { DaysParser } from "./grammar-days";
import type { Item, Piece, Quantity, Rate, Separation } from "./items";
import {
  AMBIGUOUS_WORDS,
  AS_NEEDED_LEADS,
  AS_NEEDED_TAILS,
  AS_NEEDED_WORDS,
  EVALUATION_WORDS,
  LATIN_WORDS,
  LEAD_WORDS,
  TIMES_WORDS,
  TREAT_WORDS,
  UNIT_WORDS,
  type Period,
  type Unit,
} from "./lexicon";

export class Parser extends DaysParser {
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
}
