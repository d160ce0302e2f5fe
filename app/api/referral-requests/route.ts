import { handleReferralWebhook } from "@/lib/intake/webhook";

export const dynamic = "force-dynamic";

/** The Referral Request webhook (AlayaConnector). See /api/openapi.json. */
export async function POST(request: Request) {
  return handleReferralWebhook(request);
}
