/**
 * Password sign-in with rate limits and lockout.
 *  - Every attempt counts against its client address and its account (lib/auth/rate-limits.ts).
 *  - SIGN_IN_MAX_FAILURES wrong passwords lock the account for SIGN_IN_LOCK_MINUTES. The check
 *    is atomic: an attempt first takes one of the account's remaining tries in a single UPDATE,
 *    and only an attempt that got one has its password checked, so a burst of parallel guesses
 *    gets at most SIGN_IN_MAX_FAILURES checks, never one per request.
 *  - An unknown e-mail, a locked account and a wrong password answer alike ("invalid"), and
 *    each costs one argon2 verification, so neither the answer nor its time tells them apart.
 * Every outcome is audited (the audit trail, not the answer, says which it was).
 */
import { eq, sql } from "drizzle-orm";
import { users, type User } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { recordUserAudit } from "./user-audit";
import { systemActor } from "../access/actors";
import type { Db } from "../db";
import { getEnv } from "../env";
import { hashPassword, verifyPassword } from "./passwords";
import { findUserByEmail } from "./users";
import { countSignInAttempt, signInSucceeded } from "./rate-limits";

export type CredentialsResult =
  | { ok: true; user: Pick<User, "id" | "email" | "name" | "role"> }
  | { ok: false; code: "invalid" | "disabled" }
  | { ok: false; code: "rate_limited"; retryAfterSeconds: number };

let dummyHash: Promise<string> | undefined;
/** Unknown e-mails cost the same time as known ones. */
const dummy = () => (dummyHash ??= hashPassword("not-a-real-password-for-timing"));

export async function verifyCredentials(
  db: Db,
  emailInput: string,
  password: string,
  opts: { ip?: string } = {},
): Promise<CredentialsResult> {
  const env = getEnv();
  const email = emailInput.trim().toLowerCase();
  const ip = opts.ip ?? "unknown";
  const wait = await countSignInAttempt(ip, email);
  if (wait !== null) {
    await recordAudit(db, {
      actor: systemActor("sign-in"),
      action: "auth.sign_in_rate_limited",
      entityType: "user",
      details: { retryAfterSeconds: wait },
    });
    return { ok: false, code: "rate_limited", retryAfterSeconds: wait };
  }
  const user = await findUserByEmail(db, email);
  if (!user || !user.passwordHash) {
    await verifyPassword(await dummy(), password);
    await recordAudit(db, {
      actor: systemActor("sign-in"),
      action: "auth.sign_in_failed",
      entityType: "user",
      details: { email, reason: "unknown_user" },
    });
    return { ok: false, code: "invalid" };
  }
  const actor = { type: "user" as const, id: user.id, email: user.email };

  // One of the account's remaining tries, taken atomically (none while it is locked).
  const [attempt] = await db
    .update(users)
    .set({ failedSignIns: sql`${users.failedSignIns} + 1` })
    .where(
      sql`${users.id} = ${user.id} and (${users.lockedUntil} is null or ${users.lockedUntil} <= now()) and ${users.failedSignIns} < ${env.SIGN_IN_MAX_FAILURES}`,
    )
    .returning({ n: users.failedSignIns });
  if (!attempt) {
    await verifyPassword(user.passwordHash, password);
    await recordUserAudit(db, actor, "auth.sign_in_failed", user.id, { reason: "locked" });
    return { ok: false, code: "invalid" };
  }

  if (!(await verifyPassword(user.passwordHash, password))) {
    return db.transaction(async (tx) => {
      // The try that used up the last one locks the account (and starts its count again).
      const lock = attempt.n >= env.SIGN_IN_MAX_FAILURES;
      if (lock) {
        await tx
          .update(users)
          .set({ failedSignIns: 0, lockedUntil: sql`now() + make_interval(mins => ${env.SIGN_IN_LOCK_MINUTES})` })
          .where(eq(users.id, user.id));
      }
      await recordUserAudit(tx, actor, lock ? "auth.locked" : "auth.sign_in_failed", user.id, {
        reason: "wrong_password",
      });
      return { ok: false as const, code: "invalid" as const };
    });
  }
  if (user.disabledAt) {
    await db
      .update(users)
      .set({ failedSignIns: sql`greatest(${users.failedSignIns} - 1, 0)` })
      .where(eq(users.id, user.id));
    await recordUserAudit(db, actor, "auth.sign_in_failed", user.id, { reason: "disabled" });
    return { ok: false, code: "disabled" };
  }
  await db
    .update(users)
    .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: sql`now()` })
    .where(eq(users.id, user.id));
  await signInSucceeded(ip, email);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
