/**
 * Step 4, the referral. A first approval creates it (ACCloud allows one live referral per service:
 * a 409 means an earlier create went through); an update makes a new revision from the latest
 * one. Each referral the step makes or finds becomes the push's latest (accloud_links
 * referral/latest), its revision is copied for the Revisions panel, and the approval revision
 * records which ACCloud referral carries it.
 */
import { eq } from "drizzle-orm";
import { approvalRevisions } from "../../../db/schema";
import { isAccloudError } from "../../accloud/errors";
import { toAccloudReferral, toAccloudReferralUpdate } from "../../approval/to-accloud-bodies";
import {
  clientIdOf,
  latestReferral,
  linked,
  PushStoppedError,
  saveLink,
  saveRevision,
  serviceIdOf,
  type Ctx,
  type StepResult,
} from "../context";
import type { RevisedReferral } from "../revisions";
import { revisionsOf } from "./lookups";

function saveReferral(ctx: Ctx, localKey: string, detail: RevisedReferral) {
  const meta = {
    revisionGroupId: detail.revision?.revision_group_id ?? null,
    revisionNumber: detail.revision?.revision_number ?? 1,
  };
  saveLink(ctx, "referral", localKey, detail.referral.id, meta);
  saveLink(ctx, "referral", "latest", detail.referral.id, meta);
  saveRevision(ctx, detail);
  ctx.pendingWrites.push(
    ctx.db
      .update(approvalRevisions)
      .set({ accloudReferralId: detail.referral.id, accloudRevisionNumber: meta.revisionNumber })
      .where(eq(approvalRevisions.id, ctx.revision.id))
      .getSQL(),
  );
}

/** Step 4, first approval: create the referral (one live referral per service: a 409 means an earlier create went through). */
export async function createReferral(ctx: Ctx): Promise<StepResult> {
  const existing = linked(ctx, "referral", "referral");
  if (existing) return [existing];
  const clientId = clientIdOf(ctx);
  const serviceId = serviceIdOf(ctx);
  const tz = ctx.payload.client.timezone;
  const a = ctx.approval;
  const find = async () => {
    const live = (await ctx.client.listReferralsForService(clientId, serviceId, { revisions: "latest" })).filter(
      (r) => r.referral.status !== "cancelled",
    );
    return live[0] ?? null;
  };
  let found: RevisedReferral | null = ctx.fresh ? null : await find();
  if (!found) {
    try {
      found = await ctx.client.createReferral(serviceId, toAccloudReferral(a, tz, ctx.authorizationIds));
    } catch (err) {
      if (isAccloudError(err) && err.isConflict) found = await find();
      if (!found) throw err;
    }
  }
  saveReferral(ctx, "referral", found);
  return [found.referral.id];
}

/**
 * Step 4, update: a new revision from the latest referral id. On a retry, a revision newer than
 * the one this push started from is its own (CSI is the only demand side writing to the group).
 * On a first attempt, ACCloud refusing the id as not the latest means someone else changed the
 * referral: the push stops and says so.
 */
export async function updateReferral(ctx: Ctx): Promise<StepResult> {
  const mine = linked(ctx, "referral", `${ctx.pushId}:referral`);
  if (mine) return [mine];
  const base = latestReferral(ctx);
  if (!base?.revisionGroupId)
    throw new PushStoppedError("This referral has no ACCloud revision to update: it was never sent");
  const adopt = async () => {
    const newest = (await revisionsOf(ctx, base.revisionGroupId!))[0];
    return newest && newest.revision.revision_number > base.revisionNumber ? newest : null;
  };
  let found: RevisedReferral | null = ctx.fresh ? null : await adopt();
  if (!found) {
    const a = ctx.approval;
    const tz = ctx.payload.client.timezone;
    try {
      found = await ctx.client.updateReferral(
        serviceIdOf(ctx),
        base.id,
        toAccloudReferralUpdate(a, ctx.revision, tz, ctx.authorizationIds),
      );
    } catch (err) {
      if (isAccloudError(err) && err.isConflict) {
        found = ctx.fresh ? null : await adopt();
        if (!found) {
          throw new PushStoppedError(
            `ACCloud refused the update: revision ${base.revisionNumber} (${base.id}) is not the latest or no longer open. Use "Refresh from ACCloud" to read the referral's revisions, then send the change again.`,
          );
        }
      } else throw err;
    }
  }
  saveReferral(ctx, `${ctx.pushId}:referral`, found);
  return [found.referral.id];
}
