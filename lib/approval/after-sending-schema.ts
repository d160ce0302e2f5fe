/**
 * After sending: an update (a new revision with reasons), a cancel (a coded reason) and documents.
 * Shared by the forms (react-hook-form + zodResolver) and the server actions. No server imports.
 */
import { z } from "zod";
import { ZApproval } from "./schema";
import { CANCEL_REASONS, type CancelReasonCode } from "./after-sending-constants";
import { storableText } from "../validations/text";

const ZRef = z.object({ referralId: z.guid("Unknown referral request"), version: z.coerce.number().int().positive() });
const optionalComment = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    storableText(label).trim().max(max, `At most ${max} characters`).optional(),
  );

/** Why a sent referral changes: at least one reason from the admin's list, or one of the reviewer's own. */
export const ZUpdateReasons = z
  .object({
    reasonCodes: z.array(storableText("the reason").min(1).max(64)).max(20).default([]),
    otherReason: optionalComment(200, "the reason"),
    revisionComment: optionalComment(1000, "the comment"),
  })
  .refine((r) => r.reasonCodes.length > 0 || Boolean(r.otherReason), {
    message: "Give at least one reason the agency will read",
    path: ["reasonCodes"],
  });

/** "Send update": the changed approval and why. The approval keeps the editor's field paths. */
export const ZChangeApproval = ZRef.extend({ approval: ZApproval, reasons: ZUpdateReasons });
export type TChangeApprovalInput = z.input<typeof ZChangeApproval>;

export const ZCancelReferral = ZRef.extend({
  reasonCode: z.enum(CANCEL_REASONS.map((r) => r.code) as [CancelReasonCode, ...CancelReasonCode[]], {
    message: "Choose a reason",
  }),
  comment: optionalComment(1000, "the comment"),
}).refine((c) => c.reasonCode !== "other" || Boolean(c.comment), {
  message: "Say why, for “Other”",
  path: ["comment"],
});
export type TCancelReferralInput = z.input<typeof ZCancelReferral>;
