/**
 * Step 6 of an update: the authorizations it replaced or dropped, deleted last, once the latest
 * revision no longer carries them (ACCloud refuses to delete one a live revision carries).
 */
import { isAccloudError } from "../../accloud/errors";
import type { Ctx, StepResult } from "../context";

/** Step 6, update: the authorizations it replaced or dropped, deleted now that the latest revision no longer carries them. */
export async function stepCleanup(ctx: Ctx): Promise<StepResult> {
  const keep = new Set(ctx.authorizationIds);
  const gone: number[] = [];
  for (const id of ctx.sent?.authorizationIds ?? []) {
    if (keep.has(id)) continue;
    try {
      await ctx.client.deleteAuthorization(id);
    } catch (err) {
      // Deleted by an earlier attempt whose answer was lost.
      if (!(isAccloudError(err) && err.isNotFound)) throw err;
    }
    gone.push(id);
  }
  return gone;
}
