/**
 * The approval editor's constants, without zod: the browser reads them on the referral page's
 * first load, while the schema (and zod) load only when a form validates (`lazyZodResolver`).
 */
import type { TAuthorizationDraftInput } from "./schema";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** ACCloud first_day_of_week: 0 = Monday … 6 = Sunday. */
export const FIRST_DAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export const emptyAuthorization = (): TAuthorizationDraftInput => ({
  ruleType: "VISITS",
  ruleMode: "weekdays",
  ruleDaily: undefined,
  weekdays: {},
  ruleWeekly: undefined,
  ruleMonthly: undefined,
  rulePeriod: undefined,
  firstDayOfWeek: 6,
  authorizationNumber: undefined,
  memberNumber: undefined,
  programId: undefined,
  notes: undefined,
});
