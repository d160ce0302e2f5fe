"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { acknowledgeDisagreement, recordSecondReview } from "@/lib/second-review/reviews";
import { ZReviewRef, ZSecondReview, type TSecondReview } from "@/lib/validations/supervisors";

export async function recordSecondReviewAction(input: TSecondReview & { referralId?: string }) {
  const result = await runAction("second review", "review:second", ZSecondReview, input, (actor, data) =>
    recordSecondReview(getDb(), actor, data),
  );
  if (result.status === "success") {
    revalidatePath("/reviews");
    if (input.referralId) revalidatePath(`/referrals/${input.referralId}`);
  }
  return result;
}

export async function acknowledgeDisagreementAction(input: { reviewId: string }) {
  const result = await runAction("acknowledge disagreement", "referral:read", ZReviewRef, input, (actor, data) =>
    acknowledgeDisagreement(getDb(), actor, data.reviewId),
  );
  if (result.status === "success") revalidatePath("/reviews");
  return result;
}
