import { crossSiteRefusal } from "@/lib/http/request-guard";
import { handleReferralWebhook } from "@/lib/intake/webhook";

export const dynamic = "force-dynamic";

/**
 * The Referral Request webhook (AlayaConnector). See /api/openapi.json. Its sender is a server
 * (no Origin: let through); a browser sent here by another site is refused. The body's limits
 * are the webhook's own (lib/intake/webhook.ts reads it streamed, within WEBHOOK_BODY_LIMIT_BYTES).
 */
export async function POST(request: Request) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused.toResponse();
  return handleReferralWebhook(request);
}
