/**
 * Typed ACCloud client: one function per endpoint the product uses (contract §3–§8).
 * It never retries by itself: it throws AccloudError saying whether a retry can help, and the
 * caller (the push job) decides. Bodies are never logged: only method, path template, status
 * and duration.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getEnv } from "../env";
import { logger } from "../log";
import { AccloudError, parseRetryAfter } from "./errors";
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

export const PATHS = {
  groups: "/ext/api/v2/patients/groups",
  clients: "/ext/api/v2/patients/clients",
  client: "/ext/api/v2/patients/clients/{client_id}",
  clientByExternalId: "/ext/api/v2/patients/clients/by_id/{external_client_id}",
  funders: "/ext/api/v2/accounting/funders",
  serviceCodes: "/ext/api/v2/scheduler/service_codes",
  services: "/ext/api/v2/scheduler/services",
  service: "/ext/api/v2/scheduler/services/{alayacare_service_id}",
  serviceByExternalId: "/ext/api/v2/scheduler/services/by_id/{service_id}",
  authorizations: "/ext/api/v2/scheduler/authorizations",
  authorization: "/ext/api/v2/scheduler/authorizations/{authorization_id}",
  trustedNetwork: "/api/v1/alayamarket/outbox/organizations/trusted_network",
  referrals: "/api/v1/alayamarket/outbox/referrals",
  referralFromService: "/api/v1/alayamarket/outbox/referrals/from_service/{service_id}",
  referralUpdate: "/api/v1/alayamarket/outbox/referrals/from_service/{service_id}/update/{referral_id}",
  referralCancel: "/api/v1/alayamarket/outbox/referrals/{referral_id}/cancel",
  referralAttachment: "/api/v1/alayamarket/outbox/referrals/{referral_id}/client_attachment",
} as const;

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
} & (
  | { data: Uint8Array }
  | { path: string }
  | { stream: Readable | ReadableStream<Uint8Array>; size: number }
);

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
  updateReferral(serviceId: number, referralId: string, body: TReferralUpdate, opts?: CallOptions): Promise<TReferralDetail>;
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

type Query = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

type Body =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "stream"; contentType: string; length: number; stream: () => ReadableStream<Uint8Array> };

type Call<T> = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  template: string;
  params?: Record<string, string | number>;
  query?: Query;
  body?: Body;
  ok: readonly number[];
  /** null: no body is read (204, or a body that carries nothing the caller needs). */
  schema: z.ZodType<T> | null;
};

const MAX_PAGES = 10_000;

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

  function validate<S extends z.ZodType>(schema: S, value: unknown, method: string, template: string): z.output<S> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw new AccloudError({ kind: "invalid_request", method, path: template, issues: issuesOf(result.error) });
  }

  async function call<T>(c: Call<T>, opts: CallOptions = {}): Promise<T> {
    const url = buildUrl(baseUrl, c.template, c.params, c.query);
    const timeoutMs = opts.timeoutMs ?? config.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { authorization, accept: "application/json" };
    let body: BodyInit | undefined;
    const body_ = c.body ?? { kind: "none" };
    if (body_.kind === "json") {
      headers["content-type"] = "application/json";
      body = JSON.stringify(body_.value);
    } else if (body_.kind === "stream") {
      headers["content-type"] = body_.contentType;
      headers["content-length"] = String(body_.length);
      body = body_.stream();
    }

    const started = performance.now();
    const finish = (status: number | null, outcome: AccloudCallLog["outcome"]) =>
      log({ method: c.method, path: c.template, status, durationMs: Math.round(performance.now() - started), outcome });
    const failure = (err: unknown, status: number | null = null): AccloudError => {
      const timedOut = timeout.aborted || opts.signal?.aborted;
      finish(status, timedOut ? "timeout" : "network_error");
      return new AccloudError({ kind: timedOut ? "timeout" : "network", method: c.method, path: c.template, status, cause: err });
    };

    let res: Response;
    try {
      res = await doFetch(url, {
        method: c.method,
        headers,
        body,
        signal,
        redirect: "error",
        ...(body_.kind === "stream" ? { duplex: "half" } : {}),
      } as RequestInit);
    } catch (err) {
      throw failure(err);
    }

    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw failure(err, res.status);
    }

    if (!c.ok.includes(res.status)) {
      finish(res.status, "http_error");
      const { code, message } = errorDetails(text);
      throw new AccloudError({
        kind: "http",
        method: c.method,
        path: c.template,
        status: res.status,
        code,
        accloudMessage: message,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }

    if (c.schema === null) {
      finish(res.status, "ok");
      return undefined as T;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      finish(res.status, "invalid_response");
      throw new AccloudError({ kind: "invalid_response", method: c.method, path: c.template, status: res.status, issues: ["body is not JSON"] });
    }
    const result = c.schema.safeParse(json);
    if (!result.success) {
      finish(res.status, "invalid_response");
      throw new AccloudError({
        kind: "invalid_response",
        method: c.method,
        path: c.template,
        status: res.status,
        issues: issuesOf(result.error),
      });
    }
    finish(res.status, "ok");
    return result.data;
  }

  /** Style A: follows total_pages; without it (authorizations), stops on a short page. */
  async function allPagesA<T>(fetchPage: (page: number, count: number) => Promise<PageA<T>>, count: number = 100): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await fetchPage(page, count);
      items.push(...res.items);
      if (res.items.length === 0) break;
      if (res.total_pages !== undefined ? page >= res.total_pages : res.items.length < count) break;
    }
    return items;
  }

  async function allPagesB<T>(fetchPage: (page: number) => Promise<PageB<T>>): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await fetchPage(page);
      items.push(...res.items);
      if (res.items.length === 0 || page >= res.total_pages) break;
    }
    return items;
  }

  const listGroups: AccloudClient["listGroups"] = async (query = {}, opts) => {
    const q = validate(ZGroupsQuery, query, "GET", PATHS.groups);
    return call({ method: "GET", template: PATHS.groups, query: q, ok: [200], schema: pageA(ZGroup) }, opts);
  };
  const listFunders: AccloudClient["listFunders"] = async (query = {}, opts) => {
    const q = validate(ZFundersQuery, query, "GET", PATHS.funders);
    return call({ method: "GET", template: PATHS.funders, query: q, ok: [200], schema: pageA(ZFunder) }, opts);
  };
  const listServiceCodes: AccloudClient["listServiceCodes"] = async (query = {}, opts) => {
    const q = validate(ZServiceCodesQuery, query, "GET", PATHS.serviceCodes);
    return call({ method: "GET", template: PATHS.serviceCodes, query: q, ok: [200], schema: pageA(ZServiceCode) }, opts);
  };
  const listTrustedNetwork: AccloudClient["listTrustedNetwork"] = async (query = {}, opts) => {
    const q = validate(ZTrustedNetworkQuery, query, "GET", PATHS.trustedNetwork);
    return call({ method: "GET", template: PATHS.trustedNetwork, query: q, ok: [200], schema: pageB(ZSupplier) }, opts);
  };
  const listAuthorizations: AccloudClient["listAuthorizations"] = async (query, opts) => {
    const q = validate(ZAuthorizationsQuery, query, "GET", PATHS.authorizations);
    return call({ method: "GET", template: PATHS.authorizations, query: q, ok: [200], schema: pageA(ZAuthorization) }, opts);
  };
  const listReferrals: AccloudClient["listReferrals"] = async (query = {}, opts) => {
    const q = validate(ZReferralsQuery, query, "GET", PATHS.referrals);
    return call({ method: "GET", template: PATHS.referrals, query: q, ok: [200], schema: pageB(ZReferralListItem) }, opts);
  };

  const json = (value: unknown): Body => ({ kind: "json", value });

  return {
    baseUrl,
    listGroups,
    listAllGroups: async (query = {}, opts) => allPagesA((page, count) => listGroups({ ...query, page, count }, opts), query.count),
    listFunders,
    listAllFunders: async (query = {}, opts) => allPagesA((page, count) => listFunders({ ...query, page, count }, opts), query.count),
    listServiceCodes,
    listAllServiceCodes: async (query = {}, opts) =>
      allPagesA((page, count) => listServiceCodes({ ...query, page, count }, opts), query.count),
    listTrustedNetwork,
    listAllTrustedNetwork: async (query = {}, opts) =>
      allPagesB((page) => listTrustedNetwork({ ...query, page, items_per_page: query.items_per_page ?? 100 }, opts)),

    createClient: async (body, opts) =>
      call(
        { method: "POST", template: PATHS.clients, body: json(validate(ZClientCreate, body, "POST", PATHS.clients)), ok: [201], schema: ZCreated },
        opts,
      ),
    getClient: async (clientId, opts) =>
      call({ method: "GET", template: PATHS.client, params: { client_id: intId(clientId, "GET", PATHS.client) }, ok: [200], schema: ZClientDetails }, opts),
    getClientByExternalId: async (externalId, opts) =>
      call(
        {
          method: "GET",
          template: PATHS.clientByExternalId,
          params: { external_client_id: textId(externalId, "GET", PATHS.clientByExternalId) },
          ok: [200],
          schema: ZClientDetails,
        },
        opts,
      ),
    updateClient: async (clientId, body, opts) =>
      call(
        {
          method: "PUT",
          template: PATHS.client,
          params: { client_id: intId(clientId, "PUT", PATHS.client) },
          body: json(validate(ZClientUpdate, body, "PUT", PATHS.client)),
          ok: [200],
          schema: ZCreated,
        },
        opts,
      ),
    updateClientByExternalId: async (externalId, body, opts) =>
      call(
        {
          method: "PUT",
          template: PATHS.clientByExternalId,
          params: { external_client_id: textId(externalId, "PUT", PATHS.clientByExternalId) },
          body: json(validate(ZClientUpdate, body, "PUT", PATHS.clientByExternalId)),
          ok: [200],
          schema: ZCreated,
        },
        opts,
      ),

    // POST /services answers 200, not 201 (§10 #11); 201 is accepted too in case that is ever fixed.
    createService: async (body, opts) =>
      call(
        { method: "POST", template: PATHS.services, body: json(validate(ZServiceCreate, body, "POST", PATHS.services)), ok: [200, 201], schema: ZCreated },
        opts,
      ),
    getService: async (serviceId, opts) =>
      call(
        { method: "GET", template: PATHS.service, params: { alayacare_service_id: intId(serviceId, "GET", PATHS.service) }, ok: [200], schema: ZServiceDetails },
        opts,
      ),
    updateService: async (serviceId, body, opts) =>
      call(
        {
          method: "PUT",
          template: PATHS.service,
          params: { alayacare_service_id: intId(serviceId, "PUT", PATHS.service) },
          body: json(validate(ZServiceUpdate, body, "PUT", PATHS.service)),
          ok: [200],
          schema: ZServiceDetails,
        },
        opts,
      ),
    getServiceByExternalId: async (externalId, opts) =>
      call(
        {
          method: "GET",
          template: PATHS.serviceByExternalId,
          params: { service_id: textId(externalId, "GET", PATHS.serviceByExternalId) },
          ok: [200],
          schema: ZServiceDetails,
        },
        opts,
      ),

    createAuthorization: async (body, opts) =>
      call(
        {
          method: "POST",
          template: PATHS.authorizations,
          body: json(validate(ZAuthorizationCreate, body, "POST", PATHS.authorizations)),
          ok: [201],
          schema: ZAuthorization,
        },
        opts,
      ),
    updateAuthorization: async (authorizationId, body, opts) =>
      call(
        {
          method: "PUT",
          template: PATHS.authorization,
          params: { authorization_id: intId(authorizationId, "PUT", PATHS.authorization) },
          body: json(validate(ZAuthorizationUpdate, body, "PUT", PATHS.authorization)),
          ok: [200],
          schema: ZAuthorization,
        },
        opts,
      ),
    deleteAuthorization: async (authorizationId, opts) =>
      call(
        {
          method: "DELETE",
          template: PATHS.authorization,
          params: { authorization_id: intId(authorizationId, "DELETE", PATHS.authorization) },
          ok: [204, 200],
          schema: null,
        },
        opts,
      ),
    listAuthorizations,
    listAllAuthorizations: async (query, opts) =>
      allPagesA((page, count) => listAuthorizations({ ...query, page, count }, opts), query.count),

    createReferral: async (serviceId, body, opts) =>
      call(
        {
          method: "POST",
          template: PATHS.referralFromService,
          params: { service_id: intId(serviceId, "POST", PATHS.referralFromService) },
          body: json(validate(ZReferralCreate, body, "POST", PATHS.referralFromService)),
          ok: [201, 200],
          schema: ZReferralDetail,
        },
        opts,
      ),
    updateReferral: async (serviceId, referralId, body, opts) =>
      call(
        {
          method: "POST",
          template: PATHS.referralUpdate,
          params: {
            service_id: intId(serviceId, "POST", PATHS.referralUpdate),
            referral_id: uuidId(referralId, "POST", PATHS.referralUpdate),
          },
          body: json(validate(ZReferralUpdate, body, "POST", PATHS.referralUpdate)),
          ok: [201, 200],
          schema: ZReferralDetail,
        },
        opts,
      ),
    // The ACCloud success code for cancel is undocumented (§12.2): any 2xx counts, body ignored.
    cancelReferral: async (referralId, body, opts) =>
      call(
        {
          method: "POST",
          template: PATHS.referralCancel,
          params: { referral_id: uuidId(referralId, "POST", PATHS.referralCancel) },
          body: json(validate(ZReferralCancel, body, "POST", PATHS.referralCancel)),
          ok: [204, 200, 201, 202],
          schema: null,
        },
        opts,
      ),
    listReferrals,
    listAllReferrals: async (query = {}, opts) => allPagesB((page) => listReferrals({ ...query, page, items_per_page: query.items_per_page ?? 100 }, opts)),
    listReferralsForService: async (clientId, serviceId, query = {}, opts) => {
      const client_outbox_id = String(intId(clientId, "GET", PATHS.referrals));
      const service = String(intId(serviceId, "GET", PATHS.referrals));
      const items = await allPagesB((page) => listReferrals({ ...query, client_outbox_id, page, items_per_page: query.items_per_page ?? 100 }, opts));
      return items.filter((i) => i.service.outbox_id === service);
    },

    uploadClientAttachment: async (referralId, file, opts) => {
      const method = "POST";
      const template = PATHS.referralAttachment;
      const rid = uuidId(referralId, method, template);
      const source = await attachmentSource(file, method, template);
      if (source.size > maxAttachmentBytes) {
        throw new AccloudError({
          kind: "invalid_request",
          method,
          path: template,
          issues: [`file: ${source.size} bytes is over the ${maxAttachmentBytes}-byte limit`],
        });
      }
      const body = multipartBody(file.filename, file.contentType ?? "application/octet-stream", source);
      return call({ method, template, params: { referral_id: rid }, body, ok: [201, 200], schema: ZAttachmentUploaded }, opts);
    },
  };

  function intId(value: number, method: string, template: string): number {
    if (!Number.isInteger(value) || value <= 0) {
      throw new AccloudError({ kind: "invalid_request", method, path: template, issues: ["id: must be a positive integer"] });
    }
    return value;
  }
  function textId(value: string, method: string, template: string): string {
    if (typeof value !== "string" || value.trim() === "") {
      throw new AccloudError({ kind: "invalid_request", method, path: template, issues: ["external id: must be a non-empty string"] });
    }
    return value;
  }
  function uuidId(value: string, method: string, template: string): string {
    if (!z.uuid().safeParse(value).success) {
      throw new AccloudError({ kind: "invalid_request", method, path: template, issues: ["referral_id: must be a UUID"] });
    }
    return value;
  }
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

function issuesOf(error: z.ZodError): string[] {
  // Paths and zod's own wording only: issue messages here never include the input value.
  return error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}

export function buildUrl(baseUrl: string, template: string, params: Record<string, string | number> = {}, query: Query = {}): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.append(key, String(value));
  }
  const qs = search.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ""}`;
}

function errorDetails(text: string): { code: string | number | null; message: string | null } {
  if (!text) return { code: null, message: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { code: null, message: null };
  }
  const body = ZErrorBody.safeParse(parsed);
  if (!body.success) return { code: null, message: null };
  const b = body.data;
  const message = b.message ?? b.detail ?? b.description ?? b.title ?? null;
  return { code: b.code ?? b.error ?? null, message: message ? message.slice(0, 500) : null };
}

type AttachmentSource = { size: number; open: () => ReadableStream<Uint8Array> };

async function attachmentSource(file: AttachmentInput, method: string, template: string): Promise<AttachmentSource> {
  if (!file.filename || /[\r\n]/.test(file.filename)) {
    throw new AccloudError({ kind: "invalid_request", method, path: template, issues: ["filename: required, single line"] });
  }
  if ("data" in file) {
    const data = file.data;
    return { size: data.byteLength, open: () => Readable.toWeb(Readable.from([Buffer.from(data)])) as ReadableStream<Uint8Array> };
  }
  if ("path" in file) {
    const info = await stat(file.path);
    return { size: info.size, open: () => Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array> };
  }
  const stream = file.stream;
  if (!Number.isInteger(file.size) || file.size < 0) {
    throw new AccloudError({ kind: "invalid_request", method, path: template, issues: ["size: must be the stream's byte length"] });
  }
  return {
    size: file.size,
    open: () => (stream instanceof Readable ? (Readable.toWeb(stream) as ReadableStream<Uint8Array>) : stream),
  };
}

/** multipart/form-data with the single part `file`, streamed with a known Content-Length. */
function multipartBody(filename: string, contentType: string, source: AttachmentSource): Body {
  const boundary = `----accloud${randomBytes(12).toString("hex")}`;
  // HTML's form encoding: quote and CR/LF are percent-encoded in the filename parameter.
  const safeName = filename.replace(/"/g, "%22");
  const safeType = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(contentType) ? contentType : "application/octet-stream";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${safeType}\r\n\r\n`,
    "utf8",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, "utf8");
  return {
    kind: "stream",
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + source.size + tail.length,
    stream: () => {
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!reader) {
            reader = source.open().getReader();
            controller.enqueue(head);
            return;
          }
          const { done, value } = await reader.read();
          if (!done) {
            sent += value.byteLength;
            if (sent > source.size) controller.error(new Error("attachment stream is longer than its declared size"));
            else controller.enqueue(value);
            return;
          }
          if (sent !== source.size) {
            controller.error(new Error("attachment stream is shorter than its declared size"));
            return;
          }
          controller.enqueue(tail);
          controller.close();
        },
        async cancel(reason) {
          await reader?.cancel(reason);
        },
      });
    },
  };
}
