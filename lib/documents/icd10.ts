/**
 * ICD-10(-CM) codes as people and OCR write them: "E11.9", "e119", "E11.9 " are one code. The
 * shape is checked (a letter, a digit, then one to five letters or digits: 3 to 7 characters),
 * not membership of the code set, which the app does not carry.
 */

/** Upper case, no dots or spaces: "e11.9" → "E119". */
export function icdKey(code: string): string {
  return code.toUpperCase().replace(/[\s.]/g, "");
}

const SHAPE = /^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$/;

/** A well-formed code, with or without its dot (only after the third character). */
export function isWellFormedIcd10(code: string): boolean {
  const trimmed = code.trim().toUpperCase();
  if (!/^[A-Z0-9]{3}(\.?[A-Z0-9]{1,4})?\.?$/.test(trimmed)) return false;
  return SHAPE.test(icdKey(trimmed));
}

/** "E119" → "E11.9"; codes of three characters have no dot. */
export function icdDisplay(code: string): string {
  const key = icdKey(code);
  return key.length > 3 ? `${key.slice(0, 3)}.${key.slice(3)}` : key;
}

/**
 * What OCR reads for what, by where the character stands. A code is a letter, a digit, then
 * digits or letters (digits nearly always up to the sixth character), so a digit first or a
 * letter second can only be a misreading, and elsewhere the usual look-alikes are tried:
 * 0/O, 1/I/L, 5/S, 8/B (and 2/Z, 4/A, 6/G, C/D/Q/U for 0).
 */
const AS_LETTER: Record<string, string[]> = {
  "0": ["O"],
  "1": ["I", "L"],
  "2": ["Z"],
  "3": ["J", "B"],
  "4": ["A"],
  "5": ["S"],
  "6": ["G"],
  "7": ["Z", "T"],
  "8": ["B"],
};
const AS_DIGIT: Record<string, string[]> = {
  O: ["0"],
  D: ["0"],
  Q: ["0"],
  C: ["0"],
  U: ["0"],
  I: ["1"],
  L: ["1"],
  J: ["1"],
  T: ["1", "7"],
  Z: ["2", "7"],
  A: ["4"],
  S: ["5", "8"],
  G: ["6"],
  B: ["8"],
};

function choicesAt(c: string, i: number): string[] {
  if (i === 0) return [c, ...(AS_LETTER[c] ?? [])];
  if (i === 1) return [c, ...(AS_DIGIT[c] ?? [])];
  return [c, ...(AS_DIGIT[c] ?? AS_LETTER[c] ?? [])];
}

/** Every spelling reachable by undoing look-alikes (at most 7 characters, a few thousand spellings). */
function variants(key: string): string[] {
  if (key.length > 7) return [key];
  let out = [""];
  for (const [i, c] of [...key].entries()) out = out.flatMap((v) => choicesAt(c, i).map((x) => v + x));
  return out;
}

/**
 * The order's code as the form has it, when it differs only by OCR's look-alikes (0/O, 1/I/L,
 * 5/S, 8/B, …; see AS_LETTER and AS_DIGIT) and exactly one form code is reachable; otherwise the code unchanged. A code already on
 * the form, or one that reaches no form code, is never altered: repair only ever produces a
 * form code, so it cannot hide a real difference.
 */
export function repairIcd(orderCode: string, formKeys: ReadonlySet<string>): string {
  const key = icdKey(orderCode);
  if (formKeys.has(key)) return key;
  const hits = new Set(variants(key).filter((v) => formKeys.has(v)));
  return hits.size === 1 ? [...hits][0]! : key;
}

/**
 * The one code of `candidates` that the order's code reaches by undoing look-alikes and then
 * changing at most one more character, or null (none, or more than one). For OCR readings
 * tesseract was unsure of ("281.81" read at 34 for Z91.81).
 */
export function nearestIcd(orderCode: string, candidates: ReadonlySet<string>): string | null {
  const hits = new Set<string>();
  for (const v of variants(icdKey(orderCode)))
    for (const c of candidates)
      if (c === v || (c.length === v.length && [...c].filter((ch, i) => ch !== v[i]).length <= 1)) hits.add(c);
  return hits.size === 1 ? [...hits][0]! : null;
}
