/** Inputs of the supervisor pages' server actions (second reviews, preferences, settings, API clients). */
import { z } from "zod";
import { NOTIFICATION_EVENT_KEYS } from "../notifications/events";

export const ZSecondReview = z.object({
  reviewId: z.guid(),
  verdict: z.enum(["agree", "disagree"], "Choose agree or disagree"),
  note: z.string().trim().max(2000, "At most 2,000 characters"),
});
export type TSecondReview = z.infer<typeof ZSecondReview>;

export const ZReviewRef = z.object({ reviewId: z.guid() });

export const ZPreferences = z.object({ prefs: z.partialRecord(z.enum(NOTIFICATION_EVENT_KEYS), z.boolean()) });

export const ZSecondReviewPercent = z.object({ percent: z.coerce.number("Enter a number").int("A whole number").min(0, "0 to 100").max(100, "0 to 100") });

export const ZCreateApiClient = z.object({ name: z.string().trim().min(2, "At least 2 characters").max(120), signed: z.boolean() });
export const ZRotateApiClient = z.object({
  id: z.guid(),
  which: z.enum(["secret", "signing"]),
  overlapMinutes: z.coerce
    .number("Enter minutes")
    .int("Whole minutes")
    .min(0, "0 or more")
    .max(30 * 24 * 60, "At most 30 days"),
});
export const ZApiClientRef = z.object({ id: z.guid() });
