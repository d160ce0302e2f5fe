/**
 * The labelled values about people and dates: the readers that take a value's words from what
 * follows a label (a name, a date, an NPI) and the fields read with them (the client's name and
 * birthday, the physician's name and NPI, the start and end dates or the certification period).
 */
import { byLabel, nextNorm, NOT_A_NAME_AFTER, OTHER_OWNER, prevNorm, type Reader } from "./labels";
import { found, lineOf, lineText, type Found, type PLine, type Tok } from "./lines";
import { findDates } from "./normalise";
import { npiDigits } from "./npi";

const NAME_TOKEN = /^[\p{Lu}][\p{L}'’.-]*,?$|^[\p{Lu}][\p{L}'’-]*[\p{Ll}][\p{L}'’.-]*,?$/u;
const TITLE_TOKEN = /^(dr|md|do|np|pa|pa-c|aprn|fnp|fnp-c|dnp|rn|phd|crnp)\.?,?$/i;

/** A person's name: 2–5 capitalised words, optional titles; stops at anything else. */
function readName(titles: boolean): Reader {
  return (toks) => {
    const out: Tok[] = [];
    for (const t of toks) {
      const raw = t.raw.replace(/^[("]+|[)";]+$/g, "");
      // A stray mark between the parts ("OKAFOR, - DOLORES") is passed over.
      if (out.length && /^[^\p{L}\p{N}]{1,2}$/u.test(raw)) continue;
      const ok = NAME_TOKEN.test(raw) || (titles && TITLE_TOKEN.test(raw)) || /^\p{Lu}\.?,?$/u.test(raw);
      if (!ok) break;
      out.push(t);
      if (out.length >= 6 || raw.endsWith(";")) break;
    }
    while (out.length && /^[,.]$/.test(out[out.length - 1]!.raw)) out.pop();
    const words = out.filter((t) => /\p{L}{2,}/u.test(t.raw) && !(titles && TITLE_TOKEN.test(t.raw)));
    return words.length >= 2 ? out : null;
  };
}

/** The first date among the tokens. */
function readDate(toks: Tok[]): Tok[] | null {
  return readDates(toks, 1);
}

/** The first `n` dates among the tokens, as the tokens covering each (a date may span "May 7, 1998"). */
function readDates(toks: Tok[], n: number): Tok[] | null {
  const text = lineText(toks);
  const dates = findDates(text);
  if (dates.length < n) return null;
  const d = dates[n - 1]!;
  return tokensInSpan(toks, d.start, d.end);
}

function tokensInSpan(toks: Tok[], start: number, end: number): Tok[] {
  const out: Tok[] = [];
  let at = 0;
  for (const t of toks) {
    const s = at;
    const e = at + t.raw.length;
    if (e > start && s < end) out.push(t);
    at = e + 1;
  }
  return out;
}

/** Ten digits (OCR's letter confusions undone), in one token or spread over up to three. */
function readNpi(toks: Tok[]): Tok[] | null {
  for (let i = 0; i < toks.length; i++) {
    let digits = "";
    for (let j = i; j < Math.min(toks.length, i + 3); j++) {
      const d = npiDigits(toks[j]!.raw.replace(/[,;:]$/, ""));
      if (!/^\d+$/.test(d)) break;
      digits += d;
      if (digits.length === 10) return toks.slice(i, j + 1);
      if (digits.length > 10) break;
    }
    if (/\d{4}/.test(toks[i]!.raw)) return null;
  }
  return null;
}

export function extractName(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(lines, "client_name", readName(false), (hit) => {
    if (OTHER_OWNER.has(prevNorm(hit))) return false;
    // "Patient's HI Claim No.", "Patient will…": only "Patient:" or a name right after.
    const next = nextNorm(hit);
    if (
      hit.def.words.length === 1 &&
      ["hi", "claim", "medicare", "signature", "id", "phone", "address", "account"].includes(next)
    )
      return false;
    return !["will", "to", "is", "has", "and", "or", "of"].includes(next);
  });
  return got ? found(nameText(got.toks), got.toks, lineOf(got.toks, lines)) : undefined;
}

const nameText = (toks: readonly Tok[]) => lineText(toks).replace(/[,;]$/, "");

export function extractPhysician(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(
    lines,
    "physician_name",
    readName(true),
    (hit) => !NOT_A_NAME_AFTER.has(nextNorm(hit)) || nextNorm(hit) === "",
  );
  return got ? found(nameText(got.toks), got.toks, lineOf(got.toks, lines)) : undefined;
}

export function extractBirthday(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(
    lines,
    "client_birthday",
    readDate,
    (hit) => !OTHER_OWNER.has(prevNorm(hit)) && prevNorm(hit) !== "subscriber",
  );
  if (!got) return undefined;
  const text = lineText(got.toks);
  return found(
    findDates(text, { pivotYear: new Date().getUTCFullYear() })[0]?.iso ?? "",
    got.toks,
    lineOf(got.toks, lines),
  );
}

export function extractNpi(lines: readonly PLine[]): Found | undefined {
  const got = byLabel(
    lines,
    "physician_npi",
    readNpi,
    (hit) =>
      !["agency", "provider", "facility", "organization", "group", "billing", "pharmacy"].includes(prevNorm(hit)),
  );
  if (!got) return undefined;
  return found(npiDigits(got.toks.map((t) => t.raw.replace(/[,;:]$/, "")).join("")), got.toks, lineOf(got.toks, lines));
}

/** Start of care, end of certification: labelled dates, else the certification period's two dates. */
export function extractDates(lines: readonly PLine[]): { start?: Found; end?: Found } {
  const out: { start?: Found; end?: Found } = {};
  const startGot = byLabel(lines, "start_date", readDate);
  if (startGot) out.start = dateFound(startGot.toks, lines);
  const endGot = byLabel(lines, "end_date", readDate);
  if (endGot) out.end = dateFound(endGot.toks, lines);
  const period = byLabel(lines, "cert_period", (toks) => (findDates(lineText(toks)).length >= 2 ? toks : null));
  if (period) {
    const first = readDates(period.toks, 1);
    const second = readDates(period.toks, 2);
    if (!out.start && first) out.start = dateFound(first, lines);
    if (!out.end && second) out.end = dateFound(second, lines);
  }
  return out;
}

function dateFound(toks: Tok[], lines: readonly PLine[]): Found {
  return found(findDates(lineText(toks))[0]?.iso ?? "", toks, lineOf(toks, lines));
}
