"use server";

import { revalidatePath } from "next/cache";
import type { ZodType } from "zod";
import { runAction } from "@/lib/auth/action";
import type { Actor } from "@/lib/access/actors";
import type { ActionResult } from "@/lib/validations/action-result";
import { getDb } from "@/lib/db";
import { dismissAmendment, rejectReferral, reopenReferral, requestPendingInfo } from "@/lib/workflow/decisions";
import { confirmSamePerson, continueAsNewClient } from "@/lib/approval/different-person";
import * as decisions from "@/lib/validations/decisions";
import { markNotDuplicate } from "@/lib/workflow/duplicates";
import { ZNotDuplicateInput, type TNotDuplicateInput } from "@/lib/validations/duplicates";

/** A decision on one referral: checked, made by the transition path, then the page and the queue read again. */
async function decide<T extends { referralId: string }, R extends ActionResult<unknown>>(
  name: string,
  schema: ZodType<T>,
  input: T,
  make: (db: ReturnType<typeof getDb>, actor: Actor, data: T) => Promise<R>,
) {
  const result = await runAction(name, "referral:decide", schema, input, (actor, data) => make(getDb(), actor, data));
  if (result.status === "success") {
    revalidatePath(`/referrals/${input.referralId}`);
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

/** "Different person" → it is the same person (a correction), with a note. */
export async function confirmSamePersonAction(input: decisions.TConfirmSamePersonInput) {
  return decide("confirm same person", decisions.ZConfirmSamePersonInput, input, confirmSamePerson);
}

/** "Different person", cancelled → the new person as a referral request of its own (approved there as a new client). */
export async function continueAsNewClientAction(input: decisions.TContinueAsNewClientInput) {
  const result = await decide(
    "continue as new client",
    decisions.ZContinueAsNewClientInput,
    input,
    continueAsNewClient,
  );
  if (result.status === "success" && result.data && "newReferralId" in result.data && result.data.newReferralId)
    revalidatePath(`/referrals/${result.data.newReferralId}`);
  return result;
}

/** "Not a duplicate": the pair is no longer shown on either request, nor in their queue rows. */
export async function markNotDuplicateAction(input: TNotDuplicateInput) {
  const result = await decide("not a duplicate", ZNotDuplicateInput, input, markNotDuplicate);
  if (result.status === "success") revalidatePath(`/referrals/${input.otherId}`);
  return result;
}
