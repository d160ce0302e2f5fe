/**
 * The dates of each phase inside the referral's dates: one authorization per phase, each starting
 * the day after the previous one ends ("2w2, 1w2" from 2025-03-03: 03-03..03-16, 03-17..03-30).
 */
import type { FrequencyPhase } from "./types";

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDay(iso: string): number | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === iso ? t / DAY_MS : null;
}
const toIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The day before the same date `months` later (a month from Jan 31 runs to Feb 28/29). */
function monthsEnd(startDay: number, months: number): number {
  const d = new Date(startDay * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastOfTarget = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const same = Date.UTC(y, m, Math.min(d.getUTCDate(), lastOfTarget)) / DAY_MS;
  return same - 1;
}

/**
 * ISO start and end of each phase, consecutive and inside [start, end]. A phase runs for its
 * weeks (days, months); the last phase runs to `end` when it has no length, and any phase is cut
 * at `end` when its length overruns. Phases that would start after `end` get no dates (the
 * referral is shorter than the schedule: the array is then shorter than `phases`), and so do the
 * phases after one without a length. Bad or reversed dates give [].
 */
export function phaseDates(
  phases: readonly FrequencyPhase[],
  start: string,
  end: string,
): Array<{ start: string; end: string }> {
  const first = toDay(start);
  const last = toDay(end);
  if (first === null || last === null || last < first) return [];
  const out: Array<{ start: string; end: string }> = [];
  let cursor = first;
  for (let i = 0; i < phases.length && cursor <= last; i++) {
    const p = phases[i]!;
    let stop: number;
    if (p.weeks !== undefined && p.weeks > 0) stop = cursor + Math.round(p.weeks * 7) - 1;
    else if (p.days !== undefined && p.days > 0) stop = cursor + Math.round(p.days) - 1;
    else if (p.months !== undefined && p.months > 0) stop = monthsEnd(cursor, Math.round(p.months));
    else stop = last;
    stop = Math.min(Math.max(stop, cursor), last);
    out.push({ start: toIso(cursor), end: toIso(stop) });
    if (stop === last) break;
    cursor = stop + 1;
  }
  return out;
}
