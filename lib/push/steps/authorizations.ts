/**
 * Step 3, the authorizations. A first approval creates each; an update keeps, PUTs or replaces each
 * (lib/approval/plan.ts). They have no external id in ACCloud, so on a retry one an earlier attempt
 * created is found on this request's own service by its dates, rules and number.
 */
import type { TAuthorizationCreate } from "../../accloud/schemas";
import { authorizationPutBody, planAuthorizations } from "../../approval/plan";
import { sameAuthorization, toAccloudAuthorization } from "../../approval/to-accloud";
import { clientIdOf, linked, saveLink, serviceIdOf, type Ctx, type StepResult } from "../context";

/**
 * Creates one authorization, or on a retry finds the one an earlier attempt created (authorizations
 * have no external id: one on this request's own service that matches and is not linked yet).
 */
async function createOrFindAuthorization(
  ctx: Ctx,
  key: string,
  index: number,
  body: TAuthorizationCreate,
): Promise<number> {
  const existing = linked(ctx, "authorization", key);
  if (existing) return Number(existing);
  const serviceId = serviceIdOf(ctx);
  const taken = new Set([...ctx.links.entries()].filter(([k]) => k.startsWith("authorization:")).map(([, v]) => v));
  for (const id of ctx.sent?.authorizationIds ?? []) taken.add(String(id));
  const candidates = ctx.fresh
    ? []
    : await ctx.client.listAllAuthorizations({
        start_at_from: body.start_at,
        start_at_to: body.start_at,
        client_id: clientIdOf(ctx),
        service_id: [serviceId],
      });
  const match = candidates.find(
    (c) => !taken.has(String(c.id)) && (c.service_ids ?? []).includes(serviceId) && sameAuthorization(c, body),
  );
  const id = match ? match.id : (await ctx.client.createAuthorization(body)).id;
  saveLink(ctx, "authorization", key, id, { index });
  return id;
}

/** Step 3. A first approval creates each authorization; an update keeps, PUTs or replaces each (lib/approval/plan.ts). */
export async function stepAuthorizations(ctx: Ctx): Promise<StepResult> {
  const ids = { clientId: clientIdOf(ctx), serviceId: serviceIdOf(ctx) };
  const out: number[] = [];
  if (ctx.kind !== "update" || !ctx.sent) {
    for (let i = 0; i < ctx.approval.authorizations.length; i++)
      out.push(await createOrFindAuthorization(ctx, `auth:${i}`, i, toAccloudAuthorization(ctx.approval, i, ids)));
  } else {
    for (const p of planAuthorizations(ctx.sent.approval, ctx.approval)) {
      if (p.action === "remove") continue;
      const body = toAccloudAuthorization(ctx.approval, p.index, ids);
      const previous = ctx.sent.authorizationIds[p.index];
      if ((p.action === "keep" || p.action === "update") && previous !== undefined) {
        // A PUT is idempotent: repeating it after a lost answer changes nothing.
        if (p.action === "update")
          await ctx.client.updateAuthorization(
            previous,
            authorizationPutBody(body, toAccloudAuthorization(ctx.sent.approval, p.index, ids)),
          );
        out.push(previous);
      } else {
        out.push(await createOrFindAuthorization(ctx, `${ctx.pushId}:auth:${p.index}`, p.index, body));
      }
    }
  }
  ctx.authorizationIds = out;
  return out;
}
