/**
 * The one step of a cancel push: cancel the referral's latest revision in ACCloud, and copy the
 * cancelled revision for the Revisions panel (cancelled by the demand side, CSI).
 */
import { isAccloudError } from "../../accloud/errors";
import { toAccloudCancel } from "../../approval/to-accloud-bodies";
import { latestReferral, PushStoppedError, saveRevision, type Ctx, type StepResult } from "../context";
import { revisionsOf } from "./lookups";

/** A cancel, from the latest revision; on a retry an already cancelled referral is the earlier attempt's work. */
export async function stepCancel(ctx: Ctx): Promise<StepResult> {
  const target = latestReferral(ctx);
  if (!target) throw new PushStoppedError("This referral was never sent: there is nothing to cancel in ACCloud");
  const body = toAccloudCancel(ctx.input);
  const cancelled = async () => {
    if (!target.revisionGroupId) return null;
    const latest = (await revisionsOf(ctx, target.revisionGroupId))[0];
    return latest?.referral.status === "cancelled" ? latest : null;
  };
  if (!ctx.fresh) {
    const done = await cancelled();
    if (done) {
      saveRevision(ctx, done, "demand");
      return [done.referral.id];
    }
  }
  try {
    await ctx.client.cancelReferral(target.id, body);
  } catch (err) {
    if (!(isAccloudError(err) && err.isConflict)) throw err;
    const done = await cancelled();
    if (!done)
      throw new PushStoppedError(
        `ACCloud refused the cancel: revision ${target.revisionNumber} (${target.id}) is not the latest or cannot be cancelled. Use "Refresh from ACCloud", then cancel again.`,
      );
  }
  const latest = target.revisionGroupId ? (await revisionsOf(ctx, target.revisionGroupId))[0] : null;
  if (latest) saveRevision(ctx, latest, "demand");
  return [target.id];
}
