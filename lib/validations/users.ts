import { z } from "zod";
import { ROLES } from "../access/scopes";
import { storableText } from "./text";

export const ZRole = z.enum(ROLES, "Choose a role");

export const ZCreateUser = z.object({
  email: z.email("Enter an e-mail address").max(320),
  name: storableText("the name").trim().min(1, "Enter a name").max(200),
  role: ZRole,
  /** empty: a single-sign-on user, who cannot sign in with a password */
  password: z.union([z.literal(""), z.string().min(12, "At least 12 characters").max(200)]).optional(),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUserRef = z.object({ userId: z.guid() });
export const ZSetRole = ZUserRef.extend({ role: ZRole });
export const ZSetDisabled = ZUserRef.extend({ disabled: z.boolean() });

/** rejection: why a request was refused; update: why a sent referral changes (sent to the agency with the revision) */
export const ZReasonKind = z.enum(["rejection", "update"]).default("rejection");
export const ZAddReason = z.object({
  kind: ZReasonKind,
  code: storableText("the code")
    .trim()
    .min(2, "At least 2 characters")
    .max(64)
    .regex(/^[a-z0-9_]+$/, "Lower-case letters, digits and _ only"),
  label: storableText("the label").trim().min(3, "At least 3 characters").max(200),
});
export const ZSetReasonActive = z.object({
  kind: ZReasonKind,
  code: storableText("the code").min(1).max(64),
  active: z.boolean(),
});
