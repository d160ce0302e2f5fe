/** ACCloud's authorizations: create (with the contract's cross-field rules), update, read and list. */
import { z } from "zod";
import { RULE_FIELDS, WEEKDAY_RULES, type RuleField } from "../authorization-rules";
import { AUTHORIZATION_METHODOLOGIES, id, int, isoDate, nullableString } from "./schemas-common";

/**
 * The text members a create and an update share. Plain strings in the published
 * UpdateAuthorization, never null: "" clears a value (CSI's example sends "notes": "").
 */
const textShape = {
  authorization_number: z.string().optional(),
  member_number: z.string().optional(),
  program_id: z.string().optional(),
  case_manager_name: z.string().optional(),
  case_manager_phone: z.string().optional(),
  case_manager_fax: z.string().optional(),
  case_manager_email: z.string().optional(),
  notes: z.string().optional(),
};

const ruleValue = z.number().nonnegative().nullish();
/** rule_daily … rule_custom, in RULE_FIELDS' order. */
const ruleShape = Object.fromEntries(RULE_FIELDS.map((k) => [k, ruleValue])) as Record<RuleField, typeof ruleValue>;

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
    ...ruleShape,
    custom_number_of_days: int.nonnegative().nullish(),
    ...textShape,
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
  ...textShape,
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
