"use server";

import { revalidatePath } from "next/cache";
import type { ZodType } from "zod";
import { runAction } from "@/lib/auth/action";
import type { Actor } from "@/lib/auth/actors";
import type { ActionResult } from "@/lib/validations/action-result";
import { getDb } from "@/lib/db";
import { dismissAmendment, rejectReferral, reopenReferral, requestPendingInfo } from "@/lib/referrals/workflow";
import * as decisions from "@/lib/validations/decisions";

/** A decision on one referral: checked, made by the transition path, then the page and the queue read again. */
async function decide<T extends { id: string }, R extends ActionResult<unknown>>(
  name: string,
  schema: ZodType<T>,
  input: T,
  make: (db: ReturnType<typeof getDb>, actor: Actor, data: T) => Promise<R>,
) {
  const result = await runAction(name, "referral:decide", schema, input, (actor, data) => make(getDb(), actor, data));
  if (result.status === "success") {
    revalidatePath(`/referrals/${input.id}`);
    revalidatePath("/queue");
  }
  return result;
}

export async function rejectReferralAction(input: decisions.TRejectInput) {
  return decide("reject", decisions.ZRejectInput, input, rejectReferral);
}

export async function pendingInfoAction(input: decisions.TPendingInfoInput) {
  return decide("pending info", decisions.ZPendingInfoInput, input, requestPendingInfo);
}

export async function reopenReferralAction(input: decisions.TReopenInput) {
  return decide("reopen", decisions.ZReopenInput, input, reopenReferral);
}

export async function dismissAmendmentAction(input: decisions.TDismissAmendmentInput) {
  return decide("dismiss amendment", decisions.ZDismissAmendmentInput, input, dismissAmendment);
}
