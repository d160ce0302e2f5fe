import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { ApiError } from "@/lib/errors";
import { crossSiteRefusal, readBoundedBody, SMALL_BODY_LIMIT } from "@/lib/http/request-guard";

export const { GET } = handlers;

/**
 * Auth.js's form posts (the credentials callback, sign-out; Auth.js checks its CSRF token too):
 * same-origin only, and the small form read within its limit before Auth.js sees it (Auth.js
 * itself would read any body whole).
 */
export async function POST(request: NextRequest) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused.toResponse();
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBoundedBody(request, { limit: SMALL_BODY_LIMIT });
  } catch (err) {
    if (err instanceof ApiError) return err.toResponse();
    throw err;
  }
  return handlers.POST(
    new NextRequest(request.url, { method: "POST", headers: request.headers, body, signal: request.signal }),
  );
}
