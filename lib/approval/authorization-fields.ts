/**
 * The fields of one authorization of the approval editor, as one table: what the editor calls each,
 * what ACCloud's authorization body calls it, what a reviewer reads, whether an update's PUT may
 * change it (contract §6.2) and its value in a new authorization. The zod draft (schema.ts), the
 * empty authorization (constants.ts), the ACCloud body and a retry's lookup match (to-accloud.ts),
 * the update plan (plan.ts), the revision diff's labels (snapshot.ts) and the fieldset
 * (components/approval/authorization-fieldset.tsx) all read it, so a field added here shows up in
 * each, or authorization-fields.test.ts names the one it does not. Plain data without zod and
 * without the rest of the approval: the browser loads it with the referral page.
 */
import { WEEKDAY_RULES } from "../authorization-rules";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** ACCloud first_day_of_week: 0 = Monday … 6 = Sunday. */
export const FIRST_DAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/**
 * How a field is edited, checked and sent:
 * - "text": an optional string; a create body leaves an empty one out, an update sends "" to clear it
 * - "amount": an optional limit (a number, 0 or more), sent when set
 * - "weekdays": one optional limit per weekday, each sent as its rule_<weekday>
 * - "rule-type" and "rule-mode": a choice among `options` (rule-mode is the editor's own: one daily
 *   limit or one per weekday, as ACCloud refuses rule_daily together with any rule_<weekday>)
 * - "first-day": ACCloud's first_day_of_week, an index of FIRST_DAY_LABELS
 * - "date": an optional date of this authorization (YYYY-MM-DD); empty, the approval's own is sent
 */
export type AuthorizationFieldKind = "text" | "amount" | "weekdays" | "rule-type" | "rule-mode" | "first-day" | "date";
export type RuleMode = "daily" | "weekdays";

export type AuthorizationFieldRow = {
  /** the editor's key (the form's path is `authorizations.<i>.<key>`) and the revision snapshot's */
  key: string;
  kind: AuthorizationFieldKind;
  /** the ACCloud body's key (the weekdays: one per day); null for the editor's own */
  accloud: string | readonly string[] | null;
  /** what a reviewer reads beside the input */
  label: string;
  /** the field in running text: the revision diff's labels, the schema's messages ("the member number") */
  words: string;
  /** what the update plan calls a change of it, where not `words` */
  changeWords?: string;
  /**
   * whether a PUT may change it in place (ACCloud's UpdateAuthorization takes strings only);
   * otherwise a change deletes the authorization and creates it again
   */
  put: boolean;
  /** whether a retry's lookup requires an authorization found in ACCloud to have the same value */
  match: boolean;
  /** its value in a new authorization (undefined where absent) */
  default?: string | number | Readonly<Record<string, never>>;
  /** edited and sent only in this rule mode */
  onlyWhen?: RuleMode;
  /** a choice's values, each with what a reviewer reads */
  options?: Readonly<Record<string, string>>;
  /** the longest text accepted */
  max?: number;
  hint?: string;
  /** shown on a row of its own */
  wide?: boolean;
  /** PHI: lib/log.ts redacts its keys (authorization-fields.test.ts checks) */
  phi?: boolean;
};

export const AUTHORIZATION_FIELDS = [
  // An authorization's own dates: a phase of the frequency ("2w2, 1w2"), inside the approval's.
  {
    key: "startAt",
    kind: "date",
    accloud: "start_at",
    label: "Starts",
    words: "start date",
    put: false,
    match: true,
    hint: "Empty: the approval's start date",
  },
  {
    key: "endAt",
    kind: "date",
    accloud: "end_at",
    label: "Ends",
    words: "end date",
    put: true,
    match: true,
    hint: "Empty: the approval's end date",
  },
  {
    key: "ruleType",
    kind: "rule-type",
    accloud: "rule_type",
    label: "Counted in",
    words: "counted in",
    changeWords: "hours or visits",
    put: false,
    match: true,
    default: "VISITS",
    options: { VISITS: "Visits", HOURS: "Hours" },
  },
  {
    key: "ruleMode",
    kind: "rule-mode",
    accloud: null,
    label: "Per-day rule",
    words: "per-day rule",
    put: false,
    match: false,
    default: "weekdays",
    options: { daily: "Same every day", weekdays: "Per weekday" },
  },
  {
    key: "ruleDaily",
    kind: "amount",
    accloud: "rule_daily",
    label: "Daily limit",
    words: "daily limit",
    changeWords: "limits",
    put: false,
    match: true,
    onlyWhen: "daily",
  },
  {
    key: "weekdays",
    kind: "weekdays",
    accloud: WEEKDAY_RULES,
    label: "Limit per weekday",
    words: "limit per weekday",
    changeWords: "limits",
    put: false,
    match: true,
    default: {},
    onlyWhen: "weekdays",
  },
  {
    key: "ruleWeekly",
    kind: "amount",
    accloud: "rule_weekly",
    label: "Weekly limit",
    words: "weekly limit",
    changeWords: "limits",
    put: false,
    match: true,
  },
  {
    key: "ruleMonthly",
    kind: "amount",
    accloud: "rule_monthly",
    label: "Monthly limit",
    words: "monthly limit",
    changeWords: "limits",
    put: false,
    match: true,
  },
  {
    key: "rulePeriod",
    kind: "amount",
    accloud: "rule_period",
    label: "Limit for the period",
    words: "limit for the period",
    changeWords: "limits",
    put: false,
    match: true,
  },
  {
    key: "firstDayOfWeek",
    kind: "first-day",
    accloud: "first_day_of_week",
    label: "Weeks start on",
    words: "weeks start on",
    changeWords: "first day of the week",
    put: false,
    match: false,
    default: 6,
  },
  {
    key: "authorizationNumber",
    kind: "text",
    accloud: "authorization_number",
    label: "Authorization number",
    words: "authorization number",
    put: true,
    match: true,
    max: 100,
  },
  {
    key: "memberNumber",
    kind: "text",
    accloud: "member_number",
    label: "Member number",
    words: "member number",
    put: true,
    match: false,
    max: 100,
    hint: "From the primary subscriber ID",
    phi: true,
  },
  {
    key: "programId",
    kind: "text",
    accloud: "program_id",
    label: "Program id",
    words: "program id",
    put: true,
    match: false,
    max: 100,
  },
  {
    key: "notes",
    kind: "text",
    accloud: "notes",
    label: "Notes (CSI only)",
    words: "notes",
    put: true,
    match: false,
    max: 2000,
    wide: true,
    phi: true,
  },
] as const satisfies readonly AuthorizationFieldRow[];

type Row = (typeof AUTHORIZATION_FIELDS)[number];
export type AuthorizationFieldKey = Row["key"];
/** The rows of one kind, typed as the table has them. */
export type RowOf<K extends AuthorizationFieldKind> = Extract<Row, { kind: K }>;

/** The rows of one kind, in the table's order. */
export const fieldsOfKind = <K extends AuthorizationFieldKind>(kind: K): Array<RowOf<K> & AuthorizationFieldRow> =>
  AUTHORIZATION_FIELDS.filter((f): f is RowOf<K> & AuthorizationFieldRow => f.kind === kind);

/** The ACCloud body keys of a row (none for the editor's own). */
export const accloudKeysOf = (f: AuthorizationFieldRow): readonly string[] =>
  f.accloud === null ? [] : typeof f.accloud === "string" ? [f.accloud] : f.accloud;

/** Each weekday and its ACCloud field (rule_monday …). */
export const WEEKDAY_FIELDS = WEEKDAY_RULES.map((field) => [field.slice("rule_".length) as Weekday, field] as const);

type ValueOf<R extends Row> = R extends { kind: "text" | "date" }
  ? string
  : R extends { kind: "amount" | "first-day" }
    ? number
    : R extends { kind: "weekdays" }
      ? Partial<Record<Weekday, number>>
      : R extends { options: Readonly<Record<string, string>> }
        ? keyof R["options"] & string
        : never;
type OptionalRow = RowOf<"text" | "amount" | "date">;

/** One authorization's values, as the table has them (the editor's parsed draft is one). */
export type AuthorizationValues = { [R in Exclude<Row, OptionalRow> as R["key"]]: ValueOf<R> } & {
  [R in OptionalRow as R["key"]]?: ValueOf<R> | undefined;
};

/** Whether a row is edited and sent in this authorization's rule mode. */
export const inRuleMode = (f: AuthorizationFieldRow, mode: RuleMode) => !f.onlyWhen || f.onlyWhen === mode;
