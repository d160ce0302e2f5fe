/** Typed driver for the sandbox's /__sandbox control API, for tests and scripts. */
import type { FaultSpec, Fault } from "./faults";
import type { SandboxRules } from "./rules";
import type { CallRecord } from "./routes-control";

export type { FaultSpec, Fault } from "./faults";
export type { CallRecord } from "./routes-control";

type Row = Record<string, unknown>;

export type SandboxStateSnapshot = {
  counts: {
    clients: number;
    services: number;
    authorizations: number;
    deletedAuthorizations: number;
    referrals: number;
    referralGroups: number;
    attachments: number;
  };
  clients: (Row & {
    id: number;
    external_id: string | null;
    status: string;
    demographics: Row;
    group_ids: number[];
    missing_csi_group: boolean;
  })[];
  services: (Row & {
    id: number;
    external_id: string | null;
    name: string;
    client_id: number;
    service_code_id: number;
  })[];
  authorizations: (Row & {
    id: number;
    client_id: number;
    start_at: string;
    end_at: string | null;
    service_ids: number[];
    deleted: boolean;
  })[];
  referrals: (Row & {
    id: string;
    revision_group_id: string;
    revision_number: number;
    is_latest: boolean;
    service_id: number;
    status: "assigned" | "processed" | "cancelled";
    authorization_ids: number[] | null;
    cancelled_by: "demand" | "supply" | null;
    reason_code: string | null;
  })[];
  attachments: (Row & {
    id: number;
    referral_id: string;
    revision_group_id: string;
    filename: string;
    size: number;
    sha256: string;
    filepath: string;
  })[];
};

export type SandboxControl = ReturnType<typeof createSandboxControl>;

export function createSandboxControl(opts: { baseUrl: string; controlKey: string; fetch?: typeof fetch }) {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const doFetch = opts.fetch ?? globalThis.fetch;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await doFetch(`${base}/__sandbox${path}`, {
      method,
      headers: {
        "x-sandbox-key": opts.controlKey,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const text = await res.text();
      throw new Error(`sandbox control ${method} ${path} failed: ${res.status} ${text.slice(0, 300)}`);
    }
    if (res.status === 204) return undefined as T;
    const type = res.headers.get("content-type") ?? "";
    return (type.includes("json") ? await res.json() : Buffer.from(await res.arrayBuffer())) as T;
  }

  return {
    health: () => call<{ ok: true }>("GET", "/health"),
    /** Back to the seed state; also clears faults, latency, rule overrides and the call log. */
    reset: () => call<{ ok: true }>("POST", "/reset"),
    state: () => call<SandboxStateSnapshot>("GET", "/state"),
    addFault: (fault: FaultSpec) => call<Fault>("POST", "/faults", fault),
    listFaults: () => call<{ faults: Fault[]; latencyMs: number }>("GET", "/faults"),
    removeFault: (id: string) => call<void>("DELETE", `/faults/${encodeURIComponent(id)}`),
    clearFaults: () => call<void>("DELETE", "/faults"),
    setLatency: (latencyMs: number) => call<{ latencyMs: number }>("PUT", "/latency", { latencyMs }),
    getRules: () => call<SandboxRules>("GET", "/rules"),
    setRules: (rules: Partial<SandboxRules>) => call<SandboxRules>("PATCH", "/rules", rules),
    calls: async () => (await call<{ calls: CallRecord[] }>("GET", "/calls")).calls,
    clearCalls: () => call<void>("DELETE", "/calls"),
    /** Agency action: assigned → processed. */
    markProcessed: (referralId: string) =>
      call<{ ok: true }>("POST", `/referrals/${encodeURIComponent(referralId)}/process`),
    /** Agency action: the supplier cancels (from assigned or processed). */
    agencyCancel: (referralId: string, body: { reason_code?: string; comment?: string } = {}) =>
      call<{ ok: true }>("POST", `/referrals/${encodeURIComponent(referralId)}/agency-cancel`, body),
    /** Inserts a client bypassing the API rules (e.g. a second client with the same external id). */
    insertClient: (body: { external_id?: string; demographics?: Record<string, unknown>; branch_id?: number }) =>
      call<{ id: number }>("POST", "/clients", body),
    attachmentContent: (attachmentId: number) => call<Buffer>("GET", `/attachments/${attachmentId}/content`),
  };
}
