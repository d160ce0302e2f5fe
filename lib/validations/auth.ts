import { z } from "zod";

export const ZSignIn = z.object({
  email: z.email("Enter an e-mail address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});
export type TSignIn = z.infer<typeof ZSignIn>;

/** Only same-site paths are followed after sign-in. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/queue";
  if (next.startsWith("/sign-in") || next.startsWith("/api/")) return "/queue";
  return next;
}
