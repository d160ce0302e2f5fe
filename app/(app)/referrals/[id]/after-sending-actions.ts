"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/auth/action";
import { cancelReferral, changeApproval } from "@/lib/approval/after-sending";
import { createAccloudClientFromEnv } from "@/lib/accloud/client";
import { getDb } from "@/lib/db";
import { refreshFromAccloud } from "@/lib/worker/agency-sync";
import type { TCancelReferralInput, TChangeApprovalInput } from "@/lib/approval/after-sending-schema";

/** The services validate their own input (their field paths are the forms'). */
const ZCall = z.object({ referralId: z.uuid() }).passthrough();

function refresh(id: string) {
  revalidatePath(`/referrals/${id}`);
  revalidatePath("/queue");
}

export async function changeApprovalAction(input: TChangeApprovalInput) {
  const result = await runAction("change approval", "referral:decide", ZCall, input, (actor) =>
    changeApproval(getDb(), actor, input),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}

export async function cancelReferralAction(input: TCancelReferralInput) {
  const result = await runAction("cancel referral", "referral:decide", ZCall, input, (actor) =>
    cancelReferral(getDb(), actor, input),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}

/** "Refresh from ACCloud": reads the referral's revisions and status now (the worker does it on a schedule too). */
export async function refreshFromAccloudAction(input: { referralId: string }) {
  const result = await runAction("refresh from ACCloud", "referral:read", ZCall, input, async (actor, data) => {
    const outcome = await refreshFromAccloud(getDb(), createAccloudClientFromEnv(), actor, data.referralId);
    const message = outcome.revisions
      ? `ACCloud has ${outcome.revisions} revision${outcome.revisions === 1 ? "" : "s"}${outcome.change ? `; the agency ${outcome.change === "processed" ? "processed" : "cancelled"} the referral` : "; nothing new from the agency"}.`
      : "ACCloud has no referral for this request yet.";
    return { status: "success" as const, message };
  });
  if (result.status === "success") refresh(input.referralId);
  return result;
}
