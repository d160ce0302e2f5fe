/** ACCloud Marketplace referrals: create, update (a new revision), cancel, read, list; and attachment uploads. */
import { z } from "zod";
import { CANCEL_REASON_CODES, ZPageBQuery, id, int, isoDateTimeWithOffset, nullableString } from "./schemas-common";

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
