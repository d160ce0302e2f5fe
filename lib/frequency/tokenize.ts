/**
 * The frequency grammar's tokenizer: numbers (digits, words, "two (2)"), words, and the symbols
 * agencies separate things with. Letters and digits are cut apart ("2x/wk", "1w4", "q2w"), and a
 * glued run of letters is cut into known pieces ("MWF", "TTh", "1xw"). Never throws.
 */
import { disciplineAt } from "../form/discipline";
import {
  ADVERB_WORDS,
  AMBIGUOUS_WORDS,
  AS_NEEDED_LEADS,
  AS_NEEDED_TAILS,
  AS_NEEDED_WORDS,
  CONNECTOR_WORDS,
  DAY_GROUP_WORDS,
  EVALUATION_WORDS,
  GLUED_PIECES,
  LATIN_WORDS,
  LEAD_WORDS,
  NUMBER_WORDS,
  ORDINAL_SUFFIXES,
  ORDINAL_WORDS,
  PERIOD_WORDS,
  TENS_WORDS,
  TIMES_NUMBER_WORDS,
  TIMES_WORDS,
  TREAT_WORDS,
  UNIT_WORDS,
  WEEKDAY_WORDS,
} from "./lexicon";

export type Sym = "/" | "-" | "," | ";" | "+" | "&" | ":" | "(" | ")";
export type Token =
  /** `times`: the number already says "times" (once, twice); `ordinal`: 2nd, 3rd. */
  | { kind: "num"; value: number; times?: true; ordinal?: true; spelled?: true }
  | { kind: "word"; text: string }
  | { kind: "sym"; text: Sym }
  /** A character no rule reads: the text cannot be understood. */
  | { kind: "other" };

const SYMBOLS: Readonly<Record<string, Sym>> = {
  "/": "/",
  "\\": "/",
  "-": "-",
  ",": ",",
  ";": ";",
  "+": "+",
  "&": "&",
  ":": ":",
  "(": "(",
  ")": ")",
  "[": "(",
  "]": ")",
  "\n": ",",
  "|": ",",
};
/** Characters read as a word: "×" and "*" are "x" (times), "≤" is "max". */
const SYMBOL_WORDS: Readonly<Record<string, string>> = { "×": "x", "*": "x", "≤": "max" };

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";

const KNOWN = new Set<string>([
  ...Object.keys(NUMBER_WORDS),
  ...Object.keys(TIMES_NUMBER_WORDS),
  ...Object.keys(ORDINAL_WORDS),
  ...Object.keys(PERIOD_WORDS),
  ...Object.keys(ADVERB_WORDS),
  ...Object.keys(UNIT_WORDS),
  ...TIMES_WORDS,
  ...Object.keys(WEEKDAY_WORDS),
  ...Object.keys(DAY_GROUP_WORDS),
  ...Object.keys(LATIN_WORDS),
  ...Object.keys(AMBIGUOUS_WORDS),
  ...AS_NEEDED_WORDS,
  ...AS_NEEDED_LEADS,
  ...AS_NEEDED_TAILS,
  ...LEAD_WORDS,
  ...EVALUATION_WORDS,
  ...TREAT_WORDS,
  ...CONNECTOR_WORDS,
]);

/** A glued run cut into the fewest known pieces, or null when it cannot be cut. */
function cutGlued(word: string): string[] | null {
  // best[i]: the fewest pieces covering word[0..i)
  const best: Array<string[] | null> = [[]];
  for (let i = 1; i <= word.length; i++) {
    best[i] = null;
    for (let j = Math.max(0, i - 6); j < i; j++) {
      const prefix = best[j];
      const piece = word.slice(j, i);
      if (prefix && GLUED_PIECES.has(piece) && (!best[i] || prefix.length + 1 < best[i]!.length))
        best[i] = [...prefix, piece];
    }
  }
  return best[word.length] ?? null;
}

function wordTokens(word: string): Token[] {
  if (KNOWN.has(word) || disciplineAt([word], 0)) return [{ kind: "word", text: word }];
  return (cutGlued(word) ?? [word]).map((text) => ({ kind: "word", text }));
}

/** The raw scan: digits, letter runs (with "b.i.d." glued), symbols. */
function scan(text: string): Token[] {
  const s = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/['’`]/g, "");
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (isDigit(c) || (c === "." && isDigit(s[i + 1]))) {
      let j = i;
      while (isDigit(s[j])) j++;
      if (s[j] === "." && isDigit(s[j + 1])) {
        j++;
        while (isDigit(s[j])) j++;
      }
      const value = Number(s.slice(i, j));
      const suffix = s.slice(j, j + 2);
      if (ORDINAL_SUFFIXES.has(suffix) && !isLetter(s[j + 2])) {
        out.push({ kind: "num", value, ordinal: true });
        j += 2;
      } else {
        out.push({ kind: "num", value });
      }
      i = j;
    } else if (isLetter(c)) {
      let word = "";
      let j = i;
      let segment = 0;
      for (;;) {
        while (isLetter(s[j])) {
          word += s[j];
          segment++;
          j++;
        }
        // "b.i.d.", "q.o.d.", "M.W.F.": single letters joined by dots are one word
        if (segment === 1 && s[j] === "." && isLetter(s[j + 1])) {
          j++;
          segment = 0;
          continue;
        }
        break;
      }
      out.push(...wordTokens(word));
      i = j;
    } else if (c === "<" && s[i + 1] === "=") {
      out.push({ kind: "word", text: "max" });
      i += 2;
    } else if (SYMBOL_WORDS[c]) {
      out.push({ kind: "word", text: SYMBOL_WORDS[c] });
      i++;
    } else if (SYMBOLS[c]) {
      out.push({ kind: "sym", text: SYMBOLS[c] });
      i++;
    } else if (c === "." || c === " " || c === "\t" || c === "\r" || c === "\u00a0") {
      i++;
    } else {
      out.push({ kind: "other" });
      i++;
    }
  }
  return out;
}

/** Number words to numbers ("twenty-four" → 24), "two (2)" to one number, other brackets dropped. */
function numbers(raw: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    if (t.kind !== "word") {
      out.push(t);
      continue;
    }
    if (TIMES_NUMBER_WORDS[t.text] !== undefined) {
      out.push({ kind: "num", value: TIMES_NUMBER_WORDS[t.text]!, times: true, spelled: true });
    } else if (NUMBER_WORDS[t.text] !== undefined) {
      let value = NUMBER_WORDS[t.text]!;
      if (TENS_WORDS.has(t.text)) {
        const dash = raw[i + 1]?.kind === "sym" && (raw[i + 1] as { text: string }).text === "-" ? 1 : 0;
        const unit = raw[i + 1 + dash];
        if (
          unit?.kind === "word" &&
          NUMBER_WORDS[unit.text] !== undefined &&
          NUMBER_WORDS[unit.text]! < 10 &&
          NUMBER_WORDS[unit.text]! > 0
        ) {
          value += NUMBER_WORDS[unit.text]!;
          i += 1 + dash;
        }
      }
      out.push({ kind: "num", value, spelled: true });
    } else {
      out.push(t);
    }
  }
  // "two (2)", "2 (two)", "twice (2x)": the restatement in brackets goes
  const merged: Token[] = [];
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    const open = out[i + 1];
    const inner = out[i + 2];
    if (
      t.kind === "num" &&
      open?.kind === "sym" &&
      open.text === "(" &&
      inner?.kind === "num" &&
      inner.value === t.value &&
      !inner.ordinal
    ) {
      const timesWord = out[i + 3];
      const skipTimes = t.times && timesWord?.kind === "word" && TIMES_WORDS.has(timesWord.text) ? 1 : 0;
      const close = out[i + 3 + skipTimes];
      if (close?.kind === "sym" && close.text === ")") {
        merged.push(t);
        i += 3 + skipTimes;
        continue;
      }
    }
    merged.push(t);
  }
  return merged.filter((t) => !(t.kind === "sym" && (t.text === "(" || t.text === ")")));
}

export function tokenize(text: string): Token[] {
  return numbers(scan(text));
}
