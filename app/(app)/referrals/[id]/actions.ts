"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { dismissAmendment, rejectReferral, reopenReferral, requestPendingInfo } from "@/lib/referrals/workflow";
import {
  ZDismissAmendmentInput,
  ZPendingInfoInput,
  ZRejectInput,
  ZReopenInput,
  type TDismissAmendmentInput,
  type TPendingInfoInput,
  type TRejectInput,
  type TReopenInput,
} from "@/lib/validations/decisions";

function refresh(id: string) {
  revalidatePath(`/referrals/${id}`);
  revalidatePath("/queue");
}

export async function rejectReferralAction(input: TRejectInput) {
  const result = await runAction("reject", "referral:decide", ZRejectInput, input, (actor, data) => rejectReferral(getDb(), actor, data));
  if (result.status === "success") refresh(input.id);
  return result;
}

export async function pendingInfoAction(input: TPendingInfoInput) {
  const result = await runAction("pending info", "referral:decide", ZPendingInfoInput, input, (actor, data) => requestPendingInfo(getDb(), actor, data));
  if (result.status === "success") refresh(input.id);
  return result;
}

export async function reopenReferralAction(input: TReopenInput) {
  const result = await runAction("reopen", "referral:decide", ZReopenInput, input, (actor, data) => reopenReferral(getDb(), actor, data));
  if (result.status === "success") refresh(input.id);
  return result;
}

export async function dismissAmendmentAction(input: TDismissAmendmentInput) {
  const result = await runAction("dismiss amendment", "referral:decide", ZDismissAmendmentInput, input, (actor, data) =>
    dismissAmendment(getDb(), actor, data),
  );
  if (result.status === "success") refresh(input.id);
  return result;
}
