"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { dismissAmendment, rejectReferral, reopenReferral, requestPendingInfo } from "@/lib/referrals/workflow";
import * as decisions from "@/lib/validations/decisions";

function refresh(id: string) {
  revalidatePath(`/referrals/${id}`);
  revalidatePath("/queue");
}

export async function rejectReferralAction(input: decisions.TRejectInput) {
  const result = await runAction("reject", "referral:decide", decisions.ZRejectInput, input, (actor, data) => rejectReferral(getDb(), actor, data));
  if (result.status === "success") refresh(input.id);
  return result;
}

export async function pendingInfoAction(input: decisions.TPendingInfoInput) {
  const result = await runAction("pending info", "referral:decide", decisions.ZPendingInfoInput, input, (actor, data) =>
    requestPendingInfo(getDb(), actor, data),
  );
  if (result.status === "success") refresh(input.id);
  return result;
}

export async function reopenReferralAction(input: decisions.TReopenInput) {
  const result = await runAction("reopen", "referral:decide", decisions.ZReopenInput, input, (actor, data) => reopenReferral(getDb(), actor, data));
  if (result.status === "success") refresh(input.id);
  return result;
}

export async function dismissAmendmentAction(input: decisions.TDismissAmendmentInput) {
  const result = await runAction("dismiss amendment", "referral:decide", decisions.ZDismissAmendmentInput, input, (actor, data) =>
    dismissAmendment(getDb(), actor, data),
  );
  if (result.status === "success") refresh(input.id);
  return result;
}
