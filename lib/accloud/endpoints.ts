/**
 * The table of ACCloud endpoints the product uses (contract §3–§8), one line each: method, path
 * template, the schemas its request is checked against and its answer read with, the statuses that
 * mean success and its retry class. The client (client.ts) sends any of them with one `call`.
 */
import type { z } from "zod";
import type { AccloudRetryClass } from "./errors";
import {
  ZAttachmentUploaded,
  ZAuthorization,
  ZAuthorizationCreate,
  ZAuthorizationsQuery,
  ZAuthorizationUpdate,
  ZClientCreate,
  ZClientDetails,
  ZClientUpdate,
  ZCreated,
  ZFunder,
  ZFundersQuery,
  ZGroup,
  ZGroupsQuery,
  ZReferralCancel,
  ZReferralCreate,
  ZReferralDetail,
  ZReferralListItem,
  ZReferralsQuery,
  ZReferralUpdate,
  ZServiceCode,
  ZServiceCodesQuery,
  ZServiceCreate,
  ZServiceDetails,
  ZServiceUpdate,
  ZSupplier,
  ZTrustedNetworkQuery,
  pageA,
  pageB,
} from "./schemas";

/** How a path parameter is checked before anything is sent. */
export type ParamKind = "int" | "text" | "uuid";

export type Endpoint = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Also what is logged and put in errors: ids never appear there. */
  path: string;
  params?: Readonly<Record<string, ParamKind>>;
  /** Query parameters, checked and sent as parsed. */
  query?: z.ZodType;
  /** A JSON body, checked and sent as parsed; "file": the multipart part `file` (contract §8). */
  body?: z.ZodType | "file";
  /** What a success answers; null: its body is not read (204, or nothing the caller needs). */
  response: z.ZodType | null;
  /** The statuses that mean success; default 200. */
  ok?: readonly number[];
  retry: AccloudRetryClass;
};

const EXT = "/ext/api/v2";
const OUTBOX = "/api/v1/alayamarket/outbox";
const CLIENTS = `${EXT}/patients/clients`;
const SERVICES = `${EXT}/scheduler/services`;
const AUTHORIZATIONS = `${EXT}/scheduler/authorizations`;
const REFERRALS = `${OUTBOX}/referrals`;

// One endpoint per line, so the table reads as a table.
// prettier-ignore
export const ENDPOINTS = {
  listGroups: { method: "GET", path: `${EXT}/patients/groups`, query: ZGroupsQuery, response: pageA(ZGroup), retry: "read" },
  listFunders: { method: "GET", path: `${EXT}/accounting/funders`, query: ZFundersQuery, response: pageA(ZFunder), retry: "read" },
  listServiceCodes: { method: "GET", path: `${EXT}/scheduler/service_codes`, query: ZServiceCodesQuery, response: pageA(ZServiceCode), retry: "read" },
  listTrustedNetwork: { method: "GET", path: `${OUTBOX}/organizations/trusted_network`, query: ZTrustedNetworkQuery, response: pageB(ZSupplier), retry: "read" },

  createClient: { method: "POST", path: CLIENTS, body: ZClientCreate, response: ZCreated, ok: [201], retry: "lookup" },
  getClient: { method: "GET", path: `${CLIENTS}/{client_id}`, params: { client_id: "int" }, response: ZClientDetails, retry: "read" },
  getClientByExternalId: { method: "GET", path: `${CLIENTS}/by_id/{external_client_id}`, params: { external_client_id: "text" }, response: ZClientDetails, retry: "read" },
  updateClient: { method: "PUT", path: `${CLIENTS}/{client_id}`, params: { client_id: "int" }, body: ZClientUpdate, response: ZCreated, retry: "repeat" },
  updateClientByExternalId: { method: "PUT", path: `${CLIENTS}/by_id/{external_client_id}`, params: { external_client_id: "text" }, body: ZClientUpdate, response: ZCreated, retry: "repeat" },

  // POST /services answers 200, not 201 (§10 #11); 201 is accepted too in case that is ever fixed.
  createService: { method: "POST", path: SERVICES, body: ZServiceCreate, response: ZCreated, ok: [200, 201], retry: "lookup" },
  getService: { method: "GET", path: `${SERVICES}/{alayacare_service_id}`, params: { alayacare_service_id: "int" }, response: ZServiceDetails, retry: "read" },
  getServiceByExternalId: { method: "GET", path: `${SERVICES}/by_id/{service_id}`, params: { service_id: "text" }, response: ZServiceDetails, retry: "read" },
  updateService: { method: "PUT", path: `${SERVICES}/{alayacare_service_id}`, params: { alayacare_service_id: "int" }, body: ZServiceUpdate, response: ZServiceDetails, retry: "repeat" },

  createAuthorization: { method: "POST", path: AUTHORIZATIONS, body: ZAuthorizationCreate, response: ZAuthorization, ok: [201], retry: "lookup" },
  updateAuthorization: { method: "PUT", path: `${AUTHORIZATIONS}/{authorization_id}`, params: { authorization_id: "int" }, body: ZAuthorizationUpdate, response: ZAuthorization, retry: "repeat" },
  deleteAuthorization: { method: "DELETE", path: `${AUTHORIZATIONS}/{authorization_id}`, params: { authorization_id: "int" }, response: null, ok: [204, 200], retry: "repeat" },
  listAuthorizations: { method: "GET", path: AUTHORIZATIONS, query: ZAuthorizationsQuery, response: pageA(ZAuthorization), retry: "read" },

  createReferral: { method: "POST", path: `${REFERRALS}/from_service/{service_id}`, params: { service_id: "int" }, body: ZReferralCreate, response: ZReferralDetail, ok: [201, 200], retry: "lookup" },
  updateReferral: { method: "POST", path: `${REFERRALS}/from_service/{service_id}/update/{referral_id}`, params: { service_id: "int", referral_id: "uuid" }, body: ZReferralUpdate, response: ZReferralDetail, ok: [201, 200], retry: "lookup" },
  // The ACCloud success code for cancel is undocumented (§12.2): any 2xx counts, body ignored.
  cancelReferral: { method: "POST", path: `${REFERRALS}/{referral_id}/cancel`, params: { referral_id: "uuid" }, body: ZReferralCancel, response: null, ok: [204, 200, 201, 202], retry: "lookup" },
  listReferrals: { method: "GET", path: REFERRALS, query: ZReferralsQuery, response: pageB(ZReferralListItem), retry: "read" },
  uploadClientAttachment: { method: "POST", path: `${REFERRALS}/{referral_id}/client_attachment`, params: { referral_id: "uuid" }, body: "file", response: ZAttachmentUploaded, ok: [201, 200], retry: "lookup" },
} as const satisfies Record<string, Endpoint>;

/** The path template of each endpoint. */
export const PATHS = Object.fromEntries(Object.entries(ENDPOINTS).map(([name, e]) => [name, e.path])) as {
  readonly [K in keyof typeof ENDPOINTS]: (typeof ENDPOINTS)[K]["path"];
};
