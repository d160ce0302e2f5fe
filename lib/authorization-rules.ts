/**
 * The rules ACCloud enforces on an authorization create body (contract §6.1, §11, §12.4, §12.5 and
 * the INT-AUTH-v1 overlap conflict), as one table. The sandbox answers with these messages and
 * statuses; the approval editor's schema runs the same checks over the body the push will send,
 * so whatever the editor accepts, the sandbox accepts. Pure: no I/O, safe in the browser.
 */

export const WEEKDAY_RULES = [
  "rule_monday",
  "rule_tuesday",
  "rule_wednesday",
  "rule_thursday",
  "rule_friday",
  "rule_saturday",
  "rule_sunday",
] as const;

/** Every numeric rule field, in the order the sandbox reports the first bad one. */
export const RULE_FIELDS = [
  "rule_daily",
  "rule_weekly",
  "rule_monthly",
  "rule_period",
  ...WEEKDAY_RULES,
  "rule_custom",
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export type AuthorizationField = RuleField | "start_at" | "end_at" | "service_ids" | "payor_id";

/** An authorization create body as it arrives: nothing about its values is known yet. */
export type AuthorizationBody = Readonly<Record<string, unknown>>;

/** The open questions these rules depend on (the sandbox's switches of the same names). */
export type AuthorizationRuleOptions = {
  /** §12.4: does a rule of 0 count as "set" for rule_daily vs rule_<weekday>? */
  zeroRuleCountsAsSet: boolean;
  /** §12.4: also daily ≤ weekly and weekly ≤ monthly, beyond the documented daily ≤ monthly. */
  enforceDailyWeeklyMonthly: boolean;
  /** §12.15: start_at/end_at only YYYY-MM-DD, or date-times too (their date part kept). */
  authorizationDatesDateOnly: boolean;
  /** INT-AUTH-v1: 409 on overlapping dates, same payor, shared services in a different combination. */
  rejectOverlappingAuthorizations: boolean;
};

/**
 * What the app assumes of the real tenant: the strictest reading of every open question, so an
 * approval the editor accepts is unlikely to be refused whichever way ACCloud settles them.
 */
export const APP_AUTHORIZATION_RULE_OPTIONS: Readonly<AuthorizationRuleOptions> = Object.freeze({
  zeroRuleCountsAsSet: true,
  enforceDailyWeeklyMonthly: true,
  authorizationDatesDateOnly: true,
  rejectOverlappingAuthorizations: true,
});

export type RuleContext = { options: AuthorizationRuleOptions; now: Date };

/**
 * "format" rules are checked before the sandbox reads its store (is each value well formed), the
 * "consistency" rules after it found the client and services (do the values agree).
 */
export type RuleStage = "format" | "consistency";

export type AuthorizationRuleId =
  | "start-at-date"
  | "end-at-date"
  | "rule-non-negative"
  | "start-within-year"
  | "end-not-before-start"
  | "daily-not-with-weekday"
  | "daily-le-monthly"
  | "daily-le-weekly"
  | "weekly-le-monthly"
  | "no-overlap";

type RuleBase = {
  readonly id: AuthorizationRuleId;
  readonly status: 400 | 409;
  /** The body fields the rule reads. */
  readonly fields: readonly AuthorizationField[];
  /** ACCloud's message for a violation on `field`, byte for byte. */
  readonly message: (field: AuthorizationField) => string;
};

export type BodyRule = RuleBase & {
  readonly kind: "body";
  readonly stage: RuleStage;
  /** The fields that break the rule (the one a reviewer must change); empty when it holds. */
  readonly check: (body: AuthorizationBody, ctx: RuleContext) => AuthorizationField[];
};

/** An authorization already stored for the client, as the overlap rule needs it. */
export type ExistingAuthorization = {
  readonly id?: number;
  readonly service_ids: readonly number[];
  readonly payor_id: number | null;
  readonly start_at: string;
  readonly end_at: string | null;
};

export type ExistingRule = RuleBase & {
  readonly kind: "existing";
  /** The stored authorization the candidate conflicts with, if any. */
  readonly check: (
    body: AuthorizationBody,
    existing: readonly ExistingAuthorization[],
    ctx: RuleContext,
  ) => ExistingAuthorization | undefined;
};

export type AuthorizationRule = BodyRule | ExistingRule;

export type AuthorizationViolation = {
  readonly rule: AuthorizationRuleId;
  readonly status: 400 | 409;
  readonly field: AuthorizationField;
  readonly message: string;
};

// ---------------------------------------------------------------- value helpers

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(v: unknown): v is string {
  if (typeof v !== "string" || !DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** ISO-8601 date-time carrying an offset (Z or ±hh:mm). */
export function isIsoDateTimeWithOffset(v: unknown): v is string {
  if (typeof v !== "string") return false;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) return false;
  return isIsoDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v));
}

/** The date an authorization date field stands for, or null when ACCloud would refuse it. */
export function authorizationDate(
  v: unknown,
  options: Pick<AuthorizationRuleOptions, "authorizationDatesDateOnly">,
): string | null {
  if (isIsoDate(v)) return v;
  if (!options.authorizationDatesDateOnly && isIsoDateTimeWithOffset(v)) return v.slice(0, 10);
  return null;
}

/** The earliest start_at ACCloud takes on `now`'s (UTC) day. */
export function oneYearBefore(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
}

const isAbsent = (v: unknown) => v === undefined || v === null;
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** For the ≤ rules any number is "set", 0 included (only null or absent is not). */
const amount = (v: unknown): number | undefined => (isNumber(v) ? v : undefined);
/** For rule_daily vs rule_<weekday>, 0 is "set" only when the option says so (§12.4). */
const isRuleSet = (v: unknown, o: AuthorizationRuleOptions) => isNumber(v) && (o.zeroRuleCountsAsSet || v !== 0);

const always = () => true;
const fixed = (text: string) => () => text;

/** A consistency rule: when `enabled`, `lower` may not be above `upper` (a 400 naming `lower`). */
function notAbove(
  id: AuthorizationRuleId,
  lower: RuleField,
  upper: RuleField,
  enabled: (o: AuthorizationRuleOptions) => boolean,
): BodyRule {
  return {
    id,
    kind: "body",
    stage: "consistency",
    status: 400,
    fields: [lower, upper],
    message: fixed(`\`${lower}\` must be lower than or equal \`${upper}\`.`),
    check: (body, ctx) => {
      if (!enabled(ctx.options)) return [];
      const lo = amount(body[lower]);
      const hi = amount(body[upper]);
      return lo !== undefined && hi !== undefined && lo > hi ? [lower] : [];
    },
  };
}
const dateMessage = (field: AuthorizationField) => `\`${field}\` must be a date (YYYY-MM-DD).`;

/** The create message (as documented for POST); PUT's documented text ends with a full stop. */
export const END_BEFORE_START_MESSAGE = "`end_at` should be the same or after `start_at`";
export const END_BEFORE_START_UPDATE_MESSAGE = "`end_at` should be the same or after `start_at`.";
export const OVERLAP_MESSAGE =
  "Authorization overlaps with another authorization that has the same payor and uses one or more of the selected services in a different service combination.";

// ---------------------------------------------------------------- the table

/** In the order the sandbox checks them: the first violation of a stage is its answer. */
export const AUTHORIZATION_RULES: readonly AuthorizationRule[] = [
  {
    id: "start-at-date",
    kind: "body",
    stage: "format",
    status: 400,
    fields: ["start_at"],
    message: dateMessage,
    check: (body, ctx) => (authorizationDate(body.start_at, ctx.options) === null ? ["start_at"] : []),
  },
  {
    id: "end-at-date",
    kind: "body",
    stage: "format",
    status: 400,
    fields: ["end_at"],
    message: dateMessage,
    check: (body, ctx) =>
      !isAbsent(body.end_at) && authorizationDate(body.end_at, ctx.options) === null ? ["end_at"] : [],
  },
  {
    id: "rule-non-negative",
    kind: "body",
    stage: "format",
    status: 400,
    fields: RULE_FIELDS,
    message: (field) => `\`${field}\` must be a number ≥ 0.`,
    check: (body) => RULE_FIELDS.filter((k) => !isAbsent(body[k]) && !(isNumber(body[k]) && (body[k] as number) >= 0)),
  },
  {
    id: "start-within-year",
    kind: "body",
    stage: "consistency",
    status: 400,
    fields: ["start_at"],
    message: fixed("`start_at` cannot be more than 1 year in the past."),
    check: (body, ctx) => {
      const start = authorizationDate(body.start_at, ctx.options);
      return start !== null && start < oneYearBefore(ctx.now) ? ["start_at"] : [];
    },
  },
  {
    id: "end-not-before-start",
    kind: "body",
    stage: "consistency",
    status: 400,
    fields: ["end_at", "start_at"],
    message: fixed(END_BEFORE_START_MESSAGE),
    check: (body, ctx) => {
      const start = authorizationDate(body.start_at, ctx.options);
      const end = authorizationDate(body.end_at, ctx.options);
      return start !== null && end !== null && end < start ? ["end_at"] : [];
    },
  },
  {
    id: "daily-not-with-weekday",
    kind: "body",
    stage: "consistency",
    status: 400,
    fields: ["rule_daily", ...WEEKDAY_RULES],
    message: fixed("`rule_daily` cannot be used with any `rule_<day>` fields."),
    check: (body, ctx) =>
      isRuleSet(body.rule_daily, ctx.options) && WEEKDAY_RULES.some((k) => isRuleSet(body[k], ctx.options))
        ? ["rule_daily"]
        : [],
  },
  notAbove("daily-le-monthly", "rule_daily", "rule_monthly", always),
  notAbove("daily-le-weekly", "rule_daily", "rule_weekly", (o) => o.enforceDailyWeeklyMonthly),
  notAbove("weekly-le-monthly", "rule_weekly", "rule_monthly", (o) => o.enforceDailyWeeklyMonthly),
  {
    id: "no-overlap",
    kind: "existing",
    status: 409,
    fields: ["service_ids", "payor_id", "start_at", "end_at"],
    message: fixed(OVERLAP_MESSAGE),
    check: (body, existing, ctx) => overlappingAuthorization(body, existing, ctx.options),
  },
];

export const BODY_RULES: readonly BodyRule[] = AUTHORIZATION_RULES.filter((r): r is BodyRule => r.kind === "body");

export function authorizationRule(id: AuthorizationRuleId): AuthorizationRule {
  const rule = AUTHORIZATION_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown authorization rule ${id}`);
  return rule;
}

/** Every violation of the body rules (of one stage, or all), in table order. */
export function authorizationViolations(
  body: AuthorizationBody,
  ctx: RuleContext,
  stage?: RuleStage,
): AuthorizationViolation[] {
  const out: AuthorizationViolation[] = [];
  for (const rule of BODY_RULES) {
    if (stage && rule.stage !== stage) continue;
    for (const field of rule.check(body, ctx))
      out.push({ rule: rule.id, status: rule.status, field, message: rule.message(field) });
  }
  return out;
}

/** ACCloud's answer to the body: its first violation of the stage, as the sandbox reports it. */
export function firstAuthorizationViolation(
  body: AuthorizationBody,
  ctx: RuleContext,
  stage?: RuleStage,
): AuthorizationViolation | undefined {
  return authorizationViolations(body, ctx, stage)[0];
}

export const EXISTING_RULES: readonly ExistingRule[] = AUTHORIZATION_RULES.filter(
  (r): r is ExistingRule => r.kind === "existing",
);

/** The first rule the body breaks against the client's stored authorizations (the overlap). */
export function existingAuthorizationViolation(
  body: AuthorizationBody,
  existing: readonly ExistingAuthorization[],
  ctx: RuleContext,
): AuthorizationViolation | undefined {
  for (const rule of EXISTING_RULES) {
    if (rule.check(body, existing, ctx))
      return { rule: rule.id, status: rule.status, field: "service_ids", message: rule.message("service_ids") };
  }
  return undefined;
}

/** The service ids a create body names, once each (ACCloud ignores repeats). */
export function bodyServiceIds(body: AuthorizationBody): number[] {
  return Array.isArray(body.service_ids)
    ? [...new Set(body.service_ids.filter((v): v is number => typeof v === "number"))]
    : [];
}

/**
 * INT-AUTH-v1's conflict: another of the client's live authorizations with the same payor (none
 * equals none), overlapping dates (no end_at = open-ended), sharing at least one service but not
 * the same set of services. The caller passes the client's live (not deleted) authorizations.
 */
export function overlappingAuthorization(
  body: AuthorizationBody,
  existing: readonly ExistingAuthorization[],
  options: AuthorizationRuleOptions,
): ExistingAuthorization | undefined {
  if (!options.rejectOverlappingAuthorizations) return undefined;
  const services = bodyServiceIds(body);
  const start = authorizationDate(body.start_at, options);
  if (!services.length || start === null) return undefined;
  const end = isAbsent(body.end_at) ? null : authorizationDate(body.end_at, options);
  const payor = isNumber(body.payor_id) ? body.payor_id : null;
  const sameSet = (ids: readonly number[]) => {
    const other = new Set(ids);
    return other.size === services.length && services.every((s) => other.has(s));
  };
  return existing.find(
    (o) =>
      (o.payor_id ?? null) === payor &&
      o.service_ids.some((s) => services.includes(s)) &&
      (end === null || o.start_at <= end) &&
      (o.end_at === null || o.end_at >= start) &&
      !sameSet(o.service_ids),
  );
}

/** The rules PUT re-checks: only the end date can change, against the stored start (§6.2). */
export function authorizationUpdateViolation(
  stored: { start_at: string },
  endAt: string | null,
): AuthorizationViolation | undefined {
  if (endAt !== null && endAt < stored.start_at) {
    return { rule: "end-not-before-start", status: 400, field: "end_at", message: END_BEFORE_START_UPDATE_MESSAGE };
  }
  return undefined;
}
