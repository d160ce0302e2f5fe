/**
 * Referral start_at / end_at are written as local midnight in the client's time zone with that
 * zone's offset on that day, e.g. 2023-05-31 in America/Denver → "2023-05-31T00:00:00-06:00".
 * Their date parts, as written, then equal the authorization dates in every time zone.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
/** One formatter per time zone: building one costs far more than formatting with it. */
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, f);
  }
  return f;
}

function offsetMinutesAt(instant: Date, timeZone: string): number {
  const parts = formatIn(timeZone).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

export function localMidnightIso(date: string, timeZone: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  // Two passes: the offset at midnight can differ from the offset at the first guess (DST days).
  let guess = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 2; i++) guess = Date.UTC(y, m - 1, d) - offsetMinutesAt(new Date(guess), timeZone) * 60_000;
  const offset = offsetMinutesAt(new Date(guess), timeZone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${date}T00:00:00${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
