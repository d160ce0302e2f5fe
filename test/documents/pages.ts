/**
 * Pages written as text, for the extractor's table tests: each row is a line of words at a
 * position, boxes laid out as a monospaced font would (10 px a character, 20 px a line), so the
 * gaps and columns of a real layout can be spelt out in a string.
 */
import type { PageText, ReadMethod, Word } from "../../lib/documents/types";
import { unionBox } from "../../lib/documents/util";

/** A row: its text (runs of 3+ spaces are the gap between columns, kept as space) and its top in pixels. */
export type Row = string | { text: string; y?: number; x?: number };

const CHAR = 10;
const LINE = 20;

/** A page from rows of text: row i at y = 40 + 30·i unless given; every character 10 px wide. */
export function page(rows: Row[], o: { page?: number; method?: ReadMethod; confidence?: number } = {}): PageText {
  const words: Word[] = [];
  const lines: PageText["lines"] = [];
  rows.forEach((row, i) => {
    const r = typeof row === "string" ? { text: row } : row;
    const y = r.y ?? 40 + 30 * i;
    const x0 = r.x ?? 50;
    const lineWords: Word[] = [];
    for (const m of r.text.matchAll(/\S+/g)) {
      lineWords.push({
        text: m[0],
        box: [x0 + m.index * CHAR, y, m[0].length * CHAR, LINE],
        confidence: o.confidence ?? 100,
        line: lines.length,
      });
    }
    if (!lineWords.length) return;
    words.push(...lineWords);
    lines.push({
      text: lineWords.map((w) => w.text).join(" "),
      box: unionBox(lineWords.map((w) => w.box)),
      confidence: o.confidence ?? 100,
    });
  });
  return { page: o.page ?? 1, width: 1224, height: 1584, method: o.method ?? "text", words, lines };
}

/** The box a run of characters of a row occupies (for asserting sources). */
export function boxOf(rowText: string, value: string, y: number, x = 50): [number, number, number, number] {
  const at = rowText.indexOf(value);
  if (at < 0) throw new Error(`"${value}" is not in the row`);
  return [x + at * CHAR, y, value.length * CHAR, LINE];
}
