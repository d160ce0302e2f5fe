/**
 * Request and response shapes of the ACCloud endpoints the product uses
 * (reference/accloud-contract.md). Requests are strict: an unknown or mistyped field
 * is refused before anything is sent. Responses are loose: extra fields are kept, and where the
 * published specs disagree (contract §10) the looser reading is accepted.
 */
import { z } from "zod";
import { WEEKDAY_RULES } from "./authorization-rules";

export const CANCEL_REASON_CODES = [
  "datetime_change",
  "client_request",
  "client_hospitalization",
  "client_passed_away",
  "client_refused_service",
  "processing_error",
  "other",
] as const;

export const FUNDING_METHODOLOGIES = [
  "cluster_billing",
  "cob",
  "co_contribution",
  "co-pay",
  "ltci",
  "medicaid",
  "payor_invoicing",
  "single_funder",
  "single_payor",
  "split_funders",
  "split_percentage",
] as const;

export const LANGUAGE_CODES = [
  "sq",
  "ar",
  "hy",
  "ast",
  "bn",
  "my",
  "yue",
  "zh",
  "hr",
  "cs",
  "fa_AF",
  "nl",
  "en",
  "fo",
  "fr",
  "de",
  "el",
  "he",
  "hi",
  "hu",
  "it",
  "ja",
  "rw",
  "ko",
  "mdr",
  "ne",
  "ps",
  "fa",
  "pl",
  "pt",
  "pa",
  "ro",
  "ru",
  "sr",
  "sk",
  "so",
  "es",
  "sw",
  "tl",
  "ta",
  "ti",
  "uk",
  "ur",
  "vi",
  "other",
] as const;

export const AUTHORIZATION_METHODOLOGIES = ["payor", "payor_bill_code", "payor_service", "service"] as const;
export { WEEKDAY_RULES };

/** 50 MB, read as decimal megabytes: the stricter reading of contract §12.2. */
export const ATTACHMENT_MAX_BYTES = 50_000_000;

const int = z.number().int();
const id = int.positive();
const isoDate = z.iso.date();
const isoDateTimeWithOffset = z.iso.datetime({ offset: true });
const nullableString = z.string().nullish();
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

// ---------------------------------------------------------------- pagination

/** Style A (ext v2): page/count → {count, page, total_pages, items}. The authorizations list only promises items. */
export const pageA = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    count: int.nonnegative().optional(),
    page: int.positive().optional(),
    total_pages: int.nonnegative().optional(),
    items: z.array(item),
  });

/** Style B (alayamarket): page/items_per_page → {page, items_per_page, total_items, total_pages, items}. */
export const pageB = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    page: int.positive(),
    items_per_page: int.positive(),
    total_items: int.nonnegative(),
    total_pages: int.nonnegative(),
    items: z.array(item),
  });

export type PageA<T> = { count?: number; page?: number; total_pages?: number; items: T[] };
export type PageB<T> = { page: number; items_per_page: number; total_items: number; total_pages: number; items: T[] };

export const ZPageAQuery = z.strictObject({ page: id.optional(), count: id.max(1000).optional() });
export const ZPageBQuery = z.strictObject({ page: id.optional(), items_per_page: id.max(1000).optional() });

// ---------------------------------------------------------------- reference data

const ZBranchRef = z.looseObject({ id: int, name: nullableString });

export const ZGroup = z.looseObject({
  id: int,
  name: z.string(),
  description: nullableString,
  is_disabled: z.boolean().nullish(),
  branch: ZBranchRef.nullish(),
});
export type TGroup = z.infer<typeof ZGroup>;

export const ZFunder = z.looseObject({
  id: int,
  external_id: nullableString,
  name: z.string(),
  code: nullableString,
  type: nullableString,
  status: nullableString,
  organization: nullableString,
  organization_code: nullableString,
  branch: ZBranchRef.nullish(),
});
export type TFunder = z.infer<typeof ZFunder>;

export const ZServiceCode = z.looseObject({ id: int, name: z.string(), branch: ZBranchRef.nullish() });
export type TServiceCode = z.infer<typeof ZServiceCode>;

export const ZSupplier = z.looseObject({ id: z.uuid(), name: z.string() });
export type TSupplier = z.infer<typeof ZSupplier>;

export const ZGroupsQuery = ZPageAQuery.extend({ branch_id: id.optional() });
export const ZFundersQuery = ZPageAQuery.extend({
  branch_id: id.optional(),
  search: z.string().min(1).optional(),
  funder_name: z.string().min(1).optional(),
  funder_code: z.string().min(1).optional(),
});
export const ZServiceCodesQuery = ZPageAQuery.extend({ branch_id: id.optional() });
export const ZTrustedNetworkQuery = ZPageBQuery.extend({
  name: z.string().min(1).optional(),
  supply_persona_id: z.array(z.uuid()).optional(),
  sort_order: z.enum(["asc", "desc"]).optional(),
});
export type TGroupsQuery = z.input<typeof ZGroupsQuery>;
export type TFundersQuery = z.input<typeof ZFundersQuery>;
export type TServiceCodesQuery = z.input<typeof ZServiceCodesQuery>;
export type TTrustedNetworkQuery = z.input<typeof ZTrustedNetworkQuery>;

// ---------------------------------------------------------------- clients

const ZGroupRef = z.strictObject({ id, name: z.string().optional() });

const ZDemographics = z
  .object({
    first_name: z.string().trim().min(1),
    last_name: z.string().trim().min(1),
    gender: z.enum(["M", "F", "O"]).optional(),
    birthday: isoDate.optional(),
  })
  .catchall(scalar);

export const ZClientCreate = z.strictObject({
  demographics: ZDemographics,
  /** CSI's own client id; required for idempotent pushes. */
  external_id: z.string().trim().min(1),
  branch_id: id,
  language: z.enum(LANGUAGE_CODES).nullish(),
  /** Must include the group named CSI, or HQ coordinators cannot see the client. */
  groups: z.array(ZGroupRef).min(1),
  timezone: z.string().min(1).nullish(),
  intake_group: z.boolean().optional(),
  is_billing_contact: z.boolean().nullish(),
  correspondence_method: z.enum(["email", "mail"]).nullish(),
});
export type TClientCreate = z.input<typeof ZClientCreate>;

export const ZClientUpdate = z.strictObject({
  demographics: z
    .object({
      first_name: z.string().trim().min(1).optional(),
      last_name: z.string().trim().min(1).optional(),
      gender: z.enum(["M", "F", "O"]).optional(),
      birthday: isoDate.optional(),
    })
    .catchall(scalar)
    .optional(),
  external_id: z.string().trim().min(1).optional(),
  language: z.enum(LANGUAGE_CODES).nullish(),
  groups: z.array(ZGroupRef).min(1).optional(),
  timezone: z.string().min(1).nullish(),
});
export type TClientUpdate = z.input<typeof ZClientUpdate>;

export const ZCreated = z.looseObject({ id, external_id: z.string().nullable() });
export type TCreated = z.infer<typeof ZCreated>;

export const ZClientDetails = z.looseObject({
  id,
  ac_id: nullableString,
  external_id: z.string().nullable(),
  profile_id: int.nullish(),
  branch_id: int.nullish(),
  status: z.string(),
  demographics: z.record(z.string(), z.unknown()),
  language: nullableString,
  groups: z.array(z.looseObject({ id: int, name: nullableString })).nullish(),
  timezone: nullableString,
});
export type TClientDetails = z.infer<typeof ZClientDetails>;

// ---------------------------------------------------------------- services

/** Exactly one of the two ids (contract §5.1; the CSI example sending both is §10 #4). */
const ZServiceClientRef = z.union([
  z.strictObject({ alayacare_client_id: id }),
  z.strictObject({ client_id: z.string().trim().min(1) }),
]);

const ZFunderBreakdown = z.strictObject({
  funder_id: id,
  /** The spec types it integer 0/1; the CSI example's boolean is §10 #5. */
  is_primary: z.union([z.literal(0), z.literal(1)]),
  percentage: int.min(0).max(100),
  contact_id: id.optional(),
});

export const ZServiceCreate = z
  .strictObject({
    /** External service id: the referral request_id. */
    service_id: z.string().trim().min(1),
    name: z.string().trim().min(1),
    client: ZServiceClientRef,
    service_code_id: id.optional(),
    service_code_name: z.string().trim().min(1).optional(),
    funding_methodology: z.enum(FUNDING_METHODOLOGIES),
    guid_funder_breakdowns: z.array(ZFunderBreakdown).min(1),
    start_date: isoDate.optional(),
    projected_end_date: isoDate.optional(),
    service_instructions: z.string().optional(),
    notes: z.string().optional(),
    use_client_address: z.boolean().optional(),
    profile: z.record(z.string(), scalar).optional(),
  })
  .refine((s) => (s.service_code_id === undefined) !== (s.service_code_name === undefined), {
    message: "exactly one of service_code_id or service_code_name is required",
    path: ["service_code_id"],
  });
export type TServiceCreate = z.input<typeof ZServiceCreate>;

/** PUT /services/{id}: only these change in place (§5.2); code, funder and dates do not. */
export const ZServiceUpdate = z.strictObject({
  service_id: z.string().trim().min(1).optional(),
  profile: z.record(z.string(), scalar).optional(),
  service_instructions: z.string().optional(),
});
export type TServiceUpdate = z.input<typeof ZServiceUpdate>;

const ZServiceFunder = z.looseObject({
  id: int,
  external_id: nullableString,
  name: nullableString,
  code: nullableString,
  percentage: z.number().nullish(),
});

export const ZServiceDetails = z.looseObject({
  /** The spec types it string in ServiceDetails and integer in Service; either is accepted. */
  alayacare_service_id: z.union([id, z.string().regex(/^\d+$/).transform(Number)]),
  service_id: z.union([z.string(), int]).nullish(),
  service_name: z.string(),
  service_status: z.string(),
  alayacare_service_code_id: int.nullish(),
  service_code_name: nullableString,
  start_date: nullableString,
  service_instructions: nullableString,
  use_client_address: z.boolean().nullish(),
  funders: z.array(ZServiceFunder).nullish(),
  patient: z.looseObject({ id: int, external_id: nullableString }).nullish(),
  profile: z.record(z.string(), z.unknown()).nullish(),
});
export type TServiceDetails = z.infer<typeof ZServiceDetails>;

// ---------------------------------------------------------------- authorizations

const ruleValue = z.number().nonnegative().nullish();

export const ZAuthorizationCreate = z
  .strictObject({
    client_id: id,
    /** Optional in the spec; CSI always ties an authorization to its service. */
    service_ids: z.array(id).min(1),
    billcode_ids: z.array(id).optional(),
    start_at: isoDate,
    /** Optional in the spec (§10 #9); CSI needs it for the referral date match. */
    end_at: isoDate,
    methodology: z.enum(AUTHORIZATION_METHODOLOGIES),
    payor_id: id.optional(),
    payor_id_type: z.enum(["FUNDER", "CONTACT"]).optional(),
    rule_type: z.enum(["HOURS", "VISITS"]),
    first_day_of_week: int.min(0).max(6),
    rule_daily: ruleValue,
    rule_weekly: ruleValue,
    rule_monthly: ruleValue,
    rule_period: ruleValue,
    rule_monday: ruleValue,
    rule_tuesday: ruleValue,
    rule_wednesday: ruleValue,
    rule_thursday: ruleValue,
    rule_friday: ruleValue,
    rule_saturday: ruleValue,
    rule_sunday: ruleValue,
    rule_custom: ruleValue,
    custom_number_of_days: int.nonnegative().nullish(),
    authorization_number: z.string().optional(),
    member_number: z.string().optional(),
    program_id: z.string().optional(),
    case_manager_name: z.string().optional(),
    case_manager_phone: z.string().optional(),
    case_manager_fax: z.string().optional(),
    case_manager_email: z.string().optional(),
    notes: z.string().optional(),
    include_non_visit_items: z.boolean().optional(),
  })
  .superRefine((a, ctx) => {
    const isSet = (v: number | null | undefined) => v !== undefined && v !== null;
    if (isSet(a.rule_daily) && WEEKDAY_RULES.some((k) => isSet(a[k]))) {
      ctx.addIssue({
        code: "custom",
        path: ["rule_daily"],
        message: "rule_daily cannot be combined with rule_<weekday>",
      });
    }
    if (isSet(a.rule_daily) && isSet(a.rule_monthly) && a.rule_daily! > a.rule_monthly!) {
      ctx.addIssue({ code: "custom", path: ["rule_daily"], message: "rule_daily must be ≤ rule_monthly" });
    }
    if (a.end_at < a.start_at) {
      ctx.addIssue({ code: "custom", path: ["end_at"], message: "end_at must be on or after start_at" });
    }
    if (a.methodology.startsWith("payor") && (a.payor_id === undefined || a.payor_id_type === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["payor_id"],
        message: "payor_id and payor_id_type are required for payor methodologies",
      });
    }
  });
export type TAuthorizationCreate = z.input<typeof ZAuthorizationCreate>;

/** Only the mutable fields (§6.2): start date and frequency changes need delete + recreate. */
export const ZAuthorizationUpdate = z.strictObject({
  end_at: isoDate.optional(),
  // Plain strings in the published UpdateAuthorization, never null: "" clears a value (CSI's example sends "notes": "").
  authorization_number: z.string().optional(),
  member_number: z.string().optional(),
  program_id: z.string().optional(),
  case_manager_name: z.string().optional(),
  case_manager_phone: z.string().optional(),
  case_manager_fax: z.string().optional(),
  case_manager_email: z.string().optional(),
  notes: z.string().optional(),
});
export type TAuthorizationUpdate = z.input<typeof ZAuthorizationUpdate>;

export const ZAuthorization = z.looseObject({
  id: int,
  client_id: int,
  start_at: z.string(),
  end_at: z.string().nullish(),
  /** The read-model enum lacks "service" (§10 #9), so any string is accepted. */
  methodology: nullableString,
  rule_type: z.string(),
  authorization_status: nullableString,
  first_day_of_week: int.nullish(),
  authorization_number: nullableString,
  service_ids: z.array(int).nullish(),
  billcode_ids: z.array(int).nullish(),
});
export type TAuthorization = z.infer<typeof ZAuthorization>;

export const ZAuthorizationsQuery = z.strictObject({
  start_at_from: isoDate,
  start_at_to: isoDate,
  end_at_from: isoDate.optional(),
  end_at_to: isoDate.optional(),
  client_id: id.optional(),
  authorization_number: z.string().min(1).optional(),
  service_id: z.array(id).optional(),
  authorization_status: z.array(z.enum(["NEW", "PENDING", "PROCESSED"])).optional(),
  page: id.optional(),
  count: id.max(1000).optional(),
});
export type TAuthorizationsQuery = z.input<typeof ZAuthorizationsQuery>;

// ---------------------------------------------------------------- referrals

const ZCaseManager = z.strictObject({
  name: z.string().nullish(),
  phone_number: z.string().nullish(),
  fax_number: z.string().nullish(),
  email: z.string().nullish(),
});

export const ZReferralCreate = z
  .strictObject({
    care_type: z.enum(["psw", "nursing"]),
    referral_type: z.enum(["visit", "service"]),
    start_at: isoDateTimeWithOffset,
    end_at: isoDateTimeWithOffset,
    supply_persona_id: z.uuid(),
    authorization_ids: z.array(id).nullish(),
    comment: z.string().optional(),
    case_manager: ZCaseManager.optional(),
  })
  .refine((r) => Date.parse(r.end_at) >= Date.parse(r.start_at), {
    message: "end_at must be on or after start_at",
    path: ["end_at"],
  });
export type TReferralCreate = z.input<typeof ZReferralCreate>;

/** The internal update schema has no supply_persona_id (§10 #13): the supplier cannot change. */
export const ZReferralUpdate = z
  .strictObject({
    start_at: isoDateTimeWithOffset,
    end_at: isoDateTimeWithOffset,
    revision: z.strictObject({
      reasons: z.array(z.string().trim().min(1)).min(1),
      comment: z.string().nullish(),
    }),
    comment: z.string().nullish(),
    authorization_ids: z.array(id).nullish(),
    case_manager: ZCaseManager.nullish(),
  })
  .refine((r) => Date.parse(r.end_at) >= Date.parse(r.start_at), {
    message: "end_at must be on or after start_at",
    path: ["end_at"],
  });
export type TReferralUpdate = z.input<typeof ZReferralUpdate>;

export const ZReferralCancel = z.strictObject({
  reason_code: z.enum(CANCEL_REASON_CODES),
  comment: z.string().max(1000).optional(),
});
export type TReferralCancel = z.input<typeof ZReferralCancel>;

const ZRevision = z.looseObject({
  revision_group_id: z.uuid(),
  revision_number: int.positive(),
  revision_reasons: z.array(z.string()).nullish(),
  revision_comment: nullableString,
  is_latest_revision: z.boolean(),
});

const ZReferralCore = z.looseObject({
  id: z.uuid(),
  sequence_id: z.uuid().nullish(),
  care_type: z.string(),
  referral_type: z.string(),
  status: z.enum(["assigned", "processed", "cancelled"]),
  start_at: z.string(),
  end_at: nullableString,
  comment: nullableString,
  reason_code: nullableString,
  cancellation_comment: nullableString,
  created_at: z.string(),
  updated_at: nullableString,
});

export const ZReferralDetail = z.looseObject({
  referral: ZReferralCore,
  supply: z.looseObject({ id: z.uuid(), name: z.string() }),
  /** Internal spec: {authorization: object}; Marketplace: {authorizations: [...]} (§12.9). */
  alayacare: z
    .looseObject({ authorization: z.unknown().optional(), authorizations: z.array(z.unknown()).nullish() })
    .nullish(),
  case_manager: ZCaseManager.loose().nullish(),
  price: z.looseObject({ rate: z.number(), unit: z.string() }).nullish(),
  client: z.looseObject({ id: z.uuid(), outbox_id: z.string().nullish() }),
  service: z.looseObject({ id: z.uuid(), outbox_id: z.string(), name: z.string() }),
  /** Absent from the internal spec (§10 #15); the sandbox always returns it. */
  revision: ZRevision.nullish(),
});
export type TReferralDetail = z.infer<typeof ZReferralDetail>;

export const ZReferralListItem = z.looseObject({
  referral: ZReferralCore,
  supply: z.looseObject({ id: z.uuid(), name: z.string() }),
  alayacare: z.looseObject({ has_authorization: z.boolean() }).nullish(),
  client: z.looseObject({ id: z.uuid(), outbox_id: z.string() }),
  service: z.looseObject({ id: z.uuid(), outbox_id: z.string(), name: z.string() }),
  revision: ZRevision,
});
export type TReferralListItem = z.infer<typeof ZReferralListItem>;

export const ZReferralsQuery = ZPageBQuery.extend({
  revision_group_id: z.uuid().optional(),
  /** Default latest (§10 #12: "all" in the CSI README is a slip). */
  revisions: z.enum(["all", "latest", "archived"]).optional(),
  status: z.enum(["assigned", "processed", "cancelled"]).optional(),
  supply_persona_id: z.uuid().optional(),
  care_type: z.enum(["psw", "nursing"]).optional(),
  referral_type: z.enum(["visit", "service"]).optional(),
  client_outbox_id: z.string().min(1).optional(),
  sequence_id: z.uuid().optional(),
  sort_by: z.enum(["last_modified", "revision_number"]).optional(),
  sort_order: z.enum(["asc", "desc"]).optional(),
});
export type TReferralsQuery = z.input<typeof ZReferralsQuery>;

export const ZAttachmentUploaded = z.looseObject({ filepath: z.string().min(1) });
export type TAttachmentUploaded = z.infer<typeof ZAttachmentUploaded>;

// ---------------------------------------------------------------- error bodies

/** Every documented error shape (§1.2): {code,message}, problem+json, gateway {message,description}. */
export const ZErrorBody = z.looseObject({
  code: z.union([z.string(), z.number()]).optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
  description: z.string().optional(),
  title: z.string().optional(),
});
