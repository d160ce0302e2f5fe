/** The frequency grammar's items about days: weekday lists and ranges, exceptions, lengths. */
import { fail } from "./cursor";
import { PartsParser } from "./grammar-parts";
import type { Piece } from "./items";
import { DAY_GROUP_WORDS, TIMES_WORDS, WEEKDAY_WORDS, WEEKDAYS, type Weekday } from "./lexicon";

const LENGTH_MARKERS: ReadonlySet<string> = new Set(["for", "x", "times", "over", "during", "within", "in", "lasting"]);

/**
 * The items about days: the weekdays ("M/W/F", "Mon-Fri", "weekends"), the days left out
 * ("except Sunday") and a length ("for 4 weeks", "x4").
 */
export class DaysParser extends PartsParser {
  /** "M/W/F", "Mon, Wed and Fri", "every weekday", "Mon-Fri", "TTh", "M-W-F", "weekends". */
  protected weekdays(): Piece | null {
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
  protected except(): Piece | null {
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

  protected dayRef(): readonly Weekday[] | null {
    const w = this.oneOf(WEEKDAY_WORDS);
    return w ? WEEKDAY_WORDS[w]! : null;
  }

  /** Between listed days: "/", ",", "&", "+", "and", "or", or nothing ("M W F"). */
  protected listSeparator(): void {
    if (this.sym("/") || this.sym(",") || this.sym("&") || this.sym("+")) {
      this.words("and");
      return;
    }
    this.firstOf(["and"], ["or"]);
  }

  /** "for 4 weeks", "x 4w", "x4", "over the next 60 days", "4 wks". */
  protected length(): Piece | null {
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
}
