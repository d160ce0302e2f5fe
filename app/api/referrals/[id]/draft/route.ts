import { getReferralDraft } from "@/lib/approval/draft-view";
import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * The approval the editor opens with, every value with its source (lib/draft/types.ts), and the
 * other values of the suggested fields ("Other choices" loads them from here). Readers only
 * (referral:read); each read is audited as a view of the referral.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await routeActor("referral:read");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  const draft = await getReferralDraft(getDb(), actor, id);
  if (!draft) return new ApiError("not_found", "No such referral request").toResponse();
  return Response.json(draft, { headers: { "cache-control": "private, no-store" } });
}
