/**
 * The server-side session id inside the Auth.js JWT cookie. Auth.js's own `auth()` decrypts
 * the token and re-encrypts a fresh one on every call (HKDF + JWE twice, ~5 ms); a given token
 * always decodes to the same claims, so results are memoised by the token string (bounded,
 * expiry still enforced). Whether the session is alive is decided in the database.
 * The token is small (sub, sid, iat, exp, jti), so Auth.js never splits it into chunks.
 */
import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { getEnv } from "../env";

export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
const MAX_ENTRIES = 5000;
const memo = new Map<string, { sid: string | null; exp: number }>();

export async function decodeSessionId(token: string, cookieName: string): Promise<string | null> {
  const now = Date.now() / 1000;
  let entry = memo.get(token);
  if (!entry) {
    const secret = getEnv().AUTH_SECRET;
    const payload = secret ? await decode({ token, secret, salt: cookieName }).catch(() => null) : null;
    entry = {
      sid: typeof payload?.sid === "string" ? payload.sid : null,
      exp: typeof payload?.exp === "number" ? payload.exp : 0,
    };
    if (memo.size >= MAX_ENTRIES) memo.delete(memo.keys().next().value!);
    memo.set(token, entry);
  }
  return entry.exp > now ? entry.sid : null;
}

export async function readSessionId(): Promise<string | null> {
  const jar = await cookies();
  for (const name of SESSION_COOKIE_NAMES) {
    const token = jar.get(name)?.value;
    if (token) return decodeSessionId(token, name);
  }
  return null;
}
