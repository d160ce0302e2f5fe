"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionActor } from "@/lib/auth/guards";
import { hasScope } from "@/lib/auth/scopes";
import { approveReferral, retryPush, saveApprovalDraft, type ApprovalResult } from "@/lib/approval/service";
import { logger } from "@/lib/log";

const log = logger("approval");
const ZIds = z.object({ referralId: z.uuid(), version: z.coerce.number().int().positive() });

function refresh(id: string) {
  revalidatePath(`/referrals/${id}`);
  revalidatePath("/queue");
}

async function guarded(name: string, input: unknown, fn: (actor: { type: "user"; id: string; label: string }, ids: z.infer<typeof ZIds>) => Promise<ApprovalResult>): Promise<ApprovalResult | { status: "forbidden"; message: string }> {
  // Approving decides and pushes: both scopes are needed.
  const auth = await actionActor("referral:decide");
  if (!auth.ok) return { status: "forbidden", message: auth.result.message ?? "Forbidden" };
  if (!hasScope(auth.actor.role, "referral:push")) return { status: "forbidden", message: "Forbidden: this needs the referral:push scope." };
  const ids = ZIds.safeParse(input);
  if (!ids.success) return { status: "failed", message: "The request was malformed; reload the page." };
  try {
    const result = await fn({ type: "user", id: auth.actor.id, label: auth.actor.email }, ids.data);
    if (result.status === "success") refresh(ids.data.referralId);
    return result;
  } catch (err) {
    const e = err as { name?: string; code?: string };
    log.error(`${name} failed: ${e.name ?? "Error"}${e.code ? ` (${e.code})` : ""}`);
    return { status: "failed", message: "Something went wrong and nothing was saved. Try again." };
  }
}

export async function approveReferralAction(input: { referralId: string; version: number; approval: unknown }) {
  return guarded("approve", input, (actor, ids) => approveReferral({ ...ids, approval: input.approval, actor }));
}

export async function saveApprovalDraftAction(input: { referralId: string; version: number; approval: unknown }) {
  return guarded("save draft", input, (actor, ids) => saveApprovalDraft({ referralId: ids.referralId, data: input.approval, actor }));
}

export async function retryPushAction(input: { referralId: string; version: number; approval?: unknown }) {
  return guarded("retry push", input, (actor, ids) => retryPush({ ...ids, approval: input.approval, actor }));
}
