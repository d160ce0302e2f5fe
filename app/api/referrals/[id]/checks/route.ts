import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { getReferralChecks } from "@/lib/referrals/order-checks";

export const dynamic = "force-dynamic";

/**
 * The physician's order checked against the form: `{ status, documents, checks }` from what the
 * worker stored (no file is read here). Needs referral:read; the read is audited as a view.
 */
export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  const actor = await routeActor("referral:read");
  if (actor instanceof Response) return actor;
  const { id } = await ctx.params;
  const answer = await getReferralChecks(getDb(), actor, id);
  if (!answer) return new ApiError("not_found", "No such referral request").toResponse();
  return Response.json(answer, { headers: { "cache-control": "private, no-store" } });
}
