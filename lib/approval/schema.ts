/**
 * The approval a reviewer builds in the authorization editor. The same schema validates the
 * react-hook-form on the client (zodResolver) and the server action, so every rule the ACCloud
 * contract states is shown beside its field before anything is sent.
 */
import { z } from "zod";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** ACCloud first_day_of_week: 0 = Monday … 6 = Sunday. */
export const FIRST_DAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

const dateString = z.iso.date({ message: "Enter a date (YYYY-MM-DD)" });
/** Empty inputs arrive as "" or NaN from forms: both mean "not set". */
const optionalAmount = z.preprocess(
  (v) => (v === "" || v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) ? undefined : Number(v)),
  z.number({ message: "Enter a number" }).min(0, "Must be 0 or more").max(10_000, "Too large").optional(),
);
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(max, `At most ${max} characters`).optional());

export const ZAuthorizationDraft = z.object({
  ruleType: z.enum(["HOURS", "VISITS"], { message: "Choose hours or visits" }),
  /** explicit: ACCloud refuses rule_daily together with any rule_<weekday> */
  ruleMode: z.enum(["daily", "weekdays"]),
  ruleDaily: optionalAmount,
  weekdays: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, optionalAmount])) as Record<Weekday, typeof optionalAmount>),
  ruleWeekly: optionalAmount,
  ruleMonthly: optionalAmount,
  rulePeriod: optionalAmount,
  firstDayOfWeek: z.coerce.number().int().min(0).max(6),
  authorizationNumber: optionalText(100),
  memberNumber: optionalText(100),
  programId: optionalText(100),
  notes: optionalText(2000),
});
export type TAuthorizationDraft = z.infer<typeof ZAuthorizationDraft>;

export const ZCaseManager = z.object({
  name: z.string().trim().min(1, "Enter the case manager's name").max(200),
  phone: optionalText(40),
  fax: optionalText(40),
  email: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.email("Enter a valid e-mail").optional()),
});

export const ZApproval = z
  .object({
    careType: z.enum(["nursing", "psw"], { message: "Choose nursing or PSW" }),
    serviceCodeId: z.coerce.number({ message: "Choose a service code" }).int().positive("Choose a service code"),
    funderId: z.coerce.number({ message: "Choose a funder" }).int().positive("Choose a funder"),
    /** the referral's dates; every authorization covers exactly these (contract: date parts must match) */
    startDate: dateString,
    endDate: dateString,
    /** the agency's alayamarket_org_id; checked against the trusted network on the server */
    supplyPersonaId: z.guid("Choose the agency"),
    comment: optionalText(1000),
    caseManager: ZCaseManager,
    authorizations: z.array(ZAuthorizationDraft).min(1, "Add at least one authorization").max(10),
  })
  .superRefine((a, ctx) => {
    if (a.startDate && a.endDate && a.endDate < a.startDate) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "End date must be on or after the start date" });
    }
    const yearAgo = new Date();
    yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
    if (a.startDate && a.startDate < yearAgo.toISOString().slice(0, 10)) {
      ctx.addIssue({ code: "custom", path: ["startDate"], message: "Start date cannot be more than 1 year in the past" });
    }
    a.authorizations.forEach((auth, i) => {
      const at = (...p: Array<string | number>) => ["authorizations", i, ...p];
      const dayValues = WEEKDAYS.map((d) => auth.weekdays[d]).filter((v) => v !== undefined);
      if (auth.ruleMode === "daily") {
        if (dayValues.length) ctx.addIssue({ code: "custom", path: at("ruleMode"), message: "A daily rule cannot be combined with per-weekday rules" });
      } else if (auth.ruleDaily !== undefined) {
        ctx.addIssue({ code: "custom", path: at("ruleDaily"), message: "A daily rule cannot be combined with per-weekday rules" });
      }
      if (auth.ruleDaily !== undefined && auth.ruleMonthly !== undefined && auth.ruleDaily > auth.ruleMonthly) {
        ctx.addIssue({ code: "custom", path: at("ruleDaily"), message: "The daily rule must be lower than or equal to the monthly rule" });
      }
      const any = [auth.ruleDaily, ...dayValues, auth.ruleWeekly, auth.ruleMonthly, auth.rulePeriod].some((v) => v !== undefined);
      if (!any) ctx.addIssue({ code: "custom", path: at("ruleWeekly"), message: "Set at least one limit (daily, weekdays, weekly, monthly or period)" });
      if (auth.ruleType === "VISITS") {
        for (const [key, v] of [["ruleDaily", auth.ruleDaily], ["ruleWeekly", auth.ruleWeekly], ["ruleMonthly", auth.ruleMonthly], ["rulePeriod", auth.rulePeriod]] as const) {
          if (v !== undefined && !Number.isInteger(v)) ctx.addIssue({ code: "custom", path: at(key), message: "Visits are whole numbers" });
        }
        for (const d of WEEKDAYS) {
          const v = auth.weekdays[d];
          if (v !== undefined && !Number.isInteger(v)) ctx.addIssue({ code: "custom", path: at("weekdays", d), message: "Visits are whole numbers" });
        }
      }
    });
  });

export type TApproval = z.infer<typeof ZApproval>;
export type TApprovalInput = z.input<typeof ZApproval>;

/** A draft may be incomplete: any JSON object of the editor's fields, bounded in size. */
export const ZApprovalDraft = z
  .record(z.string(), z.json())
  .refine((d) => JSON.stringify(d).length <= 100_000, { message: "The draft is too large" });

/** What the editor posts: the approval plus the row version it was built on. */
export const ZApproveRequest = z.object({
  referralId: z.uuid(),
  version: z.coerce.number().int().positive(),
  approval: ZApproval,
});

export const emptyAuthorization = (): z.input<typeof ZAuthorizationDraft> => ({
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
