import { currentSession } from "@/lib/auth/guards";
import { touchSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { crossSiteRefusal } from "@/lib/http/request-guard";

export const dynamic = "force-dynamic";

/**
 * The browser's activity heartbeat (typing, scrolling): keeps a session in use from idling out.
 * Its body is never read; another site must not keep a session alive (a 403).
 */
export async function POST(request: Request) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused.toResponse();
  const check = await currentSession(false);
  if (!check.ok) return new ApiError("unauthorized", "Sign in first", [], {}, { reason: check.reason }).toResponse();
  await touchSession(getDb(), check.actor.sessionId);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
