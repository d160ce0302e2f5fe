"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/auth/action";
import { actionActor } from "@/lib/auth/guards";
import { hasScope } from "@/lib/access/scopes";
import { getDb } from "@/lib/db";
import { assignReferrals, claimReferral, unassignReferral } from "@/lib/workflow/decisions";
import type { ActionResult } from "@/lib/validations/action-result";
import { ZBulkAssignInput, ZClaimInput } from "@/lib/validations/decisions";
import { SEARCH_COOKIE, ZNameSearch } from "@/lib/validations/queue";

function refresh(id: string) {
  revalidatePath("/queue");
  revalidatePath(`/referrals/${id}`);
}

export async function claimReferralAction(input: { referralId: string }) {
  const result = await runAction("claim", "referral:claim", ZClaimInput, input, (actor, data) =>
    claimReferral(getDb(), actor, data.referralId),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}

/** One's own claim needs referral:claim; releasing someone else's, referral:assign (checked in the DAL). */
export async function unassignReferralAction(input: { referralId: string }) {
  const auth = await actionActor("referral:read");
  if (!auth.ok) return auth.result;
  const scope = hasScope(auth.actor, "referral:assign") ? "referral:assign" : "referral:claim";
  const result = await runAction("unassign", scope, ZClaimInput, input, (actor, data) =>
    unassignReferral(getDb(), actor, data.referralId),
  );
  if (result.status === "success") refresh(input.referralId);
  return result;
}

export async function bulkAssignAction(input: { ids: string[]; assigneeId: string | null }) {
  const result = await runAction("bulk assign", "referral:assign", ZBulkAssignInput, input, (actor, data) =>
    assignReferrals(getDb(), actor, data),
  );
  if (result.status === "success") revalidatePath("/queue");
  return result;
}

/**
 * Client-name search goes into an httpOnly cookie, not the URL: names in URLs end up in
 * server and proxy logs, browser history and shared links.
 */
export async function setNameSearchAction(input: { q: string }): Promise<ActionResult> {
  const auth = await actionActor("referral:read");
  if (!auth.ok) return auth.result;
  const parsed = ZNameSearch.safeParse(input);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "At most 100 characters.";
    return { status: "invalid_data", message, fieldErrors: { q: [message] } };
  }
  const jar = await cookies();
  if (parsed.data.q) {
    jar.set(SEARCH_COOKIE, parsed.data.q, {
      httpOnly: true,
      sameSite: "strict",
      path: "/",
      maxAge: 8 * 3600,
      secure: process.env.NODE_ENV === "production" && process.env.APP_URL?.startsWith("https:") === true,
    });
  } else {
    jar.delete(SEARCH_COOKIE);
  }
  revalidatePath("/queue");
  return { status: "success" };
}
