/**
 * What an authorization's rules allow, day by day, for the editor's live preview: the most
 * visits (or hours) allowed on each day of the period once the daily / weekday, weekly,
 * monthly and period limits are applied in that order (a greedy, earliest-first schedule).
 */
import { WEEKDAYS, type Weekday } from "./constants";

export type RuleInput = {
  ruleMode: "daily" | "weekdays";
  ruleDaily?: number;
  weekdays: Partial<Record<Weekday, number>>;
  ruleWeekly?: number;
  ruleMonthly?: number;
  rulePeriod?: number;
  /** 0 = Monday … 6 = Sunday */
  firstDayOfWeek: number;
};

export type PreviewDay = { date: string; allowed: number };
export type RulePreview = {
  days: PreviewDay[];
  total: number | null;
  perWeek: number | null;
  weeks: number;
  /** true when nothing limits the amount on some day (no daily, weekday, weekly, monthly or period rule applies) */
  unbounded: boolean;
};

const MAX_DAYS = 3 * 366;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Monday = 0 … Sunday = 6, for a UTC date. */
const dayIndex = (d: Date) => (d.getUTCDay() + 6) % 7;

export function previewRules(startDate: string, endDate: string, r: RuleInput): RulePreview | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || !/^\d{4}-\d{2}-\d{2}$/.test(endDate) || endDate < startDate)
    return null;
  const start = new Date(`${startDate}T00:00:00Z`);
  const end = new Date(`${endDate}T00:00:00Z`);
  const count = Math.round((end.getTime() - start.getTime()) / 86_400_000) + 1;
  if (count > MAX_DAYS) return null;

  const weekly = num(r.ruleWeekly);
  const monthly = num(r.ruleMonthly);
  let remainingPeriod = num(r.rulePeriod) ?? Infinity;
  const usedByWeek = new Map<number, number>();
  const usedByMonth = new Map<string, number>();
  const days: PreviewDay[] = [];
  let unbounded = false;

  for (let i = 0; i < count; i++) {
    const d = new Date(start.getTime() + i * 86_400_000);
    const idx = dayIndex(d);
    const perDay = r.ruleMode === "daily" ? num(r.ruleDaily) : num(r.weekdays[WEEKDAYS[idx]!]);
    // With per-weekday rules, a day without a value allows nothing when other days have values.
    const anyWeekday = r.ruleMode === "weekdays" && WEEKDAYS.some((w) => num(r.weekdays[w]) !== undefined);
    let allowed = perDay ?? (anyWeekday ? 0 : Infinity);
    // Weeks start on firstDayOfWeek: the key is the epoch day of that week's first day / 7.
    const weekKey = Math.floor((d.getTime() / 86_400_000 - ((idx - r.firstDayOfWeek + 7) % 7)) / 7);
    const monthKey = d.toISOString().slice(0, 7);
    if (weekly !== undefined) allowed = Math.min(allowed, weekly - (usedByWeek.get(weekKey) ?? 0));
    if (monthly !== undefined) allowed = Math.min(allowed, monthly - (usedByMonth.get(monthKey) ?? 0));
    allowed = Math.min(allowed, remainingPeriod);
    if (allowed === Infinity) unbounded = true;
    const finite = allowed === Infinity ? 0 : Math.max(0, allowed);
    usedByWeek.set(weekKey, (usedByWeek.get(weekKey) ?? 0) + finite);
    usedByMonth.set(monthKey, (usedByMonth.get(monthKey) ?? 0) + finite);
    if (remainingPeriod !== Infinity) remainingPeriod -= finite;
    days.push({ date: d.toISOString().slice(0, 10), allowed: allowed === Infinity ? Infinity : finite });
  }
  const weeks = count / 7;
  const total = unbounded ? null : round(days.reduce((s, d) => s + d.allowed, 0));
  const fullWeeks = [...usedByWeek.values()];
  const perWeek = unbounded ? null : fullWeeks.length ? round(Math.max(...fullWeeks)) : 0;
  return { days, total, perWeek, weeks: round(weeks), unbounded };
}

const round = (n: number) => Math.round(n * 100) / 100;
