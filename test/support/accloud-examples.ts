/**
 * Valid ACCloud request bodies relative to today (a client, its service, an authorization and a
 * referral, as the CSI examples write them), and the whole chain created through a client.
 * Imported as a namespace: `build.client()`, `build.service(clientId)`, `build.chain(api)`.
 */
import { randomUUID } from "node:crypto";
import type { AccloudClient } from "../../lib/accloud/client";
import type { TAuthorizationCreate, TClientCreate, TReferralCreate, TServiceCreate } from "../../lib/accloud/schemas";
import { chicagoMidnight, isoDay } from "./dates";
import { CSI_GROUP_ID, GEM_CITY_SUPPLIER_ID, HQ_BRANCH_ID } from "../../lib/accloud/sandbox/seed";

export function client(over: Partial<TClientCreate> = {}): TClientCreate {
  return {
    demographics: {
      first_name: "Frank",
      last_name: "Smith",
      address: "3000 Lakeside Dr",
      city: "Bannockburn",
      state: "IL",
      zip: "60015",
      country: "US",
      birthday: "1999-01-31",
      email: "frank.smith@example.com",
      phone_main: "515-223-4455",
      gender: "M",
    },
    external_id: `csi-client-${randomUUID()}`,
    branch_id: HQ_BRANCH_ID,
    language: "en",
    groups: [{ id: CSI_GROUP_ID }],
    timezone: "America/Chicago",
    ...over,
  };
}

export function service(clientId: number, over: Partial<TServiceCreate> = {}): TServiceCreate {
  return {
    service_id: randomUUID(),
    name: "Skilled Nursing",
    client: { alayacare_client_id: clientId },
    start_date: isoDay(7),
    projected_end_date: isoDay(90),
    funding_methodology: "single_funder",
    guid_funder_breakdowns: [{ funder_id: 9, is_primary: 1, percentage: 100 }],
    service_code_id: 48,
    service_instructions: "Please use buzz code 203",
    use_client_address: true,
    profile: { target_agency: "Gem City Home Care" },
    ...over,
  } as TServiceCreate;
}

export function authorization(
  clientId: number,
  serviceId: number,
  over: Partial<TAuthorizationCreate> = {},
): TAuthorizationCreate {
  return {
    client_id: clientId,
    service_ids: [serviceId],
    start_at: isoDay(7),
    end_at: isoDay(36),
    methodology: "service",
    authorization_number: "123-456",
    member_number: "123-456",
    program_id: "123-456",
    notes: "",
    rule_type: "HOURS",
    rule_weekly: 10,
    rule_monthly: 40,
    rule_period: 50,
    rule_monday: 1,
    rule_tuesday: 1,
    rule_wednesday: 1,
    rule_thursday: 1,
    rule_friday: 1,
    first_day_of_week: 6,
    case_manager_name: "Jane Smith",
    case_manager_phone: "515-111-2222",
    case_manager_fax: "515-111-3333",
    case_manager_email: "jane.smith@example.com",
    ...over,
  };
}

export function referral(authorizationIds: number[], over: Partial<TReferralCreate> = {}): TReferralCreate {
  return {
    authorization_ids: authorizationIds,
    supply_persona_id: GEM_CITY_SUPPLIER_ID,
    referral_type: "service",
    care_type: "nursing",
    start_at: chicagoMidnight(isoDay(7)),
    end_at: chicagoMidnight(isoDay(36)),
    comment: "",
    case_manager: {
      name: "Jane Smith",
      phone_number: "515-111-2233",
      fax_number: null,
      email: "jane.smith@example.com",
    },
    ...over,
  };
}

/** Client → service → authorization → referral, all valid; returns every id. */
export async function chain(api: AccloudClient) {
  const c = await api.createClient(client());
  const s = await api.createService(service(c.id));
  const a = await api.createAuthorization(authorization(c.id, s.id));
  const r = await api.createReferral(s.id, referral([a.id]));
  return { clientId: c.id, serviceId: s.id, authorizationId: a.id, referral: r };
}
