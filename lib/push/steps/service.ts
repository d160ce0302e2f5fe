/**
 * Step 2, the service: a first approval finds or creates it by its external id (the request's
 * id), its body from the approval (lib/approval/to-accloud-bodies.ts); an update only re-sends
 * the profile.
 */
import { toAccloudService, toAccloudServiceProfile } from "../../approval/to-accloud-bodies";
import { clientIdOf, linked, PushStoppedError, saveLink, type Ctx, type StepResult } from "../context";
import { findOrCreate } from "./lookups";

/** Step 2. Code, funder and dates are fixed once created (§5.2); an update re-sends the profile when the agency's name changed. */
export async function stepService(ctx: Ctx): Promise<StepResult> {
  const existing = linked(ctx, "service", "service");
  if (ctx.kind === "update") {
    if (!existing) throw new PushStoppedError("The service is not linked to ACCloud: this referral was never sent");
    if (ctx.sent && ctx.sent.payload.agency.name !== ctx.payload.agency.name) {
      await ctx.client.updateService(Number(existing), { profile: toAccloudServiceProfile(ctx.payload) });
    }
    return [existing];
  }
  if (existing) return [existing];
  const a = ctx.approval;
  const ref = await ctx.ref();
  const code = ref.serviceCodes.find((c) => c.id === a.serviceCodeId);
  const found = await findOrCreate(
    async () => ({ id: (await ctx.client.getServiceByExternalId(ctx.requestId)).alayacare_service_id }),
    async () =>
      ctx.client.createService(
        toAccloudService(a, ctx.payload, {
          requestId: ctx.requestId,
          clientId: clientIdOf(ctx),
          codeName: code?.name,
          serviceRequested: ctx.referral.serviceRequested,
        }),
      ),
    ctx.fresh,
  );
  saveLink(ctx, "service", "service", found.id);
  return [found.id];
}
