/**
 * Password sign-in with lockout: SIGN_IN_MAX_FAILURES wrong passwords in a row lock the
 * account for SIGN_IN_LOCK_MINUTES. A locked account is refused before the password is even
 * checked, so guessing cannot continue during the lock. Every outcome is audited.
 */
import { eq, sql } from "drizzle-orm";
import { users, type User } from "../../db/schema";
import { recordAudit, systemActor } from "../audit";
import type { Db } from "../db";
import { getEnv } from "../env";
import { hashPassword, verifyPassword } from "../passwords";
import { findUserByEmail } from "../users";

export type CredentialsResult =
  | { ok: true; user: Pick<User, "id" | "email" | "name" | "role"> }
  | { ok: false; code: "invalid" | "locked" | "disabled"; lockedUntil?: Date };

let dummyHash: Promise<string> | undefined;
/** Unknown e-mails cost the same time as known ones. */
const dummy = () => (dummyHash ??= hashPassword("not-a-real-password-for-timing"));

export async function verifyCredentials(db: Db, emailInput: string, password: string): Promise<CredentialsResult> {
  const env = getEnv();
  const email = emailInput.trim().toLowerCase();
  const user = await findUserByEmail(db, email);
  if (!user || !user.passwordHash) {
    await verifyPassword(await dummy(), password);
    await recordAudit(db, { actor: systemActor("sign-in"), action: "auth.sign_in_failed", entityType: "user", details: { email, reason: "unknown_user" } });
    return { ok: false, code: "invalid" };
  }
  const actor = { type: "user" as const, id: user.id, label: user.email };
  if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
    await recordAudit(db, { actor, action: "auth.sign_in_failed", entityType: "user", entityId: user.id, details: { reason: "locked" } });
    return { ok: false, code: "locked", lockedUntil: user.lockedUntil };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    return db.transaction(async (tx) => {
      const [row] = await tx
        .update(users)
        .set({
          failedSignIns: sql`case when ${users.failedSignIns} + 1 >= ${env.SIGN_IN_MAX_FAILURES} then 0 else ${users.failedSignIns} + 1 end`,
          lockedUntil: sql`case when ${users.failedSignIns} + 1 >= ${env.SIGN_IN_MAX_FAILURES} then now() + make_interval(mins => ${env.SIGN_IN_LOCK_MINUTES}) else ${users.lockedUntil} end`,
        })
        .where(eq(users.id, user.id))
        .returning({ lockedUntil: users.lockedUntil });
      const locked = row?.lockedUntil && row.lockedUntil.getTime() > Date.now() ? row.lockedUntil : null;
      await recordAudit(tx, {
        actor,
        action: locked ? "auth.locked" : "auth.sign_in_failed",
        entityType: "user",
        entityId: user.id,
        details: { reason: "wrong_password" },
      });
      return locked ? { ok: false as const, code: "locked" as const, lockedUntil: locked } : { ok: false as const, code: "invalid" as const };
    });
  }
  if (user.disabledAt) {
    await recordAudit(db, { actor, action: "auth.sign_in_failed", entityType: "user", entityId: user.id, details: { reason: "disabled" } });
    return { ok: false, code: "disabled" };
  }
  await db.update(users).set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: sql`now()` }).where(eq(users.id, user.id));
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
