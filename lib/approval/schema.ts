/**
 * The approval a reviewer builds in the authorization editor. The same schema validates the
 * react-hook-form on the client (zodResolver) and the server action, so every rule the ACCloud
 * contract states is shown beside its field before anything is sent: each authorization is
 * mapped to the body the push will send and checked against the table the sandbox enforces.
 */
import { z } from "zod";
import {
  APP_AUTHORIZATION_RULE_OPTIONS,
  authorizationRule,
  authorizationViolations,
  type AuthorizationField,
  type AuthorizationRuleId,
} from "../authorization-rules";
import {
  accloudKeysOf,
  AUTHORIZATION_FIELDS,
  fieldsOfKind,
  WEEKDAY_FIELDS,
  WEEKDAYS,
  type AuthorizationFieldKind,
  type AuthorizationFieldRow,
  type RowOf,
  type Weekday,
} from "./authorization-fields";
import { emptyAuthorization } from "./constants";
import { storableText, unstorableStrings } from "../validations/text";
import { toAccloudAuthorization } from "./to-accloud";

const dateString = z.iso.date({ message: "Enter a date (YYYY-MM-DD)" });
/** Empty inputs arrive as "" or NaN from forms: both mean "not set". */
const optionalAmount = z.preprocess(
  (v) =>
    v === "" || v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) ? undefined : Number(v),
  z.number({ message: "Enter a number" }).min(0, "Must be 0 or more").max(10_000, "Too large").optional(),
);
const optionalText = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    storableText(label).trim().max(max, `At most ${max} characters`).optional(),
  );

/** An authorization's own date: empty means the approval's. */
const optionalDate = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.iso.date({ message: "Enter a date (YYYY-MM-DD), or leave it empty" }).optional(),
);

const weekdayAmounts = () =>
  z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, optionalAmount])) as Record<Weekday, typeof optionalAmount>);

/** Each kind of the table's fields as zod checks it. */
type DraftSchemaOf<R> =
  R extends RowOf<"text">
    ? ReturnType<typeof optionalText>
    : R extends RowOf<"amount">
      ? typeof optionalAmount
      : R extends RowOf<"weekdays">
        ? ReturnType<typeof weekdayAmounts>
        : R extends RowOf<"first-day">
          ? z.ZodCoercedNumber
          : R extends RowOf<"date">
            ? typeof optionalDate
            : R extends RowOf<"rule-type" | "rule-mode">
              ? z.ZodEnum<{ [V in keyof R["options"] & string]: V }>
              : never;
type DraftShape = { [R in (typeof AUTHORIZATION_FIELDS)[number] as R["key"]]: DraftSchemaOf<R> };

const DRAFT_SCHEMAS: Record<AuthorizationFieldKind, (f: AuthorizationFieldRow) => z.ZodType> = {
  text: (f) => optionalText(f.max ?? 100, `the ${f.words}`),
  amount: () => optionalAmount,
  weekdays: () => weekdayAmounts(),
  "first-day": () => z.coerce.number().int().min(0).max(6),
  date: () => optionalDate,
  "rule-type": (f) => z.enum(Object.keys(f.options ?? {}), { message: "Choose hours or visits" }),
  /** explicit: ACCloud refuses rule_daily together with any rule_<weekday> */
  "rule-mode": (f) => z.enum(Object.keys(f.options ?? {})),
};

/** One authorization of the editor: a schema per field of the table (authorization-fields.ts). */
export const ZAuthorizationDraft = z.object(
  Object.fromEntries(AUTHORIZATION_FIELDS.map((f) => [f.key, DRAFT_SCHEMAS[f.kind](f)])) as DraftShape,
);
export type TAuthorizationDraft = z.infer<typeof ZAuthorizationDraft>;

export const ZCaseManager = z.object({
  name: storableText("the case manager's name").trim().min(1, "Enter the case manager's name").max(200),
  phone: optionalText(40, "the phone number"),
  fax: optionalText(40, "the fax number"),
  email: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.email("Enter a valid e-mail").optional(),
  ),
});

/** What a reviewer reads for each ACCloud rule, beside the field it concerns. */
export const EDITOR_RULE_MESSAGES: Record<AuthorizationRuleId, string> = {
  "start-at-date": "Enter a date (YYYY-MM-DD)",
  "end-at-date": "Enter a date (YYYY-MM-DD)",
  "rule-non-negative": "Must be 0 or more",
  "start-within-year": "Start date cannot be more than 1 year in the past",
  "end-not-before-start": "End date must be on or after the start date",
  "daily-not-with-weekday": "A daily rule cannot be combined with per-weekday rules",
  "daily-le-monthly": "The daily rule must be lower than or equal to the monthly rule",
  "daily-le-weekly": "The daily rule must be lower than or equal to the weekly rule",
  "weekly-le-monthly": "The weekly rule must be lower than or equal to the monthly rule",
  "no-overlap": "This authorization overlaps another one with the same payor and a different combination of services",
};

/** Each ACCloud body field of the table and the editor field where it is set. */
const EDITOR_FIELDS: Record<string, Array<string | number>> = Object.fromEntries(
  AUTHORIZATION_FIELDS.flatMap((f: AuthorizationFieldRow) =>
    f.kind === "weekdays"
      ? WEEKDAY_FIELDS.map(([day, field]) => [field, [f.key, day]])
      : accloudKeysOf(f).map((field) => [field, [f.key]]),
  ),
);

/**
 * The editor field where a reviewer fixes an ACCloud body field of authorization `index`. The
 * dates are the approval's unless the authorization has its own (`own`: its startAt, endAt).
 */
export function editorPath(
  field: AuthorizationField,
  index: number,
  own: { startAt?: unknown; endAt?: unknown } = {},
): Array<string | number> {
  if (field === "start_at" && !own.startAt) return ["startDate"];
  if (field === "end_at" && !own.endAt) return ["endDate"];
  return ["authorizations", index, ...(EDITOR_FIELDS[field] ?? [])];
}

/** Stands in for the ids ACCloud assigns at push time; no rule of the table reads them. */
const PLACEHOLDER_IDS = { clientId: 1, serviceId: 1 };

export const ZApproval = z
  .object({
    careType: z.enum(["nursing", "psw"], { message: "Choose nursing or PSW" }),
    serviceCodeId: z.coerce.number({ message: "Choose a service code" }).int().positive("Choose a service code"),
    funderId: z.coerce.number({ message: "Choose a funder" }).int().positive("Choose a funder"),
    /** the referral's dates; an authorization covers these unless it has its own (a phase) inside them */
    startDate: dateString,
    endDate: dateString,
    /** the agency's alayamarket_org_id; checked against the trusted network on the server */
    supplyPersonaId: z.guid("Choose the agency"),
    comment: optionalText(1000, "the comment"),
    caseManager: ZCaseManager,
    authorizations: z.array(ZAuthorizationDraft).min(1, "Add at least one authorization").max(10),
  })
  .superRefine((a, ctx) => {
    // ACCloud's rules over the bodies the push will send. A rule reading a value its field's own
    // schema already refused (a bad date, a negative number) adds nothing, and a message is given
    // once per field: the approval's dates are in every body.
    const refused = new Set(ctx.issues.map((i) => (i.path ?? []).join(".")));
    const seen = new Set<string>();
    const report = (path: Array<string | number>, message: string, rule?: AuthorizationRuleId) => {
      const key = `${path.join(".")}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.addIssue({ code: "custom", path, message, ...(rule ? { params: { accloudRule: rule } } : {}) });
    };
    const ruleCtx = { options: APP_AUTHORIZATION_RULE_OPTIONS, now: new Date() };
    // Without an authorization the dates are still checked (as the first one would carry them).
    const drafts = a.authorizations.length ? a.authorizations : [emptyAuthorization()];
    drafts.forEach((own, i) => {
      const body = toAccloudAuthorization({ ...a, authorizations: drafts }, i, PLACEHOLDER_IDS);
      for (const v of authorizationViolations(body, ruleCtx)) {
        if (authorizationRule(v.rule).fields.some((f) => refused.has(editorPath(f, i, own).join(".")))) continue;
        report(editorPath(v.field, i, own), EDITOR_RULE_MESSAGES[v.rule], v.rule);
      }
    });
    // The editor's own rules: they make the reviewer's intent explicit.
    a.authorizations.forEach((auth, i) => {
      const at = (...p: Array<string | number>) => ["authorizations", i, ...p];
      // An authorization's own dates (a phase) lie inside the approval's.
      if (auth.startAt && (auth.startAt < a.startDate || auth.startAt > a.endDate))
        report(at("startAt"), `Inside the approval's dates (${a.startDate} to ${a.endDate})`);
      if (auth.endAt && (auth.endAt > a.endDate || auth.endAt < a.startDate))
        report(at("endAt"), `Inside the approval's dates (${a.startDate} to ${a.endDate})`);
      const dayValues = WEEKDAYS.map((d) => auth.weekdays[d]).filter((v) => v !== undefined);
      if (auth.ruleMode === "daily") {
        if (dayValues.length) report(at("ruleMode"), "A daily rule cannot be combined with per-weekday rules");
      } else if (auth.ruleDaily !== undefined) {
        report(at("ruleDaily"), "A daily rule cannot be combined with per-weekday rules");
      }
      const amounts = fieldsOfKind("amount").map((f) => [f.key, auth[f.key]] as const);
      const any = [...amounts.map(([, v]) => v), ...dayValues].some((v) => v !== undefined);
      if (!any) report(at("ruleWeekly"), "Set at least one limit (daily, weekdays, weekly, monthly or period)");
      if (auth.ruleType === "VISITS") {
        for (const [key, v] of amounts) {
          if (v !== undefined && !Number.isInteger(v)) report(at(key), "Visits are whole numbers");
        }
        for (const d of WEEKDAYS) {
          const v = auth.weekdays[d];
          if (v !== undefined && !Number.isInteger(v)) report(at("weekdays", d), "Visits are whole numbers");
        }
      }
    });
  });

export type TApproval = z.infer<typeof ZApproval>;
export type TApprovalInput = z.input<typeof ZApproval>;

/** A draft may be incomplete: any JSON object of the editor's fields, bounded in size, with text PostgreSQL can store. */
export const ZApprovalDraft = z
  .record(z.string(), z.json())
  .refine((d) => JSON.stringify(d).length <= 100_000, { message: "The draft is too large" })
  .superRefine((d, ctx) => {
    for (const issue of unstorableStrings(d))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });
