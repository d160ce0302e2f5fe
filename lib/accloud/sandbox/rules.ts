import { APP_AUTHORIZATION_RULE_OPTIONS, type AuthorizationRuleOptions } from "../../authorization-rules";

/**
 * Behaviours no source settles (contract §12) and the sandbox's answer to each. Defaults are the
 * strictest plausible reading, so code that passes here is unlikely to break on the real tenant.
 */
export type SandboxRules = AuthorizationRuleOptions & {
  /** §12.1 duplicate external service_id on POST /services: 409, a second service, or update in place. */
  duplicateServiceExternalId: "reject" | "create" | "upsert";
  /** §11 clients without the CSI group: 400, accepted but flagged in /__sandbox/state, or accepted. */
  missingCsiGroup: "reject" | "flag" | "ignore";
  csiGroupName: string;
  /** §12.4 rule_daily vs rule_<weekday>: does 0 count as "set"? */
  zeroRuleCountsAsSet: boolean;
  /** §12.4 also enforce rule_daily ≤ rule_weekly ≤ rule_monthly, beyond the documented daily ≤ monthly. */
  enforceDailyWeeklyMonthly: boolean;
  /** §12.15 authorization start_at/end_at: only YYYY-MM-DD, or date-times accepted too (date part kept). */
  authorizationDatesDateOnly: boolean;
  /** §12.5 PUT /authorizations with a changed start_at/rule_type/rule_* or other immutable field. */
  authorizationImmutableFields: "reject" | "ignore";
  /** §12.6 DELETE of an authorization that a live (latest, not cancelled) referral carries: 403 or allowed. */
  deleteAuthorizationOnLiveReferral: "forbid" | "allow";
  /** [INT-AUTH-v1] 409 when overlapping dates, same payor, shared services in a different combination. */
  rejectOverlappingAuthorizations: boolean;
  /** [INFERRED] authorization service_ids must belong to client_id. */
  authorizationServicesMustBelongToClient: boolean;
  /** §12.3 timezone for the date parts of referral start_at/end_at: "as_written", "UTC" or an IANA zone. */
  referralDateMatchTimezone: string;
  /** §12.3 re-run the authorization date match on referral update. */
  referralDateMatchOnUpdate: boolean;
  /** §12.3 an authorization without end_at fails the date match. */
  authorizationWithoutEndAtFailsDateMatch: boolean;
  /** §12.7 at most one live referral (latest revision, not cancelled) per service. */
  oneLiveReferralPerService: boolean;
  /** §12.11 supply_persona_id on update: rejected if it differs, rejected always, or ignored. */
  supplyPersonaOnUpdate: "reject_change" | "reject_any" | "ignore";
  /** Reject unknown fields in alayamarket request bodies (connexion additionalProperties: false). */
  rejectUnknownReferralFields: boolean;
  /** §12.2 status for "not the latest revision" and for acting on a cancelled referral. */
  referralStateConflictStatus: 409 | 400;
  /** §12.2 cancel success: 204 without body, or 200 with the referral detail. */
  cancelSuccessStatus: 204 | 200;
  /** §12.9 the detail's alayacare block: Marketplace `authorizations` array or internal-spec `authorization` object. */
  alayacareAuthorizationShape: "authorizations" | "authorization";
  /** §12.2 error body of /api/v1/alayamarket/*: problem+json or {message}. */
  alayamarketErrorBody: "problem" | "message";
  /** §12.2 attachment size limit; 50 MB read as decimal (50,000,000), the stricter reading. */
  attachmentMaxBytes: number;
  /** §12.2 status for a file over the limit. */
  attachmentTooLargeStatus: 413 | 400;
  /** §12.13 allowed file extensions (lower case, no dot); null accepts any. */
  attachmentAllowedExtensions: string[] | null;
  /** §12.13 the same bytes uploaded twice to one revision group. */
  duplicateAttachment: "reject" | "allow";
  /** Attachments may target any revision of the group (spec) or only the latest (README reading, §10 #16). */
  attachmentRevision: "any" | "latest";
  /** Reject attachments once the referral group is cancelled. */
  attachmentOnCancelledReferral: "reject" | "allow";
  /** Largest page size honoured; larger requests are clamped (real APIs cap it). */
  maxPageSize: number;
};

/** The authorization switches default to what the approval editor assumes, so the two never drift. */
export const DEFAULT_SANDBOX_RULES: SandboxRules = {
  duplicateServiceExternalId: "reject",
  missingCsiGroup: "reject",
  csiGroupName: "CSI",
  zeroRuleCountsAsSet: APP_AUTHORIZATION_RULE_OPTIONS.zeroRuleCountsAsSet,
  enforceDailyWeeklyMonthly: APP_AUTHORIZATION_RULE_OPTIONS.enforceDailyWeeklyMonthly,
  authorizationDatesDateOnly: APP_AUTHORIZATION_RULE_OPTIONS.authorizationDatesDateOnly,
  authorizationImmutableFields: "reject",
  deleteAuthorizationOnLiveReferral: "forbid",
  rejectOverlappingAuthorizations: APP_AUTHORIZATION_RULE_OPTIONS.rejectOverlappingAuthorizations,
  authorizationServicesMustBelongToClient: true,
  referralDateMatchTimezone: "as_written",
  referralDateMatchOnUpdate: true,
  authorizationWithoutEndAtFailsDateMatch: true,
  oneLiveReferralPerService: true,
  supplyPersonaOnUpdate: "reject_change",
  rejectUnknownReferralFields: true,
  referralStateConflictStatus: 409,
  cancelSuccessStatus: 204,
  alayacareAuthorizationShape: "authorizations",
  alayamarketErrorBody: "problem",
  attachmentMaxBytes: 50_000_000,
  attachmentTooLargeStatus: 413,
  attachmentAllowedExtensions: ["pdf", "png", "jpg", "jpeg", "gif", "tif", "tiff", "doc", "docx", "txt", "rtf"],
  duplicateAttachment: "reject",
  attachmentRevision: "any",
  attachmentOnCancelledReferral: "reject",
  maxPageSize: 100,
};

export function resolveRules(partial: Partial<SandboxRules> = {}): SandboxRules {
  const rules = { ...DEFAULT_SANDBOX_RULES, ...partial };
  const tz = rules.referralDateMatchTimezone;
  if (tz !== "as_written" && tz !== "UTC") {
    try {
      new Intl.DateTimeFormat("en-CA", { timeZone: tz });
    } catch {
      throw new Error(`Sandbox rule referralDateMatchTimezone: unknown time zone ${tz}`);
    }
  }
  if (!Number.isInteger(rules.attachmentMaxBytes) || rules.attachmentMaxBytes <= 0) {
    throw new Error("Sandbox rule attachmentMaxBytes must be a positive integer");
  }
  if (!Number.isInteger(rules.maxPageSize) || rules.maxPageSize <= 0) {
    throw new Error("Sandbox rule maxPageSize must be a positive integer");
  }
  return rules;
}
