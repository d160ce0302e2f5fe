/**
 * Display formats. Server-rendered times use one zone (CSI works from Ohio), named on screen,
 * so the server's and the browser's renderings agree.
 */
export const DISPLAY_TIME_ZONE = "America/New_York";

const DATE_TIME: Intl.DateTimeFormatOptions = {
  timeZone: DISPLAY_TIME_ZONE,
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};
/**
 * Each format is made on its first use, not when the module loads: the module is part of client
 * bundles (the queue's badges), and building a zoned Intl format costs a slow laptop's main thread
 * milliseconds while the page hydrates, for a format the page may never use.
 */
function lazyFormat(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let made: Intl.DateTimeFormat | undefined;
  return () => (made ??= new Intl.DateTimeFormat("en-US", options));
}
const dateTimeFmt = lazyFormat(DATE_TIME);
const secondsFmt = lazyFormat({ ...DATE_TIME, second: "2-digit" });
const shortDateTimeFmt = lazyFormat({
  timeZone: DISPLAY_TIME_ZONE,
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const calendarFmt = lazyFormat({ timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });

export const formatDateTime = (d: Date | string) => dateTimeFmt().format(new Date(d));
export const formatDateTimeSeconds = (d: Date | string) => secondsFmt().format(new Date(d));
export const formatShortDateTime = (d: Date | string) => shortDateTimeFmt().format(new Date(d));

/** "2023-05-31" → "May 31, 2023" (a calendar date: no zone shift). Other text is returned as is. */
export function formatCalendarDate(ymd: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return ymd;
  const d = new Date(`${ymd}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? ymd : calendarFmt().format(d);
}

/** Whole years between a birthday and today. */
export function ageInYears(birthday: string | null | undefined, today = new Date()): number | null {
  if (!birthday || !/^\d{4}-\d{2}-\d{2}/.test(birthday)) return null;
  const [y, m, d] = birthday.slice(0, 10).split("-").map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age >= 0 && age < 150 ? age : null;
}

/**
 * A whole count with thousands separators ("1,234"), as en-US writes it, without Intl: the queue's
 * tab counts are rendered in the browser too, where the first Intl.NumberFormat of a page costs
 * a slow laptop's main thread a tenth of a second.
 */
export const formatCount = (n: number) => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** "3 d 4 h", "5 h", "12 min" */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

export const STATUS_LABELS: Record<string, string> = {
  new: "New",
  in_review: "In review",
  pending_info: "Pending info",
  approved: "Approved",
  pushing: "Pushing",
  sent: "Sent",
  push_failed: "Push failed",
  rejected: "Rejected",
  cancelled: "Cancelled",
  processed: "Processed",
  cancelling: "Cancelling",
};
