/**
 * Optimistic redirect only: a request for an app page without any session cookie goes to
 * sign-in. The real checks (session alive, not idle, scope) run in every page, route handler
 * and action (lib/auth/guards.ts). The matcher lists the app's pages, so the webhook
 * (bodies up to 120 MB), /api/health and /api/openapi.json never pass through here.
 */
import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const hasCookie = request.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (!hasCookie) {
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(url);
  }
  // Lets a page send an expired session back to where it was after sign-in.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-csi-path", `${pathname}${search}`);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  matcher: ["/queue", "/queue/:path*", "/referrals/:path*", "/admin", "/admin/:path*", "/audit", "/audit/:path*", "/dashboard", "/reviews", "/preferences"],
};
