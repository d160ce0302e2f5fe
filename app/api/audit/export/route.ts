import { exportAuditTrail, toWebStream } from "@/lib/audit-trail/export";
import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { parseAuditParams } from "@/lib/audit-trail/filters";

export const dynamic = "force-dynamic";

/**
 * GET /api/audit/export: the audit trail of the filter (the same parameters as /audit) as a CSV
 * attachment, streamed at constant memory. 403 without audit:read; a malformed filter is a 400
 * naming the parameter. The export itself is audited before the first byte goes out.
 */
export async function GET(request: Request) {
  const actor = await routeActor("audit:read");
  if (actor instanceof Response) return actor;
  const parsed = parseAuditParams(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return new ApiError(
      "bad_request",
      "Some filters are not valid",
      Object.entries(parsed.errors).map(([path, message]) => ({ path, message })),
    ).toResponse();
  }
  const csv = await exportAuditTrail(getDb(), actor, parsed.filters, { signal: request.signal });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return new Response(toWebStream(csv), {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${stamp}.csv"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
