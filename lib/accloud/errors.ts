/**
 * The one error the ACCloud client throws. It never carries a request or response body:
 * only the method, the path template, the status and ACCloud's own code and message.
 */
export type AccloudErrorKind =
  /** ACCloud answered with a non-success status. */
  | "http"
  /** No answer: refused, reset or closed connection, DNS failure. */
  | "network"
  /** The per-call timeout elapsed (or the caller's signal aborted). */
  | "timeout"
  /** The client refused to send: the request breaks the contract (nothing was sent). */
  | "invalid_request"
  /** ACCloud answered success with a body that does not match the contract. */
  | "invalid_response";

/**
 * What sending an endpoint's request again does, for the caller deciding whether and how to retry
 * (the client itself never retries):
 * - `read`: nothing changes; repeat at will.
 * - `repeat`: the same request again leaves the same state (a PUT; a repeated DELETE answers 404).
 * - `lookup`: the request makes something. A lost answer (network error, timeout, 5xx) may hide a
 *   change that was made, and sending it again makes a second one or is refused with 409: look it
 *   up first.
 */
export type AccloudRetryClass = "read" | "repeat" | "lookup";

export type AccloudErrorInit = {
  kind: AccloudErrorKind;
  method: string;
  /** Path template, e.g. /ext/api/v2/patients/clients/{client_id}: ids never appear here. */
  path: string;
  /** The endpoint's retry class; null for an error not tied to one endpoint. */
  retry?: AccloudRetryClass | null;
  status?: number | null;
  code?: string | number | null;
  accloudMessage?: string | null;
  retryAfterMs?: number | null;
  /** Field paths and problems, for invalid_request / invalid_response (never values). */
  issues?: string[];
  cause?: unknown;
};

export class AccloudError extends Error {
  override readonly name = "AccloudError";
  readonly kind: AccloudErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | null;
  readonly code: string | number | null;
  readonly accloudMessage: string | null;
  /** True when the same call may succeed later: network error, timeout, 408, 429, 5xx. */
  readonly retryable: boolean;
  /** From Retry-After (429/503), in milliseconds. */
  readonly retryAfterMs: number | null;
  readonly issues: string[];
  /** What a retry of this endpoint risks (see AccloudRetryClass). */
  readonly retry: AccloudRetryClass | null;

  constructor(init: AccloudErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.accloudMessage = init.accloudMessage ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.issues = init.issues ?? [];
    this.retry = init.retry ?? null;
    this.retryable = isRetryable(init.kind, this.status);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }
}

export function isAccloudError(err: unknown): err is AccloudError {
  return err instanceof AccloudError;
}

function isRetryable(kind: AccloudErrorKind, status: number | null): boolean {
  if (kind === "network" || kind === "timeout") return true;
  if (kind !== "http" || status === null) return false;
  return status === 408 || status === 429 || status >= 500;
}

function describe(init: AccloudErrorInit): string {
  const where = `ACCloud ${init.method} ${init.path}`;
  switch (init.kind) {
    case "http":
      return `${where} failed with ${init.status ?? "?"}${init.accloudMessage ? `: ${init.accloudMessage}` : ""}`;
    case "network":
      return `${where} failed: no answer (network error)`;
    case "timeout":
      return `${where} timed out`;
    case "invalid_request":
      return `${where} not sent, invalid request: ${(init.issues ?? []).join("; ")}`;
    case "invalid_response":
      return `${where} answered ${init.status ?? "?"} with an unexpected body: ${(init.issues ?? []).join("; ")}`;
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
