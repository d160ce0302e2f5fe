/** Inputs of the supervisor pages' server actions (second reviews, preferences, settings, API clients). */
import { z } from "zod";
import { NOTIFICATION_EVENT_KEYS } from "../notifications/events";
import { storableText } from "./text";

export const ZSecondReview = z
  .object({
    reviewId: z.guid(),
    verdict: z.enum(["agree", "disagree"], "Choose agree or disagree"),
    note: storableText("the note").trim().max(2000, "At most 2,000 characters"),
  })
  // A disagreement reaches the reviewer: it must say why.
  .refine((v) => v.verdict !== "disagree" || v.note.length >= 3, {
    path: ["note"],
    message: "Say why you disagree (at least 3 characters)",
  });
export type TSecondReview = z.infer<typeof ZSecondReview>;
/** The form's values before a verdict is chosen. */
export type TSecondReviewInput = z.input<typeof ZSecondReview>;

export const ZReviewRef = z.object({ reviewId: z.guid() });

export const ZPreferences = z.object({ prefs: z.partialRecord(z.enum(NOTIFICATION_EVENT_KEYS), z.boolean()) });

const WHOLE_PERCENT = "A whole number from 0 to 100";
export const ZSecondReviewPercent = z.object({
  // An empty field is not 0.
  percent: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number(WHOLE_PERCENT).int(WHOLE_PERCENT).min(0, WHOLE_PERCENT).max(100, WHOLE_PERCENT),
  ),
});

export const ZCreateApiClient = z.object({
  name: storableText("the name").trim().min(2, "At least 2 characters").max(120),
  signed: z.boolean(),
});
export type TCreateApiClient = z.infer<typeof ZCreateApiClient>;
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
