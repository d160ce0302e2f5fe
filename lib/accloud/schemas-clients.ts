/**
 * ACCloud's clients and services: what creating and updating one sends (strict), and what reading one
 * answers (loose).
 */
import { z } from "zod";
import { FUNDING_METHODOLOGIES, LANGUAGE_CODES, id, int, isoDate, nullableString, scalar } from "./schemas-common";

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
