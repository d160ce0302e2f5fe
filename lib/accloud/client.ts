/**
 * Typed ACCloud client (contract §3–§8). ENDPOINTS describes each endpoint the product uses once:
 * method, path template, the schemas its request is checked against and its answer read with, the
 * statuses that mean success and its retry class. One `call` sends any of them; the methods are
 * thin entries over it. The client never retries by itself: it throws AccloudError saying whether
 * a retry can help and what a retry risks, and the caller (the push job) decides. Bodies are never
 * logged: only method, path template, status and duration.
 */
import { openAsBlob } from "node:fs";
import type { Readable } from "node:stream";
import { z } from "zod";
import { getEnv } from "../env";
import { logger } from "../log";
import { AccloudError, parseRetryAfter, type AccloudErrorInit, type AccloudRetryClass } from "./errors";
import {
  ATTACHMENT_MAX_BYTES,
  ZAttachmentUploaded,
  ZAuthorization,
  ZAuthorizationCreate,
  ZAuthorizationsQuery,
  ZAuthorizationUpdate,
  ZClientCreate,
  ZClientDetails,
  ZClientUpdate,
  ZCreated,
  ZErrorBody,
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
  type PageA,
  type PageB,
  type TAttachmentUploaded,
  type TAuthorization,
  type TAuthorizationCreate,
  type TAuthorizationsQuery,
  type TAuthorizationUpdate,
  type TClientCreate,
  type TClientDetails,
  type TClientUpdate,
  type TServiceUpdate,
  type TCreated,
  type TFunder,
  type TFundersQuery,
  type TGroup,
  type TGroupsQuery,
  type TReferralCancel,
  type TReferralCreate,
  type TReferralDetail,
  type TReferralListItem,
  type TReferralsQuery,
  type TReferralUpdate,
  type TServiceCode,
  type TServiceCodesQuery,
  type TServiceCreate,
  type TServiceDetails,
  type TSupplier,
  type TTrustedNetworkQuery,
} from "./schemas";

/** How a path parameter is checked before anything is sent. */
type ParamKind = "int" | "text" | "uuid";

type Endpoint = {
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

type ParamsOf<E> = E extends { params: infer P }
  ? { [K in keyof P]: P[K] extends "int" ? number : string }
  : Record<string, never>;
type InputOf<E> = E extends { body: "file" }
  ? AttachmentInput
  : E extends { body: infer S extends z.ZodType }
    ? z.input<S>
    : E extends { query: infer Q extends z.ZodType }
      ? z.input<Q> | undefined
      : undefined;
type ResultOf<E> = E extends { response: infer R extends z.ZodType } ? z.output<R> : void;

export type AccloudCallLog = {
  method: string;
  /** The path template: ids and query strings never appear. */
  path: string;
  status: number | null;
  durationMs: number;
  outcome: "ok" | "http_error" | "network_error" | "timeout" | "invalid_response";
};

export type AccloudClientConfig = {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  log?: (entry: AccloudCallLog) => void;
  /** Attachment size limit checked before sending; default 50 MB (decimal). */
  maxAttachmentBytes?: number;
};

export type CallOptions = {
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  signal?: AbortSignal;
};

/** A file to upload; its size must be known before sending so the limit is checked up front. */
export type AttachmentInput = {
  /** Travels in the part's Content-Disposition (the endpoint requires it). */
  filename: string;
  contentType?: string;
} & ({ data: Uint8Array } | { path: string } | { stream: Readable | ReadableStream<Uint8Array>; size: number });

export interface AccloudClient {
  readonly baseUrl: string;
  listGroups(query?: TGroupsQuery, opts?: CallOptions): Promise<PageA<TGroup>>;
  listAllGroups(query?: Omit<TGroupsQuery, "page">, opts?: CallOptions): Promise<TGroup[]>;
  listFunders(query?: TFundersQuery, opts?: CallOptions): Promise<PageA<TFunder>>;
  listAllFunders(query?: Omit<TFundersQuery, "page">, opts?: CallOptions): Promise<TFunder[]>;
  listServiceCodes(query?: TServiceCodesQuery, opts?: CallOptions): Promise<PageA<TServiceCode>>;
  listAllServiceCodes(query?: Omit<TServiceCodesQuery, "page">, opts?: CallOptions): Promise<TServiceCode[]>;
  listTrustedNetwork(query?: TTrustedNetworkQuery, opts?: CallOptions): Promise<PageB<TSupplier>>;
  listAllTrustedNetwork(query?: Omit<TTrustedNetworkQuery, "page">, opts?: CallOptions): Promise<TSupplier[]>;

  createClient(body: TClientCreate, opts?: CallOptions): Promise<TCreated>;
  getClient(clientId: number, opts?: CallOptions): Promise<TClientDetails>;
  getClientByExternalId(externalId: string, opts?: CallOptions): Promise<TClientDetails>;
  updateClient(clientId: number, body: TClientUpdate, opts?: CallOptions): Promise<TCreated>;
  updateClientByExternalId(externalId: string, body: TClientUpdate, opts?: CallOptions): Promise<TCreated>;

  createService(body: TServiceCreate, opts?: CallOptions): Promise<TCreated>;
  getService(serviceId: number, opts?: CallOptions): Promise<TServiceDetails>;
  getServiceByExternalId(externalId: string, opts?: CallOptions): Promise<TServiceDetails>;
  updateService(serviceId: number, body: TServiceUpdate, opts?: CallOptions): Promise<TServiceDetails>;

  createAuthorization(body: TAuthorizationCreate, opts?: CallOptions): Promise<TAuthorization>;
  updateAuthorization(authorizationId: number, body: TAuthorizationUpdate, opts?: CallOptions): Promise<TAuthorization>;
  deleteAuthorization(authorizationId: number, opts?: CallOptions): Promise<void>;
  listAuthorizations(query: TAuthorizationsQuery, opts?: CallOptions): Promise<PageA<TAuthorization>>;
  listAllAuthorizations(query: Omit<TAuthorizationsQuery, "page">, opts?: CallOptions): Promise<TAuthorization[]>;

  createReferral(serviceId: number, body: TReferralCreate, opts?: CallOptions): Promise<TReferralDetail>;
  updateReferral(
    serviceId: number,
    referralId: string,
    body: TReferralUpdate,
    opts?: CallOptions,
  ): Promise<TReferralDetail>;
  cancelReferral(referralId: string, body: TReferralCancel, opts?: CallOptions): Promise<void>;
  listReferrals(query?: TReferralsQuery, opts?: CallOptions): Promise<PageB<TReferralListItem>>;
  listAllReferrals(query?: Omit<TReferralsQuery, "page">, opts?: CallOptions): Promise<TReferralListItem[]>;
  /**
   * The referrals of one service (latest revisions unless `revisions` says otherwise). The list has
   * no service filter: it is narrowed by client (client_outbox_id) and matched on service.outbox_id.
   * This is how a push finds the referral whose create answer was lost.
   */
  listReferralsForService(
    clientId: number,
    serviceId: number,
    query?: Omit<TReferralsQuery, "page" | "client_outbox_id">,
    opts?: CallOptions,
  ): Promise<TReferralListItem[]>;

  uploadClientAttachment(referralId: string, file: AttachmentInput, opts?: CallOptions): Promise<TAttachmentUploaded>;
}

const ZConfig = z.object({
  baseUrl: z.url(),
  apiKey: z.string().min(1),
  apiSecret: z.string().min(1),
  timeoutMs: z.number().int().positive(),
  maxAttachmentBytes: z.number().int().positive().optional(),
});

const MAX_PAGES = 10_000;
const OUTCOMES = {
  http: "http_error",
  network: "network_error",
  timeout: "timeout",
  invalid_response: "invalid_response",
} as const;

export function createAccloudClient(config: AccloudClientConfig): AccloudClient {
  const parsed = ZConfig.safeParse(config);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "config").join(", ");
    throw new Error(`Invalid ACCloud client configuration (${fields})`);
  }
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const doFetch = config.fetch ?? globalThis.fetch;
  const log = config.log ?? (() => {});
  const maxAttachmentBytes = config.maxAttachmentBytes ?? ATTACHMENT_MAX_BYTES;
  const authorization = `Basic ${Buffer.from(`${config.apiKey}:${config.apiSecret}`).toString("base64")}`;

  /** Checks everything before sending: a request that breaks the contract is refused, nothing sent. */
  async function prepare(e: Endpoint, params: Record<string, unknown>, input: unknown) {
    const path = e.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(checkParam(e, name, e.params?.[name], params[name])),
    );
    const headers: Record<string, string> = { authorization, accept: "application/json" };
    let body: BodyInit | undefined;
    let bytes = 0;
    if (e.body === "file") {
      const form = await attachmentForm(e, input as AttachmentInput, maxAttachmentBytes);
      bytes = (form.get("file") as Blob).size;
      body = form;
    } else if (e.body) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(checked(e, e.body, input));
    }
    const search = e.query ? searchOf(checked(e, e.query, input ?? {}) as Record<string, unknown>) : "";
    return { url: `${baseUrl}${path}${search}`, headers, body, bytes };
  }

  async function call<E extends Endpoint>(
    e: E,
    params: ParamsOf<E>,
    input: InputOf<E>,
    opts: CallOptions = {},
  ): Promise<ResultOf<E>> {
    const { url, headers, body, bytes } = await prepare(e, params, input);
    // A file gets the time to travel on top of the call's: 50 MB on a slow uplink is not a hung server.
    const timeout = AbortSignal.timeout(
      (opts.timeoutMs ?? config.timeoutMs) + Math.ceil(bytes / UPLOAD_MIN_BYTES_PER_SECOND) * 1000,
    );
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    const finish = (status: number | null, outcome: AccloudCallLog["outcome"]) =>
      log({ method: e.method, path: e.path, status, durationMs: Math.round(performance.now() - started), outcome });
    const fail = (init: Omit<AccloudErrorInit, "method" | "path" | "retry"> & { kind: keyof typeof OUTCOMES }) => {
      finish(init.status ?? null, OUTCOMES[init.kind]);
      return new AccloudError({ ...init, method: e.method, path: e.path, retry: e.retry });
    };

    let status: number | null = null;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, { method: e.method, headers, body, signal, redirect: "error" });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw fail({ kind: timeout.aborted || opts.signal?.aborted ? "timeout" : "network", status, cause: err });
    }

    if (!(e.ok ?? [200]).includes(res.status)) {
      const { code, message } = errorDetails(text);
      throw fail({
        kind: "http",
        status,
        code,
        accloudMessage: message,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }
    if (e.response === null) {
      finish(status, "ok");
      return undefined as ResultOf<E>;
    }
    const json = parseJson(text);
    if (json === NOT_JSON) throw fail({ kind: "invalid_response", status, issues: ["body is not JSON"] });
    const result = e.response.safeParse(json);
    if (!result.success) throw fail({ kind: "invalid_response", status, issues: issuesOf(result.error) });
    finish(status, "ok");
    return result.data as ResultOf<E>;
  }

  const E = ENDPOINTS;
  const none = {} as Record<string, never>;
  const client: AccloudClient = {
    baseUrl,
    listGroups: (query, opts) => call(E.listGroups, none, query, opts),
    listAllGroups: (query, opts) => allPagesA((q) => client.listGroups(q, opts), query),
    listFunders: (query, opts) => call(E.listFunders, none, query, opts),
    listAllFunders: (query, opts) => allPagesA((q) => client.listFunders(q, opts), query),
    listServiceCodes: (query, opts) => call(E.listServiceCodes, none, query, opts),
    listAllServiceCodes: (query, opts) => allPagesA((q) => client.listServiceCodes(q, opts), query),
    listTrustedNetwork: (query, opts) => call(E.listTrustedNetwork, none, query, opts),
    listAllTrustedNetwork: (query, opts) => allPagesB((q) => client.listTrustedNetwork(q, opts), query),

    createClient: (body, opts) => call(E.createClient, none, body, opts),
    getClient: (clientId, opts) => call(E.getClient, { client_id: clientId }, undefined, opts),
    getClientByExternalId: (externalId, opts) =>
      call(E.getClientByExternalId, { external_client_id: externalId }, undefined, opts),
    updateClient: (clientId, body, opts) => call(E.updateClient, { client_id: clientId }, body, opts),
    updateClientByExternalId: (externalId, body, opts) =>
      call(E.updateClientByExternalId, { external_client_id: externalId }, body, opts),

    createService: (body, opts) => call(E.createService, none, body, opts),
    getService: (serviceId, opts) => call(E.getService, { alayacare_service_id: serviceId }, undefined, opts),
    getServiceByExternalId: (externalId, opts) =>
      call(E.getServiceByExternalId, { service_id: externalId }, undefined, opts),
    updateService: (serviceId, body, opts) => call(E.updateService, { alayacare_service_id: serviceId }, body, opts),

    createAuthorization: (body, opts) => call(E.createAuthorization, none, body, opts),
    updateAuthorization: (id, body, opts) => call(E.updateAuthorization, { authorization_id: id }, body, opts),
    deleteAuthorization: (id, opts) => call(E.deleteAuthorization, { authorization_id: id }, undefined, opts),
    listAuthorizations: (query, opts) => call(E.listAuthorizations, none, query, opts),
    listAllAuthorizations: (query, opts) => allPagesA((q) => client.listAuthorizations(q, opts), query),

    createReferral: (serviceId, body, opts) => call(E.createReferral, { service_id: serviceId }, body, opts),
    updateReferral: (serviceId, referralId, body, opts) =>
      call(E.updateReferral, { service_id: serviceId, referral_id: referralId }, body, opts),
    cancelReferral: (referralId, body, opts) => call(E.cancelReferral, { referral_id: referralId }, body, opts),
    listReferrals: (query, opts) => call(E.listReferrals, none, query, opts),
    listAllReferrals: (query, opts) => allPagesB((q) => client.listReferrals(q, opts), query),
    listReferralsForService: async (clientId, serviceId, query = {}, opts) => {
      const client_outbox_id = String(checkParam(E.listReferrals, "client_id", "int", clientId));
      const service = checkParam(E.listReferrals, "service_id", "int", serviceId);
      const items = await client.listAllReferrals({ ...query, client_outbox_id }, opts);
      return items.filter((i) => i.service.outbox_id === service);
    },

    uploadClientAttachment: (referralId, file, opts) =>
      call(E.uploadClientAttachment, { referral_id: referralId }, file, opts),
  };
  return client;
}

/** Builds the client from the environment; with ACCLOUD_URL unset it talks to the local sandbox. */
export function createAccloudClientFromEnv(overrides: Partial<AccloudClientConfig> = {}): AccloudClient {
  const env = getEnv();
  return createAccloudClient({
    baseUrl: env.ACCLOUD_URL ?? `http://127.0.0.1:${env.ACCLOUD_SANDBOX_PORT}`,
    apiKey: env.ACCLOUD_API_KEY,
    apiSecret: env.ACCLOUD_API_SECRET,
    timeoutMs: env.ACCLOUD_TIMEOUT_MS,
    log: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "info" ? logCall : undefined,
    ...overrides,
  });
}

const callLog = logger("accloud");

/** One line a call: method, path template, status, duration and outcome as fields. */
export function logCall(e: AccloudCallLog): void {
  if (e.outcome === "ok") callLog.info("call", e);
  else callLog.warn("call", e);
}

// ---------------------------------------------------------------- paging (contract §1.1)

/** Style A (page/count): follows total_pages; without it (authorizations), stops on a short page. */
async function allPagesA<T, Q extends { count?: number }>(
  list: (q: Q & { page: number; count: number }) => Promise<PageA<T>>,
  query?: Q,
): Promise<T[]> {
  const count = query?.count ?? 100;
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await list({ ...(query as Q), page, count });
    items.push(...res.items);
    if (res.items.length === 0) break;
    if (res.total_pages !== undefined ? page >= res.total_pages : res.items.length < count) break;
  }
  return items;
}

/** Style B (page/items_per_page): follows total_pages. */
async function allPagesB<T, Q extends { items_per_page?: number }>(
  list: (q: Q & { page: number; items_per_page: number }) => Promise<PageB<T>>,
  query?: Q,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await list({ ...(query as Q), page, items_per_page: query?.items_per_page ?? 100 });
    items.push(...res.items);
    if (res.items.length === 0 || page >= res.total_pages) break;
  }
  return items;
}

// ---------------------------------------------------------------- requests

function refused(e: Endpoint, issues: string[]): AccloudError {
  return new AccloudError({ kind: "invalid_request", method: e.method, path: e.path, retry: e.retry, issues });
}

function checked(e: Endpoint, schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw refused(e, issuesOf(result.error));
}

const PARAM_CHECKS: Record<ParamKind, [(value: unknown) => boolean, string]> = {
  int: [(v) => Number.isInteger(v) && (v as number) > 0, "a positive integer"],
  text: [(v) => typeof v === "string" && v.trim() !== "", "a non-empty string"],
  uuid: [(v) => z.uuid().safeParse(v).success, "a UUID"],
};

function checkParam(e: Endpoint, name: string, kind: ParamKind | undefined, value: unknown): string {
  if (kind === undefined) throw new Error(`${e.path}: path parameter ${name} is not declared`);
  const [ok, what] = PARAM_CHECKS[kind];
  if (!ok(value)) throw refused(e, [`${name}: must be ${what}`]);
  return String(value);
}

function searchOf(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const qs = search.toString();
  return qs ? `?${qs}` : "";
}

function issuesOf(error: z.ZodError): string[] {
  // Paths and zod's own wording only: issue messages here never include the input value.
  return error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}

const NOT_JSON = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function errorDetails(text: string): { code: string | number | null; message: string | null } {
  const body = ZErrorBody.safeParse(parseJson(text));
  if (!body.success) return { code: null, message: null };
  const b = body.data;
  const message = b.message ?? b.detail ?? b.description ?? b.title ?? null;
  return { code: b.code ?? b.error ?? null, message: message ? message.slice(0, 500) : null };
}

// ---------------------------------------------------------------- attachments (contract §8)

/**
 * The single part `file`, its name in the Content-Disposition. fetch streams a Blob as it sends it
 * and declares the length, so no bytes are copied needlessly: a file on disk is read while sending
 * (openAsBlob), bytes in memory are copied once into the Blob, a stream is gathered chunk by chunk.
 */
/** The slowest upload speed a file's timeout allows for (1 MB/s: 50 MB get 50 s more than a call). */
export const UPLOAD_MIN_BYTES_PER_SECOND = 1_000_000;

async function attachmentForm(e: Endpoint, file: AttachmentInput, maxBytes: number): Promise<FormData> {
  if (!file.filename || /[\r\n]/.test(file.filename)) throw refused(e, ["filename: required, single line"]);
  const type =
    file.contentType && /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(file.contentType)
      ? file.contentType
      : "application/octet-stream";
  const within = (size: number) => {
    if (!Number.isInteger(size) || size < 0) throw refused(e, ["size: must be the file's byte length"]);
    if (size > maxBytes) throw refused(e, [`file: ${size} bytes is over the ${maxBytes}-byte limit`]);
    return size;
  };
  let blob: Blob;
  if ("data" in file) {
    within(file.data.byteLength);
    blob = new Blob([file.data as Uint8Array<ArrayBuffer>], { type });
  } else if ("path" in file) {
    blob = await openAsBlob(file.path, { type });
    within(blob.size);
  } else blob = await gather(e, file.stream, within(file.size), type);
  const form = new FormData();
  form.append("file", blob, file.filename);
  return form;
}

/** A stream of a declared length, into one Blob: each chunk is copied once, into a Blob of its own. */
async function gather(
  e: Endpoint,
  stream: Readable | ReadableStream<Uint8Array>,
  size: number,
  type: string,
): Promise<Blob> {
  const parts: Blob[] = [];
  let read = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    read += chunk.byteLength;
    // Leaving the loop cancels the stream: nothing past the declared length is read.
    if (read > size) break;
    parts.push(new Blob([chunk as Uint8Array<ArrayBuffer>]));
  }
  if (read !== size)
    throw refused(e, [`size: the stream is ${read > size ? "longer" : "shorter"} than the ${size} bytes declared`]);
  return new Blob(parts, { type });
}
