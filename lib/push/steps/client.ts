/**
 * Step 1, the client. A first approval finds or creates it by its external id (in the CSI group);
 * an update re-sends the demographics only when the approved submission changed them, and only
 * when they are still of the person the linked client stands for.
 */
import { clientExternalIdOf, toAccloudClient, toAccloudDemographics } from "../../approval/to-accloud-bodies";
import { getEnv } from "../../env";
import { differentPersonReason, identityDifferences, identityOf } from "../../form/identity";
import { canonical } from "../../json/canonical";
import { personOfSubmission } from "../../workflow/different-person";
import { linked, PushStoppedError, saveLink, type Ctx, type StepResult } from "../context";
import { findOrCreate } from "./lookups";

/**
 * Before demographics are PUT onto the linked client: they must be of the person that client stands
 * for (the referral's identity submission: the first approval's, or one a reviewer confirmed). The
 * app refuses such an update before it exists; this is the last check, for an update made otherwise.
 */
async function assertSamePerson(ctx: Ctx): Promise<void> {
  const identitySubmissionId = ctx.referral.identitySubmissionId;
  if (!identitySubmissionId || identitySubmissionId === ctx.submissionId) return;
  const person = await personOfSubmission(ctx.db, identitySubmissionId);
  const differences = person ? identityDifferences(person, identityOf(ctx.payload)) : [];
  if (differences.length) throw new PushStoppedError(differentPersonReason(differences));
}

/** Step 1. An update re-sends the demographics only when the approved submission changed them (ACCloud re-reads the client). */
export async function stepClient(ctx: Ctx): Promise<StepResult> {
  const existing = linked(ctx, "client", "client");
  if (ctx.kind === "update") {
    if (!existing) throw new PushStoppedError("The client is not linked to ACCloud: this referral was never sent");
    const next = toAccloudDemographics(ctx.payload);
    if (ctx.sent && canonical(toAccloudDemographics(ctx.sent.payload)) !== canonical(next)) {
      await assertSamePerson(ctx);
      await ctx.client.updateClient(Number(existing), { demographics: next });
    }
    return [existing];
  }
  if (existing) return [existing];
  const env = getEnv();
  const ref = await ctx.ref();
  if (!ref.csiGroup)
    throw new PushStoppedError(
      `The ACCloud group "${env.ACCLOUD_CSI_GROUP_NAME}" is not known: refresh the reference data`,
    );
  const externalId = clientExternalIdOf(ctx.referral, ctx.payload);
  const found = await findOrCreate(
    async () => ({ id: (await ctx.client.getClientByExternalId(externalId)).id }),
    async () =>
      ctx.client.createClient(
        toAccloudClient(ctx.payload, {
          externalId,
          branchId: env.ACCLOUD_HQ_BRANCH_ID,
          csiGroupId: ref.csiGroup!.id,
        }),
      ),
    ctx.fresh,
  );
  saveLink(ctx, "client", "client", found.id, { externalId });
  return [found.id];
}
