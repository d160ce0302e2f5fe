/**
 * The discipline a service name stands for ("Physical Therapy" = "PT" = "physiotherapy"), shared
 * by the order checks, the draft and the frequency grammar (its "SN 1xw x 4w" prefix). Pure.
 */

export const DISCIPLINES = ["PT", "OT", "SN", "HHA", "INFUSION", "ST", "MSW"] as const;
export type Discipline = (typeof DISCIPLINES)[number];

/** Each discipline's names, as words. Longer names win ("infusion nursing" is not SN, "nursing aide" is HHA). */
const NAMES: Readonly<Record<Discipline, readonly string[]>> = {
  PT: [
    "pt",
    "pta",
    "physical therapy",
    "physical therapist",
    "physical therapy assistant",
    "physiotherapy",
    "physiotherapist",
    "physio",
  ],
  OT: ["ot", "ota", "cota", "occupational therapy", "occupational therapist", "occupational therapy assistant"],
  SN: [
    "sn",
    "snv",
    "rn",
    "lpn",
    "lvn",
    "nursing",
    "nurse",
    "skilled nursing",
    "skilled nurse",
    "registered nurse",
    "licensed practical nurse",
    "licensed vocational nurse",
    "wound care",
  ],
  HHA: [
    "hha",
    "aide",
    "home health aide",
    "health aide",
    "home care aide",
    "cna",
    "certified nursing assistant",
    "nursing assistant",
    "nursing aide",
    "psw",
    "personal support worker",
    "personal support",
  ],
  INFUSION: ["infusion", "infusion nursing", "infusion therapy", "home infusion", "iv", "iv therapy", "iv infusion"],
  ST: [
    "st",
    "slp",
    "speech",
    "speech therapy",
    "speech therapist",
    "speech language pathology",
    "speech language pathologist",
  ],
  MSW: [
    "msw",
    "lcsw",
    "social work",
    "social worker",
    "medical social work",
    "medical social worker",
    "medical social services",
  ],
};

const PHRASES: ReadonlyArray<{ words: readonly string[]; code: Discipline }> = DISCIPLINES.flatMap((code) =>
  NAMES[code].map((name) => ({ words: name.split(" "), code })),
).sort((a, b) => b.words.length - a.words.length);

/** Lower case, accents and punctuation gone, split into words ("Speech-Language" → speech language). */
export function disciplineWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The longest discipline name starting at `words[at]`, with how many words it takes. */
export function disciplineAt(words: readonly string[], at: number): { code: Discipline; length: number } | null {
  for (const p of PHRASES) {
    if (p.words.every((w, i) => words[at + i] === w)) return { code: p.code, length: p.words.length };
  }
  return null;
}

/**
 * The one discipline a text names, or null when it names none or several ("PT/OT"). An infusion
 * nurse is INFUSION: the nursing words beside an infusion name do not make it SN as well.
 */
export function disciplineOf(text: string | null | undefined): Discipline | null {
  if (!text) return null;
  const words = disciplineWords(text);
  const found = new Set<Discipline>();
  for (let i = 0; i < words.length;) {
    const hit = disciplineAt(words, i);
    if (hit) found.add(hit.code);
    i += hit ? hit.length : 1;
  }
  if (found.has("INFUSION")) found.delete("SN");
  return found.size === 1 ? [...found][0]! : null;
}
