/**
 * The order's service and frequency: the disciplines it names (a labelled value, else the orders
 * section's lines) and the words after a discipline that the frequency grammar reads.
 */
import { disciplineAt, disciplineWords, type Discipline } from "../form/discipline";
import { ADVERB_WORDS, LATIN_WORDS, PERIOD_WORDS, UNIT_WORDS } from "../frequency/lexicon";
import { parseFrequency } from "../frequency/parse";
import { byLabel, findLabels, valueBelow, valueRight } from "./labels";
import { found, lineOf, lineText, roundBox, type Found, type PLine, type Tok } from "./lines";
import { unionBox } from "./util";

/** The disciplines a piece of text names (lib/form/discipline.ts names), each with the tokens naming it (the last one's index in `toks`). */
function disciplinesIn(
  toks: readonly Tok[],
  line: PLine,
): Array<Found<Discipline> & { firstTok: number; lastTok: number }> {
  const words: Array<{ word: string; tok: number }> = [];
  toks.forEach((t, i) => disciplineWords(t.raw).forEach((word) => words.push({ word, tok: i })));
  const list = words.map((w) => w.word);
  const out: Array<Found<Discipline> & { firstTok: number; lastTok: number }> = [];
  for (let i = 0; i < list.length;) {
    const hit = disciplineAt(list, i);
    if (!hit) {
      i++;
      continue;
    }
    const span = toks.slice(words[i]!.tok, words[i + hit.length - 1]!.tok + 1);
    if (!out.some((o) => o.value === hit.code))
      out.push({ ...found(hit.code, span, line), firstTok: words[i]!.tok, lastTok: words[i + hit.length - 1]!.tok });
    i += hit.length;
  }
  return out;
}

const ORDERS_HEADER = /^(\d{1,2}\.\s*)?(orders?\b|orders for|please provide|services ordered|discipline)/i;
const FREQUENCY_LIKE =
  /\b\d+\s*(x|times?|visits?|w|wk|hrs?|hours?)\b|\b\d+\s*[xX]\s*\/|\b\d+[wW]\d+\b|\bonce\b|\btwice\b|\bdaily\b|\bweekly\b|\bper (week|day|month)\b|\b(qd|qod|biw|tiw|bid)\b/i;

/** Lines of the orders section: from its heading to the next section or 8 lines on. */
function ordersLines(lines: readonly PLine[]): PLine[] {
  const out: PLine[] = [];
  let left = 0;
  for (const line of lines) {
    const text = lineText(line.toks);
    if (ORDERS_HEADER.test(text) && !/^order\s*(date|#|no)/i.test(text)) left = 8;
    else if (
      left > 0 &&
      /^(\d{1,2}\.\s*)?(goals?|medications?|allerg|dme|supplies|safety|nutrition|physician|signature|i certify|\d{2}\.)/i.test(
        text,
      )
    )
      left = 0;
    if (left > 0) {
      out.push(line);
      left--;
    }
  }
  return out;
}

export function extractService(lines: readonly PLine[]): Found<Array<Found<Discipline>>> | undefined {
  // A labelled value ("Discipline: Skilled Nursing", "Orders for: Physical Therapy") says it best.
  for (const hit of findLabels(lines, ["service"])) {
    for (const toks of [valueRight(hit), valueBelow(hit, lines)]) {
      if (!toks.length) continue;
      const line = lineOf(toks, lines);
      const named = disciplinesIn(toks, line);
      if (named.length)
        return {
          value: named,
          text: lineText(toks),
          page: line.page,
          box: roundBox(unionBox(named.map((n) => n.box))),
          ocr: line.ocr,
        };
    }
  }
  // Else the orders section's lines that name a discipline beside a frequency ("SN 2W4 …").
  const section = ordersLines(lines);
  for (const pass of [true, false]) {
    const named: Array<Found<Discipline>> = [];
    for (const line of section) {
      if (pass && !FREQUENCY_LIKE.test(lineText(line.toks))) continue;
      for (const d of disciplinesIn(line.toks, line)) if (!named.some((n) => n.value === d.value)) named.push(d);
    }
    if (named.length)
      return {
        value: named,
        text: named.map((n) => n.text).join(", "),
        page: named[0]!.page,
        box: named[0]!.box,
        ocr: named[0]!.ocr,
      };
  }
  return undefined;
}

/** The frequency: a labelled value, else the words after a discipline on an orders line ("SN 2W4 …"). */
export function extractFrequency(lines: readonly PLine[], discipline: Discipline | null): Found | undefined {
  const labelled = byLabel(lines, "frequency", (toks) => frequencyWords(toks));
  if (labelled) return frequencyFound(labelled.toks, lineOf(labelled.toks, lines));
  const candidates: Array<{ toks: Tok[]; line: PLine; discipline: Discipline }> = [];
  for (const line of ordersLines(lines)) {
    if (!FREQUENCY_LIKE.test(lineText(line.toks))) continue;
    // Each discipline's words run to the next discipline: "SN 2x/wk x 4 wks; PT 3x/wk x 3 wks".
    const named = disciplinesIn(line.toks, line).sort((a, b) => a.lastTok - b.lastTok);
    named.forEach((d, i) => {
      const toks = frequencyWords(line.toks.slice(d.lastTok + 1, named[i + 1]?.firstTok ?? line.toks.length));
      if (toks) candidates.push({ toks, line, discipline: d.value });
    });
  }
  const best = candidates.find((c) => discipline && c.discipline === discipline) ?? candidates[0];
  return best ? frequencyFound(best.toks, best.line) : undefined;
}

function isFrequencyWord(t: Tok): boolean {
  const w = t.norm.replace(/[^a-z]/g, "");
  return /\d/.test(t.raw) || w in PERIOD_WORDS || w in UNIT_WORDS || w in ADVERB_WORDS || w in LATIN_WORDS;
}

function frequencyFound(toks: Tok[], line: PLine): Found {
  const text = lineText(toks).replace(/[:;,.]$/, "");
  return { ...found(text, toks, line), text };
}

/**
 * The words that are the frequency: the shortest run from the start that the frequency grammar
 * reads as it reads the longest ("2X/WK X 9 WKS: ASSESS …" → "2X/WK X 9 WKS"), else, for text it
 * does not read, the words up to the first colon or semicolon when they look like a frequency;
 * null when nothing does.
 */
function frequencyWords(toks: readonly Tok[]): Tok[] | null {
  const text = (n: number) => lineText(toks.slice(0, n)).replace(/[:;,.]$/, "");
  const phases = (n: number) => {
    const r = parseFrequency(text(n));
    return r.ok ? JSON.stringify(r.phases) : null;
  };
  for (let n = Math.min(toks.length, 12); n > 0; n--) {
    const longest = phases(n);
    if (!longest) continue;
    // Words after the frequency that change nothing in it ("ASSESS", "SKILLED") are left out;
    // its own units ("wks") stay, even where the grammar would infer them.
    while (n > 1 && !isFrequencyWord(toks[n - 1]!) && phases(n - 1) === longest) n--;
    return toks.slice(0, n);
  }
  const upTo = toks.findIndex((t) => /[:;]$/.test(t.raw));
  const head = toks.slice(0, upTo < 0 ? toks.length : upTo + 1);
  return head.length && FREQUENCY_LIKE.test(lineText(head)) ? head : null;
}
