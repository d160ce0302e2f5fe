/** Dates as the specs type them into the editor (YYYY-MM-DD, UTC) and read them on the page. */
import { isoDay } from "../../test/support/dates";

/** Today plus `days`, as YYYY-MM-DD. */
export const formatDayFromToday = isoDay;

/** The same day a month later, clamped to the month's last day, as the editor computes it. */
export function addOneMonth(ymd: string): string {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date the way the referral page writes it ("May 7, 1998"). */
export const formatCalendarDate = (ymd: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(
    new Date(`${ymd}T00:00:00Z`),
  );
