/** The frequency grammar's parts: amounts, "up to", totals and rates (grammar.ts builds its items from them). */
import { TokenCursor } from "./cursor";
import type { Amount, Rate } from "./items";
import { ADVERB_WORDS, LATIN_WORDS, ORDINAL_WORDS, UNIT_WORDS } from "./lexicon";

/**
 * The parts an item is made of: an amount ("2", "1-2", "once or twice"), the "up to" markers around
 * it, and the rate it is per ("/wk", "every other week", "BID", "in total").
 */
export class PartsParser extends TokenCursor {
  /** "2", "1-2", "2 to 3", "once or twice", "a"/"an" before a unit ("an hour a day"). */
  protected amount(): (Amount & { times: boolean }) | null {
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

  protected upToBefore(): boolean {
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

  protected upToAfter(): boolean {
    return (
      this.words("max") ||
      this.words("maximum") ||
      this.words("at", "most") ||
      this.words("or", "less") ||
      this.words("or", "fewer")
    );
  }

  protected totalMarker(): boolean {
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
  protected rate(marked: boolean): Rate | null {
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
