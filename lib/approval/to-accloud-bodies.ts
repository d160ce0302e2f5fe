/**
 * The other bodies a push sends ACCloud, built from the approval and the submission it pinned: the
 * client (its external id, its demographics), the service, the referral (created, or a new
 * revision) and the cancel. Pure: the push's steps (lib/push/steps/) decide when each is sent and
 * how an earlier attempt's work is found. The authorization body is to-accloud.ts's (the
 * editor's schema checks it too).
 */
import type { PushInput, referralRequests } from "../../db/schema";
import type {
  TClientCreate,
  TReferralCancel,
  TReferralCreate,
  TReferralUpdate,
  TServiceCreate,
} from "../accloud/schemas";
import { clientExternalId } from "../form/identity";
import type { TReferralRequest } from "../intake/schema";
import { localMidnightIso } from "./local-midnight";
import { linkedAuthorizationIds } from "./to-accloud";
import type { TApproval } from "./schema";

/**
 * The client's external id: the agency's client id, namespaced by agency (two agencies' client 1094
 * never collide), of the submission the approval pinned (never a later amendment's), or the
 * referral's own one when it continues as a new client under a client id another person's ACCloud
 * client already has (lib/approval/different-person.ts).
 */
export const clientExternalIdOf = (
  referral: Pick<typeof referralRequests.$inferSelect, "accloudClientExternalId">,
  payload: TReferralRequest,
) => referral.accloudClientExternalId ?? clientExternalId(payload.agency.alayamarket_org_id, payload.client.id);

/** The submission's client as ACCloud's demographics: its gender as one letter, blank optional fields left out. */
export function toAccloudDemographics(p: TReferralRequest) {
  const c = p.client;
  const gender = c.gender
    ? ({ f: "F", female: "F", m: "M", male: "M", o: "O", other: "O" } as Record<string, "F" | "M" | "O">)[
        c.gender.trim().toLowerCase()
      ]
    : undefined;
  const optional = {
    address: c.address,
    city: c.city,
    state: c.state,
    zip: c.zip,
    country: c.country,
    birthday: c.birthday,
    email: c.email,
    phone_main: c.phone_main,
  };
  return {
    first_name: c.first_name,
    last_name: c.last_name,
    ...(gender ? { gender } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => typeof v === "string" && v.trim() !== "")),
  };
}

/** A new client: in the HQ branch and the CSI group (HQ coordinators see it), in the client's time zone. */
export function toAccloudClient(
  payload: TReferralRequest,
  c: { externalId: string; branchId: number; csiGroupId: number },
): TClientCreate {
  return {
    external_id: c.externalId,
    branch_id: c.branchId,
    demographics: toAccloudDemographics(payload),
    groups: [{ id: c.csiGroupId }],
    timezone: payload.client.timezone,
  };
}

/** The service's profile: the agency's name (the one part an update may change, with the service instructions). */
export const toAccloudServiceProfile = (payload: Pick<TReferralRequest, "agency">) => ({
  target_agency: payload.agency.name,
});

/**
 * A new service, keyed by the request's id: the approved code (named as ACCloud names it, else as
 * the request did), one funder paying it all, the approval's dates.
 */
export function toAccloudService(
  a: TApproval,
  payload: TReferralRequest,
  s: { requestId: string; clientId: number; codeName: string | undefined; serviceRequested: string | null },
): TServiceCreate {
  return {
    service_id: s.requestId,
    name: s.codeName ?? s.serviceRequested ?? "Referral service",
    client: { alayacare_client_id: s.clientId },
    service_code_id: a.serviceCodeId,
    funding_methodology: "single_funder",
    guid_funder_breakdowns: [{ funder_id: a.funderId, is_primary: 1, percentage: 100 }],
    start_date: a.startDate,
    projected_end_date: a.endDate,
    profile: toAccloudServiceProfile(payload),
  };
}

export const toAccloudCaseManager = (a: TApproval) => ({
  name: a.caseManager.name,
  phone_number: a.caseManager.phone ?? null,
  fax_number: a.caseManager.fax ?? null,
  email: a.caseManager.email ?? null,
});

/** The first referral of a service: its dates at local midnight in the client's time zone (local-midnight.ts). */
export function toAccloudReferral(a: TApproval, timeZone: string, authorizationIds: number[]): TReferralCreate {
  return {
    care_type: a.careType,
    referral_type: "service",
    start_at: localMidnightIso(a.startDate, timeZone),
    end_at: localMidnightIso(a.endDate, timeZone),
    supply_persona_id: a.supplyPersonaId,
    authorization_ids: linkedAuthorizationIds(a, authorizationIds),
    ...(a.comment ? { comment: a.comment } : {}),
    case_manager: toAccloudCaseManager(a),
  };
}

/** A new revision of the referral, with the approval revision's reasons and comment (the supplier cannot change). */
export function toAccloudReferralUpdate(
  a: TApproval,
  revision: { reasons: string[]; revisionComment: string | null },
  timeZone: string,
  authorizationIds: number[],
): TReferralUpdate {
  return {
    start_at: localMidnightIso(a.startDate, timeZone),
    end_at: localMidnightIso(a.endDate, timeZone),
    revision: { reasons: revision.reasons, comment: revision.revisionComment },
    comment: a.comment ?? null,
    authorization_ids: linkedAuthorizationIds(a, authorizationIds),
    case_manager: toAccloudCaseManager(a),
  };
}

/** A cancel push's reason code (one of ACCloud's, checked by the cancel form's schema, after-sending-schema.ts) and comment. */
export function toAccloudCancel(input: PushInput): TReferralCancel {
  return {
    reason_code: input.reasonCode as TReferralCancel["reason_code"],
    ...(input.comment ? { comment: input.comment } : {}),
  };
}
