/** The frequency grammar's token cursor (the parser's lowest layer) and its way of refusing a text. */
import { PERIOD_WORDS, type Period } from "./lexicon";
import { GrammarError } from "./items";
import type { Sym, Token } from "./tokenize";

/** Refuses the text with a reason in plain English. */
export const fail = (why: string): never => {
  throw new GrammarError(why);
};

export type Mark = number;

/**
 * The grammar's reading position over the tokenizer's tokens: looking ahead, consuming words,
 * symbols and numbers, and going back when a production does not match.
 */
export class TokenCursor {
  protected pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  protected peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  protected atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  protected mark(): Mark {
    return this.pos;
  }
  protected reset(m: Mark): void {
    this.pos = m;
  }
  /** Runs a production; on null, nothing it read is consumed. */
  protected attempt<T>(production: () => T | null): T | null {
    const m = this.mark();
    const r = production();
    if (r === null) this.reset(m);
    return r;
  }
  protected wordAt(offset = 0): string | undefined {
    const t = this.peek(offset);
    return t?.kind === "word" ? t.text : undefined;
  }
  protected symAt(offset = 0): Sym | undefined {
    const t = this.peek(offset);
    return t?.kind === "sym" ? t.text : undefined;
  }
  /** Consumes the words in order, or nothing. */
  protected words(...ws: string[]): boolean {
    if (!ws.every((w, i) => this.wordAt(i) === w)) return false;
    this.pos += ws.length;
    return true;
  }
  /** Consumes the first of the word sequences that is there, if any. */
  protected firstOf(...alternatives: string[][]): boolean {
    return alternatives.some((ws) => this.words(...ws));
  }
  /** Consumes one word of the set. */
  protected oneOf(set: ReadonlySet<string> | Readonly<Record<string, unknown>>): string | undefined {
    const w = this.wordAt();
    if (w === undefined) return undefined;
    const has = set instanceof Set ? set.has(w) : Object.prototype.hasOwnProperty.call(set, w);
    if (!has) return undefined;
    this.pos++;
    return w;
  }
  protected sym(s: Sym): boolean {
    if (this.symAt() !== s) return false;
    this.pos++;
    return true;
  }
  protected num(opts: { times?: boolean; ordinal?: boolean } = {}): { value: number; times: boolean } | null {
    const t = this.peek();
    if (t?.kind !== "num") return null;
    if (t.ordinal && !opts.ordinal) return null;
    if (t.times && opts.times === false) return null;
    this.pos++;
    return { value: t.value, times: !!t.times };
  }
  protected integer(): number | null {
    const t = this.peek();
    if (t?.kind !== "num" || t.times || t.ordinal || !Number.isInteger(t.value)) return null;
    this.pos++;
    return t.value;
  }
  protected period(): Period | null {
    const w = this.oneOf(PERIOD_WORDS);
    return w ? PERIOD_WORDS[w]! : null;
  }
  /** At the end, or before a separator or a new item: "each" then means "each visit". */
  protected atBoundary(): boolean {
    const t = this.peek();
    return (
      t === undefined || t.kind === "sym" || (t.kind === "word" && ["and", "then", "plus", "with"].includes(t.text))
    );
  }
}
