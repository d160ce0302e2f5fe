/**
 * How a step finds its own earlier work in ACCloud before it creates anything again (a crash, a
 * timeout or an answer lost after ACCloud applied the call): by external id for the client and the
 * service, by the referral's revision group for the referral and its cancel. The README's "Push
 * design" explains each lookup.
 */
import type { TReferralListItem } from "../../accloud/schemas";
import { isAccloudError } from "../../accloud/errors";
import type { Ctx } from "../context";

/**
 * get → 404 → create → 409 → get: idempotent on an external id. On a step's first attempt
 * nothing of ours can exist yet, so the lookup is skipped (create, and only a 409 looks up).
 */
export async function findOrCreate<T>(find: () => Promise<T>, create: () => Promise<T>, fresh: boolean): Promise<T> {
  if (!fresh) {
    try {
      return await find();
    } catch (err) {
      if (!(isAccloudError(err) && err.isNotFound)) throw err;
    }
  }
  try {
    return await create();
  } catch (err) {
    if (isAccloudError(err) && err.isConflict) return find();
    throw err;
  }
}

/** All revisions of the referral's group, newest number first. */
export async function revisionsOf(ctx: Ctx, groupId: string): Promise<TReferralListItem[]> {
  const all = await ctx.client.listAllReferrals({ revision_group_id: groupId, revisions: "all" });
  return all.sort((a, b) => b.revision.revision_number - a.revision.revision_number);
}
