/**
 * The words of the frequency grammar (lib/frequency/grammar.ts): what agencies write for numbers,
 * units, periods, weekdays and the Latin shorthand of home-care orders. Tables only, no logic.
 */

/** A set of words written as one string, separated by white space (a word list reads best as prose). */
function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

/** The same meaning under each of several spellings. */
function spellings<T>(list: string, meaning: T): Record<string, T> {
  return Object.fromEntries([...words(list)].map((word) => [word, meaning]));
}

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Period = "day" | "week" | "month";
export type Unit = "VISITS" | "HOURS";

export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
/** "twenty four", "twenty-four". */
export const TENS_WORDS: ReadonlySet<string> = words("twenty thirty forty fifty sixty seventy eighty ninety");
/** Numbers that already say "times": "twice a week". */
export const TIMES_NUMBER_WORDS: Readonly<Record<string, number>> = { once: 1, twice: 2, thrice: 3 };
/** "every other week", "every third day". */
export const ORDINAL_WORDS: Readonly<Record<string, number>> = { other: 2, second: 2, third: 3, fourth: 4 };
/** 1st, 2nd, 3rd, 4th (glued to digits). */
export const ORDINAL_SUFFIXES: ReadonlySet<string> = new Set(["st", "nd", "rd", "th"]);

export const PERIOD_WORDS: Readonly<Record<string, Period>> = {
  d: "day",
  dy: "day",
  day: "day",
  days: "day",
  w: "week",
  wk: "week",
  wks: "week",
  week: "week",
  weeks: "week",
  mo: "month",
  mos: "month",
  mth: "month",
  mths: "month",
  mnth: "month",
  mnths: "month",
  month: "month",
  months: "month",
};
export const ADVERB_WORDS: Readonly<Record<string, Period>> = {
  daily: "day",
  everyday: "day",
  weekly: "week",
  wkly: "week",
  monthly: "month",
};

export const UNIT_WORDS: Readonly<Record<string, Unit>> = {
  v: "VISITS",
  vis: "VISITS",
  vst: "VISITS",
  vsts: "VISITS",
  visit: "VISITS",
  visits: "VISITS",
  session: "VISITS",
  sessions: "VISITS",
  appt: "VISITS",
  appts: "VISITS",
  appointment: "VISITS",
  appointments: "VISITS",
  h: "HOURS",
  hr: "HOURS",
  hrs: "HOURS",
  hour: "HOURS",
  hours: "HOURS",
};
/** "2x", "3 times", "one time": a count of visits. */
export const TIMES_WORDS: ReadonlySet<string> = new Set(["x", "times", "time"]);

/** Each abbreviation with the days it can stand for, in week order; "t" and "s" are resolved by position ("TTh", "SS"). */
export const WEEKDAY_WORDS: Readonly<Record<string, readonly Weekday[]>> = {
  m: ["monday"],
  mo: ["monday"],
  mon: ["monday"],
  monday: ["monday"],
  mondays: ["monday"],
  t: ["tuesday", "thursday"],
  tu: ["tuesday"],
  tue: ["tuesday"],
  tues: ["tuesday"],
  tuesday: ["tuesday"],
  tuesdays: ["tuesday"],
  w: ["wednesday"],
  we: ["wednesday"],
  wed: ["wednesday"],
  weds: ["wednesday"],
  wednesday: ["wednesday"],
  wednesdays: ["wednesday"],
  r: ["thursday"],
  th: ["thursday"],
  thu: ["thursday"],
  thur: ["thursday"],
  thurs: ["thursday"],
  thursday: ["thursday"],
  thursdays: ["thursday"],
  f: ["friday"],
  fr: ["friday"],
  fri: ["friday"],
  friday: ["friday"],
  fridays: ["friday"],
  s: ["saturday", "sunday"],
  sa: ["saturday"],
  sat: ["saturday"],
  saturday: ["saturday"],
  saturdays: ["saturday"],
  su: ["sunday"],
  sun: ["sunday"],
  sunday: ["sunday"],
  sundays: ["sunday"],
};
export const DAY_GROUP_WORDS: Readonly<Record<string, readonly Weekday[]>> = {
  weekday: ["monday", "tuesday", "wednesday", "thursday", "friday"],
  weekdays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
  weekend: ["saturday", "sunday"],
  weekends: ["saturday", "sunday"],
};

/**
 * The Latin (and nursing) shorthand, as a count of visits per period, optionally every `every`
 * periods: QOD = 1 visit every 2 days. `count` absent: a rate only ("2 hrs QD").
 */
export type Shorthand = { count?: number; per: Period; every: number };
export const LATIN_WORDS: Readonly<Record<string, Shorthand>> = {
  ...spellings("qd qday qdaily", { per: "day", every: 1 }),
  ...spellings("qw qwk qweek", { per: "week", every: 1 }),
  ...spellings("qm qmo qmonth", { per: "month", every: 1 }),
  qod: { per: "day", every: 2 },
  ...spellings("qow fortnightly", { per: "week", every: 2 }),
  bid: { count: 2, per: "day", every: 1 },
  tid: { count: 3, per: "day", every: 1 },
  qid: { count: 4, per: "day", every: 1 },
  ...spellings("biw semiweekly", { count: 2, per: "week", every: 1 }),
  tiw: { count: 3, per: "week", every: 1 },
  semimonthly: { count: 2, per: "month", every: 1 },
};

/** Words that read two ways: the grammar refuses them and says why. */
export const AMBIGUOUS_WORDS: Readonly<Record<string, string>> = {
  biweekly: "“biweekly” can mean twice a week or every two weeks",
  bimonthly: "“bimonthly” can mean twice a month or every two months",
};

/** What leaves the rules to the reviewer: no amount can be read from it. */
export const AS_NEEDED_WORDS: ReadonlySet<string> = new Set(["prn"]);
/** "as needed", "when required", "if necessary". */
export const AS_NEEDED_LEADS: ReadonlySet<string> = new Set(["as", "when", "if"]);
export const AS_NEEDED_TAILS: ReadonlySet<string> = new Set(["needed", "required", "necessary"]);

/** A whole value that says nothing was given (compared with spaces and punctuation removed). */
export const EMPTY_VALUES: ReadonlySet<string> = words(
  "na none nil tbd tba unknown notapplicable notspecified notgiven",
);

/** Words that introduce the value ("Frequency: 2x/week"), skipped at the start of the text. */
export const LEAD_WORDS: ReadonlySet<string> = new Set(["frequency", "freq", "schedule", "visits", "visit"]);

/** Evaluation visits ("PT eval & treat 2w4"): noted on the reading, not a rule. */
export const EVALUATION_WORDS: ReadonlySet<string> = words("eval evaluation evaluate assessment assess");
export const TREAT_WORDS: ReadonlySet<string> = new Set(["treat", "treatment", "tx"]);

/** Every other word the grammar reads (connectors), so the tokenizer never splits it. */
export const CONNECTOR_WORDS: ReadonlySet<string> = words(`
  a an per each every for the next first on in of to or through thru till until and then followed by after
  that thereafter plus total overall max maximum up upto at most no not more than exceed exceeding nte less
  fewer only over during within lasting q period episode authorization auth duration cert certification with
  x bi semi except excluding but
`);

/**
 * Pieces a glued run of letters may be cut into ("mwf" → m w f, "tth" → t th, "xwk" → x wk,
 * "q2wk" is cut at the digit already). Only runs that are wholly made of pieces are cut.
 */
export const GLUED_PIECES: ReadonlySet<string> = new Set([
  ...Object.keys(WEEKDAY_WORDS).filter((w) => !w.endsWith("days")),
  ...words("x q d day w wk wks week mo mth month h hr hrs v visit visits"),
]);
