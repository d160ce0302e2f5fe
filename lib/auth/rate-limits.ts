/**
 * Sign-in attempts are rate limited per client address and per account (the e-mail typed,
 * whether an account has it or not, so the limit says nothing about who has an account); a
 * successful sign-in gives its point back, so the limits bite on failures. With
 * rate-limiter-flexible on the app's PostgreSQL: the counters are shared by every process and
 * survive restarts, and each attempt is one atomic upsert, so a burst of parallel attempts
 * cannot slip past the limit. The keys are hashes: no e-mail or address is stored.
 */
import { createHash } from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getPool } from "../db";
import { getEnv } from "../env";

type Limiters = { config: string; ip: RateLimiterPostgres; account: RateLimiterPostgres };
const globalForLimits = globalThis as unknown as { csiSignInLimiters?: Limiters };

function limiters(): Limiters {
  const env = getEnv();
  const config = JSON.stringify([
    env.SIGN_IN_RATE_PER_IP,
    env.SIGN_IN_RATE_PER_ACCOUNT,
    env.SIGN_IN_RATE_WINDOW_MINUTES,
  ]);
  const current = globalForLimits.csiSignInLimiters;
  if (current?.config === config) return current;
  const make = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: getPool(),
      storeType: "pool",
      tableName: "sign_in_rate_limits",
      // Made by the migrations: the app's database role creates no tables.
      tableCreated: true,
      keyPrefix,
      points,
      duration: env.SIGN_IN_RATE_WINDOW_MINUTES * 60,
    });
  const made = {
    config,
    ip: make("sign-in-ip", env.SIGN_IN_RATE_PER_IP),
    account: make("sign-in-account", env.SIGN_IN_RATE_PER_ACCOUNT),
  };
  globalForLimits.csiSignInLimiters = made;
  return made;
}

const key = (kind: string, value: string) => createHash("sha256").update(`${kind}:${value}`).digest("hex");

/** Counts an attempt; the seconds until the next one is allowed when a limit is passed, else null. */
export async function countSignInAttempt(ip: string, email: string): Promise<number | null> {
  const l = limiters();
  const results = await Promise.allSettled([l.ip.consume(key("ip", ip)), l.account.consume(key("account", email))]);
  let wait = 0;
  for (const r of results) {
    if (r.status === "fulfilled") continue;
    // A refusal is a RateLimiterRes; anything else is the database failing, which fails the sign-in.
    if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
    wait = Math.max(wait, Math.ceil(r.reason.msBeforeNext / 1000));
  }
  return wait > 0 ? wait : null;
}

/**
 * A successful sign-in is not held against anyone: its account's count is cleared and the
 * address gets its point back (one office address signs many people in).
 */
export async function signInSucceeded(ip: string, email: string): Promise<void> {
  const l = limiters();
  await Promise.all([l.account.delete(key("account", email)), l.ip.reward(key("ip", ip), 1)]);
}
