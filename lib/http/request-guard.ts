/**
 * What every route handler that takes a body does before it acts on it:
 *  - refuses a request another site made the browser send (the session cookie goes with it):
 *    the browser's Origin must be the app's public origin, which is APP_URL, else what the
 *    request says of itself (Host, or X-Forwarded-Host and -Proto when TRUSTED_PROXY_HOPS
 *    proxies of our own put them there). Behind the launcher the request's own URL always says
 *    http://localhost:PORT, so it is never the thing to compare with;
 *  - reads the body only up to its limit, whatever the sender declared or left undeclared
 *    (a chunked body has no Content-Length): past the limit, 413 and not a byte more read.
 * Server actions are Next's to check (next.config.js gives it APP_URL's host as well).
 */
import { getEnv } from "../env";
import { ApiError } from "../errors";
import { logger } from "../log";

const log = logger("http");

/** Small bodies (a sign-in form, a heartbeat): nothing legitimate comes near this. */
export const SMALL_BODY_LIMIT = 64 * 1024;
/** What a multipart body carries besides its file: boundaries, part headers, the other fields. */
export const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

export type ProxyTrust = { appUrl?: string; trustedProxyHops: number };

const trustFromEnv = (): ProxyTrust => {
  const env = getEnv();
  return { appUrl: env.APP_URL, trustedProxyHops: env.TRUSTED_PROXY_HOPS };
};

/** A host as a Host header carries it: a name or an address, and a port. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The value the outermost of our `hops` proxies put in a forwarding header. Like
 * X-Forwarded-For, a proxy that appends writes after what the client sent, so it is counted
 * from the right; a proxy that overwrites leaves one value.
 */
function forwardedValue(value: string | null, hops: number): string | null {
  if (!value || hops <= 0) return null;
  const chain = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const at = chain.length - hops;
  return chain[at >= 0 ? at : 0] ?? null;
}

const originOf = (value: string): string | null => {
  try {
    const origin = new URL(value).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
};

/**
 * The origin the browser sees this app at: APP_URL's when it is set; else the Host (or, from a
 * trusted proxy, X-Forwarded-Host) with the connection's protocol (or X-Forwarded-Proto).
 * null when the request names no usable host.
 */
export function publicOrigin(request: Request, trust: ProxyTrust = trustFromEnv()): string | null {
  if (trust.appUrl) return new URL(trust.appUrl).origin;
  const headers = request.headers;
  const host = forwardedValue(headers.get("x-forwarded-host"), trust.trustedProxyHops) ?? headers.get("host");
  const proto = (
    forwardedValue(headers.get("x-forwarded-proto"), trust.trustedProxyHops) ??
    new URL(request.url).protocol.replace(/:$/, "")
  ).toLowerCase();
  if (!host || !HOST.test(host) || (proto !== "http" && proto !== "https")) return null;
  return originOf(`${proto}://${host}`);
}

/** Connection: close on refusals: the server answers without reading the body, then stops rather than read the rest to reuse the connection. */
const CLOSE = { connection: "close" };

const crossSite = () =>
  new ApiError(
    "forbidden",
    "Cross-site request refused",
    [{ path: "headers.origin", message: "not this app's address" }],
    CLOSE,
  );

/**
 * null when the request may go on, else the 403 to answer. A browser sends Origin with every
 * POST (an opaque "null" one from sandboxed frames and some redirects, refused too); a request
 * without it is a server's (the webhook's sender) or a tool's, which carries no one's cookie
 * unless its user put it there. Sec-Fetch-Site, which only browsers send, refuses a
 * cross-site request of a browser that left Origin out.
 */
export function crossSiteRefusal(request: Request, trust: ProxyTrust = trustFromEnv()): ApiError | null {
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    return site === null || site === "same-origin" || site === "none" ? null : crossSite();
  }
  const expected = publicOrigin(request, trust);
  const actual = originOf(origin);
  if (actual !== null && actual === expected) return null;
  // Names only addresses: what to set when a proxy or APP_URL is wrong, never a body.
  log.warn(
    `cross-site request refused: origin ${actual ?? "(opaque or invalid)"} is not the app's ${expected ?? "(no host)"}`.slice(
      0,
      300,
    ),
  );
  return crossSite();
}

export type BodyLimit = {
  /** Bytes at most, everything included. */
  limit: number;
  /** What the 413 names: the field ("file") or "body". */
  path?: string;
  /** The 413's words ("The file is larger than 50 MB"). */
  message?: string;
};

function tooLarge({ limit, path = "body", message }: BodyLimit): ApiError {
  return new ApiError(
    "payload_too_large",
    message ?? `The body is larger than ${limit} bytes`,
    [{ path, message: `at most ${limit} bytes` }],
    CLOSE,
  );
}

/**
 * The body's bytes, read as they arrive and never more than `limit` of them (plus the rest of
 * the chunk that crossed it): a declared Content-Length over the limit is refused before any
 * read. Throws the 413 (or a 400 when the sender hung up halfway).
 */
export async function readBoundedBody(request: Request, bound: BodyLimit): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > bound.limit) throw tooLarge(bound);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new ApiError("bad_request", "The connection closed before the whole body arrived", [
          { path: "body", message: "incomplete" },
        ]);
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > bound.limit) throw tooLarge(bound);
      chunks.push(next.value);
    }
  } finally {
    // Not cancelled: cancelling destroys the connection, and the 413 with it.
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A multipart/form-data (or urlencoded) body, read within its limit, then parsed. */
export async function readBoundedFormData(request: Request, bound: BodyLimit): Promise<FormData> {
  const bytes = await readBoundedBody(request, bound);
  try {
    return await new Response(bytes, {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw new ApiError("bad_request", "The form could not be read", [{ path: "body", message: "malformed form body" }]);
  }
}
