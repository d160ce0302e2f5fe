import { z } from "zod";
import { getPushProgress } from "@/lib/approval/progress";
import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Push progress for the detail page's live view. Polling does not count as activity (no touch). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await routeActor("referral:read", { touch: false });
  if (actor instanceof Response) return actor;
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return new ApiError("not_found", "No such referral request").toResponse();
  const progress = await getPushProgress(getDb(), actor, id);
  if (!progress) return new ApiError("not_found", "No such referral request").toResponse();
  return Response.json(progress, { headers: { "cache-control": "no-store" } });
}
