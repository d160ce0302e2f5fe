/**
 * Every page passes through here (the matcher leaves out /api, Next's static files and
 * prefetches), for two things:
 *  - a strict Content-Security-Policy: scripts only with this request's nonce (Next puts it on
 *    its own scripts, reading it from the request's CSP header) and what they load
 *    ('strict-dynamic'), no plugins, no <base>, forms only to this app (and the single sign-on
 *    provider), never framed (frame-ancestors 'none'); HSTS when the request came over https;
 *  - an optimistic redirect: a request for an app page without any session cookie goes to
 *    sign-in, and the name-search cookie goes with the session. The real checks (session alive,
 *    not idle, scope) run in every page, route handler and action (lib/auth/guards.ts).
 * The webhook (bodies up to 120 MB), /api/health and /api/openapi.json never pass through here;
 * next.config.js gives the API routes their headers.
 */
import { NextResponse, type NextRequest } from "next/server";
import { SEARCH_COOKIE } from "@/lib/validations/queue-view";

const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
const APP_PAGES = /^\/(queue|referrals|admin|audit|dashboard|reviews|preferences)(\/|$)/;

/** https as the client sees it: the request itself, or the reverse proxy in front that says so. */
const overHttps = (request: NextRequest) =>
  request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";

export function contentSecurityPolicy(
  nonce: string,
  opts: { https: boolean; dev: boolean; ssoOrigin: string | null },
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // File previews are blobs or our own routes. No remote host: a picture field's URL (the
    // agency's AlayaCare) is opened by the reviewer, never loaded with the page (a tracking pixel).
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${opts.ssoOrigin ? ` ${opts.ssoOrigin}` : ""}`,
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

function ssoOrigin(): string | null {
  const issuer = process.env.OIDC_ISSUER;
  if (!issuer) return null;
  try {
    return new URL(issuer).origin;
  } catch {
    return null;
  }
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const hasSession = request.cookies
    .getAll()
    .some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  const https = overHttps(request);
  const finish = (response: NextResponse, csp: string) => {
    response.headers.set("content-security-policy", csp);
    // Pages carry PHI: never kept by the browser or anything between.
    response.headers.set("cache-control", "no-store");
    if (https) response.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
    // The client-name search lives only as long as the session does.
    if (!hasSession && request.cookies.has(SEARCH_COOKIE)) response.cookies.delete(SEARCH_COOKIE);
    return response;
  };
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const csp = contentSecurityPolicy(nonce, {
    https,
    dev: process.env.NODE_ENV === "development",
    ssoOrigin: ssoOrigin(),
  });

  if (!hasSession && APP_PAGES.test(pathname)) {
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("next", `${pathname}${search}`);
    return finish(NextResponse.redirect(url), csp);
  }
  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  // Lets a page send an expired session back to where it was after sign-in.
  requestHeaders.set("x-csi-path", `${pathname}${search}`);
  return finish(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
