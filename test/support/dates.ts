/** Dates relative to today, as the tests write them. */

/** YYYY-MM-DD, `days` from today (UTC). */
export function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Midnight in Chicago as the CSI examples write it (05:00Z in summer). */
export const chicagoMidnight = (day: string) => `${day}T05:00:00+00:00`;
