import { z } from "zod";

export const ZSignIn = z.object({
  email: z.email("Enter an e-mail address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});

const BASE = "http://next.invalid";

/**
 * Only a path of this app is followed after sign-in, else /queue. Browsers read a URL more
 * leniently than it is written: they drop tabs and line breaks ("/\t/evil.example" is
 * "//evil.example") and read "\" as "/" ("/\evil.example"), so anything with control
 * characters, spaces or backslashes is refused outright, and what is left must parse, against
 * a base of our own, to a path on that same origin that does not start with "//".
 */
export function safeNextPath(next: unknown): string {
  const fallback = "/queue";
  if (typeof next !== "string" || next.length > 2000 || !next.startsWith("/")) return fallback;
  if (/[\u0000-\u0020\u007f\\]/.test(next) || next.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith("//")) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith("/sign-in") || path.startsWith("/api/")) return fallback;
  return path;
}
