/**
 * Typed ACCloud client (contract §3–§8). ENDPOINTS (endpoints.ts) describes each endpoint the product uses once:
 * method, path template, the schemas its request is checked against and its answer read with, the
 * statuses that mean success and its retry class. One `call` sends any of them; the methods are
 * thin entries over it. The client never retries by itself: it throws AccloudError saying whether
 * a retry can help and what a retry risks, and the caller (the push job) decides. Bodies are never
 * logged: only method, path template, status and duration.
 */
import { z } from "zod";
import { getEnv } from "../env";
import { logger } from "../log";
import { checked, checkParam, errorDetails, issuesOf, NOT_JSON, parseJson, searchOf } from "./checks";
import { ENDPOINTS, type Endpoint } from "./endpoints";
import { AccloudError, parseRetryAfter, type AccloudErrorInit } from "./errors";
import { allPagesA, allPagesB } from "./paging";
import {
  ATTACHMENT_MAX_BYTES,
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
import { attachmentForm, UPLOAD_MIN_BYTES_PER_SECOND, type AttachmentInput } from "./upload";

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
