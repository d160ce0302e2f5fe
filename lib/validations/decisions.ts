/** Shared by the decision forms (react-hook-form + zodResolver) and the server actions. */
import { z } from "zod";
import { storableText } from "./text";

const ZId = z.guid("Unknown referral request");

/** What a reviewer writes to explain a decision: trimmed, 3 to 2000 characters; `ask` says what to write. */
const explanation = (text: z.ZodString, ask: string) =>
  text.trim().min(3, `${ask} (at least 3 characters)`).max(2000, "At most 2000 characters");

export const ZReferralRef = z.object({
  referralId: ZId,
  /** the version the reviewer saw: a stale one is a conflict, never an overwrite */
  version: z.number().int().positive(),
});

export const ZRejectInput = ZReferralRef.extend({
  reasonCode: storableText("the reason").trim().min(1, "Choose a reason").max(64),
  comment: explanation(storableText("the comment"), "Add a comment"),
});
export type TRejectInput = z.infer<typeof ZRejectInput>;

export const ZPendingInfoInput = ZReferralRef.extend({
  note: explanation(storableText("the note"), "Say what information is missing"),
});
export type TPendingInfoInput = z.infer<typeof ZPendingInfoInput>;

export const ZReopenInput = ZReferralRef.extend({
  comment: storableText("the comment").trim().max(2000, "At most 2000 characters").optional(),
});
export type TReopenInput = z.infer<typeof ZReopenInput>;

export const ZDismissAmendmentInput = ZReferralRef.extend({
  note: explanation(storableText("the note"), "Say why the amendment needs no change"),
});
export type TDismissAmendmentInput = z.infer<typeof ZDismissAmendmentInput>;

/** "Different person" → it is the same person after all (a correction): the note says how the reviewer knows. */
export const ZConfirmSamePersonInput = ZReferralRef.extend({
  note: explanation(z.string(), "Say how you know it is the same person"),
});
export type TConfirmSamePersonInput = z.infer<typeof ZConfirmSamePersonInput>;

/** "Different person", cancelled in ACCloud → the new person as a referral request of its own, approved as a new client. */
export const ZContinueAsNewClientInput = ZReferralRef;
export type TContinueAsNewClientInput = z.infer<typeof ZContinueAsNewClientInput>;

export const ZClaimInput = z.object({ referralId: ZId });
export const ZBulkAssignInput = z.object({
  ids: z.array(ZId).min(1, "Select at least one request").max(100, "At most 100 at a time"),
  assigneeId: z.guid("Choose a reviewer").nullable(),
});
export type TBulkAssignInput = z.infer<typeof ZBulkAssignInput>;

/** zod issues → { field: [messages] } for the action result. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
