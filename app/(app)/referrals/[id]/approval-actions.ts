"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/auth/action";
import { approveReferral, retryPush, saveApprovalDraft } from "@/lib/approval/approve";
import { getDb } from "@/lib/db";

/** The approval itself is validated by the service (its field paths are the editor's). */
const ZApprovalCall = z.object({
  referralId: z.uuid(),
  version: z.coerce.number().int().positive(),
  approval: z.unknown(),
});
const ZRetryCall = ZApprovalCall.partial({ approval: true });

function refresh(id: string) {
  revalidatePath(`/referrals/${id}`);
  revalidatePath("/queue");
}

export async function approveReferralAction(input: { referralId: string; version: number; approval: unknown }) {
  const result = await runAction("approve", "referral:decide", ZApprovalCall, input, (actor, d) =>
    approveReferral(getDb(), actor, d),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}

export async function saveApprovalDraftAction(input: { referralId: string; version: number; approval: unknown }) {
  const result = await runAction("save draft", "referral:decide", ZApprovalCall, input, (actor, d) =>
    saveApprovalDraft(getDb(), actor, { referralId: d.referralId, version: d.version, data: d.approval }),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}

export async function retryPushAction(input: { referralId: string; version: number; approval?: unknown }) {
  const result = await runAction("retry push", "referral:decide", ZRetryCall, input, (actor, d) =>
    retryPush(getDb(), actor, d),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}
