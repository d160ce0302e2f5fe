/**
 * What people write differently, made comparable: names in any order, case, accents and
 * punctuation; dates in the common US forms. No dependency: both are small, and the tables in
 * normalise.test.ts pin them down.
 */

// ---------------------------------------------------------------------------------------------
// Names

/** Titles and credentials around a physician's name: "Dr.", "MD", "M.D.", "DO", "NP", "PA-C"… */
const TITLES = new Set([
  "dr",
  "doctor",
  "md",
  "do",
  "np",
  "pa",
  "pac",
  "aprn",
  "fnp",
  "fnpc",
  "dnp",
  "crnp",
  "anp",
  "rn",
  "phd",
  "mbbs",
  "dpm",
  "facp",
  "faafp",
]);
const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv"]);

/** Put after a letter that carried an accent, when asked to (see sameName's OCR case). */
const ACCENT = "\u0001";
const unmark = (t: string) => t.replaceAll(ACCENT, "");

/** Lower case, accents and apostrophes removed (or marked), other punctuation to spaces; commas kept (they say "LAST, FIRST"). */
function fold(text: string, markAccents = false): string {
  return text
    .normalize("NFD")
    .replace(/(\p{L})\p{M}+/gu, markAccents ? `$1${ACCENT}` : "$1")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/(\w)\.(?=\w\.)/g, "$1") // "m.d." → "md."
    .replace(/['’`ʼ]/g, "")
    .replace(/[^\p{L}\p{N},\u0001]+/gu, " ")
    .trim();
}

export type NameParts = {
  /** Tokens in reading order (first … last), titles, suffixes and single-letter initials left out. */
  tokens: string[];
};

/**
 * A written name's parts: "SMITHERS, JANE M" and "Jane Smithers" both give ["jane", "smithers"].
 * With `titles`, credentials are dropped too ("Dr. Jeremy Smith, MD" → ["jeremy", "smith"]), but a
 * token like "Do" is a title only before a name's first part or after its last one.
 */
export function nameParts(text: string, options: { titles?: boolean; markAccents?: boolean } = {}): NameParts {
  let parts = fold(text, options.markAccents)
    .split(",")
    .map((p) => p.split(" ").filter(Boolean));
  const isTitle = (t: string) => (options.titles ? TITLES.has(unmark(t)) : false) || SUFFIXES.has(unmark(t));
  // A part made only of titles ("…, MD") says nothing about the name.
  parts = parts.filter((p) => p.length > 0 && !p.every(isTitle));
  for (const p of parts) {
    while (p.length > 1 && isTitle(p[p.length - 1]!)) p.pop();
    while (p.length > 1 && isTitle(p[0]!)) p.shift();
  }
  // "LAST, FIRST MIDDLE" reads as "FIRST MIDDLE LAST".
  const ordered = parts.length === 2 ? [...parts[1]!, ...parts[0]!] : parts.flat();
  return { tokens: ordered.filter((t) => unmark(t).length > 1) };
}

/**
 * OCR's usual confusions folded away (0/o, 1/l/i/|, 5/s, 8/b, rn/m, vv/w), so a scanned
 * "SMlTHERS" still reads as "Smithers". Used only on text that came from OCR.
 */
export function ocrSkeleton(token: string): string {
  return token
    .replace(/rn/g, "m")
    .replace(/vv/g, "w")
    .replace(/[0]/g, "o")
    .replace(/[1i|!]/g, "l")
    .replace(/[5]/g, "s")
    .replace(/[8]/g, "b");
}

/**
 * Same person's name: the same parts in any order and case, accents, punctuation, initials
 * and (with `titles`) credentials ignored; or the same letters in reading order ("Mary Ann" and
 * "MARYANN"). `ocr`: the second name was read by OCR, so its confusable letters are forgiven.
 */
export function sameName(a: string, b: string, options: { titles?: boolean; ocr?: boolean } = {}): boolean {
  const map = (t: string) => (options.ocr ? ocrSkeleton(t) : t);
  const marked = nameParts(a, { ...options, markAccents: true }).tokens;
  const ta = marked.map((t) => map(unmark(t)));
  const tb = nameParts(b, options).tokens.map(map);
  if (ta.length === 0 || tb.length === 0) return false;
  const sorted = (t: string[]) => [...t].sort().join(" ");
  if (sorted(ta) === sorted(tb)) return true;
  if (ta.join("") === tb.join("")) return true;
  // OCR trained on English misreads accented letters ("Peña" as "Peiia"): there, a letter the
  // first name wrote with an accent may be read as any one or two characters; nothing else may differ.
  if (!options.ocr || !marked.some((t) => t.includes(ACCENT)) || marked.length !== tb.length) return false;
  const patterns = marked.map((t) => new RegExp(`^${accentPattern(t)}$`, "u"));
  const unused = new Set(tb.keys());
  for (const p of patterns) {
    const hit = [...unused].find((i) => p.test(tb[i]!));
    if (hit === undefined) return false;
    unused.delete(hit);
  }
  return true;
}

/** A marked token as a pattern over OCR skeletons: each accented letter is itself or any one or two characters. */
function accentPattern(token: string): string {
  let out = "";
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if (c === ACCENT) continue;
    const letter = ocrSkeleton(c).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out += token[i + 1] === ACCENT ? `(?:${letter}|\\S{1,2})` : letter;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

export type FoundDate = { iso: string; start: number; end: number };

/** A real calendar date as "YYYY-MM-DD", or null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Letters OCR reads for digits (O5/O7/l998), put back inside date-like runs only; the text keeps
 * its length, so positions found in it are positions in the original.
 */
export function repairDigits(text: string): string {
  return text.replace(/[0-9OoIlSB|]{1,4}(?:[/\-.][0-9OoIlSB|]{1,4}){2}/g, (run) => {
    if ((run.match(/\d/g) ?? []).length < 4) return run;
    return run.replace(/[Oo]/g, "0").replace(/[Il|]/g, "1").replace(/S/g, "5").replace(/B/g, "8");
  });
}

const PATTERNS: Array<{ re: RegExp; ymd: (m: RegExpExecArray) => [string, string, string] }> = [
  // 1998-05-07
  { re: /(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])/g, ymd: (m) => [m[1]!, m[2]!, m[3]!] },
  // 05/07/1998, 5-7-98, 05.07.1998 (US: month first)
  {
    re: /(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/])/g,
    ymd: (m) => [m[4]!, m[1]!, m[3]!],
  },
  // May 7, 1998 · May 07 1998 · Sept. 7th, 1998 · OCR's "May 7,1998" and "May 7. 1998"
  {
    re: new RegExp(`\\b${MONTH}\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?(?:[,.]\\s*|\\s+)(\\d{4})\\b`, "gi"),
    ymd: (m) => [m[3]!, m[1]!, m[2]!],
  },
  // 7 May 1998 · 07-May-1998 · 7-May-98
  {
    re: new RegExp(`\\b(\\d{1,2})[\\s-]${MONTH}\\.?,?[\\s-](\\d{4}|\\d{2})\\b`, "gi"),
    ymd: (m) => [m[3]!, m[2]!, m[1]!],
  },
];

/**
 * Every date in a text, in order of position, with its span. Two-digit years are 20yy up to
 * `pivotYear` (default: next year) and 19yy after it.
 */
export function findDates(text: string, options: { pivotYear?: number } = {}): FoundDate[] {
  const pivot = (options.pivotYear ?? new Date().getUTCFullYear() + 1) % 100;
  const repaired = repairDigits(text);
  const found: FoundDate[] = [];
  for (const { re, ymd } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(repaired); m; m = re.exec(repaired)) {
      const [ys, ms, ds] = ymd(m);
      let year = Number(ys);
      if (ys.length === 2) year += year <= pivot ? 2000 : 1900;
      const month = /^\d+$/.test(ms)
        ? Number(ms)
        : (MONTHS[ms.toLowerCase().slice(0, ms.toLowerCase().startsWith("sept") ? 4 : 3)] ?? 0);
      const iso = isoDate(year, month, Number(ds));
      if (!iso) continue;
      const start = m.index;
      const end = m.index + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      found.push({ iso, start, end });
    }
  }
  return found.sort((x, y) => x.start - y.start);
}

/** The one date a text states ("05/07/1998", "May 7, 1998", "1998-05-07"), or null. */
export function parseDate(text: string | null | undefined, options: { pivotYear?: number } = {}): string | null {
  if (!text) return null;
  return findDates(text, options)[0]?.iso ?? null;
}
