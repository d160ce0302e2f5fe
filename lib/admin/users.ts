/** User administration (admin:users). Every change is audited; disabling ends the user's sessions. */
import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope, rolesText, sortRoles, type Role } from "../access/scopes";
import { type Actor } from "../access/actors";
import { endUserSessions } from "../auth/sessions";
import type { Db } from "../db";
import { createUser } from "../auth/users";
import type { ActionResult } from "../validations/action-result";
import type { TCreateUser } from "../validations/users";

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** all of the user's roles, `role` first (a person with two has both) */
  roles: Role[];
  disabled: boolean;
  locked: boolean;
  hasPassword: boolean;
  lastSignInAt: string | null;
};

export async function listUsers(db: Db, actor: Actor): Promise<UserRow[]> {
  assertScope(actor, "admin:users");
  const rows = await db.select().from(users).orderBy(asc(users.disabledAt), asc(users.name));
  const now = Date.now();
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    roles: sortRoles([u.role, ...u.extraRoles]),
    disabled: u.disabledAt !== null,
    locked: u.lockedUntil !== null && u.lockedUntil.getTime() > now,
    hasPassword: u.passwordHash !== null,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  }));
}

export async function addUser(db: Db, actor: Actor, input: TCreateUser): Promise<ActionResult> {
  assertScope(actor, "admin:users");
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing)
    return {
      status: "invalid_data",
      fieldErrors: { email: ["A user with this e-mail already exists"] },
      message: "A user with this e-mail already exists.",
    };
  await createUser(db, {
    email,
    name: input.name,
    role: input.role,
    password: input.password || undefined,
    actor: actor,
  });
  return { status: "success", message: `Added ${email}.` };
}

/** The last active admin cannot be demoted or disabled: someone must be able to manage users. */
async function isLastActiveAdmin(db: Db, userId: string): Promise<boolean> {
  const res = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from users where (role = 'admin' or 'admin' = any(extra_roles)) and disabled_at is null and id <> ${userId}`,
  );
  return (res.rows[0]?.n ?? 0) === 0;
}

const isAdmin = (u: { role: Role; extraRoles: Role[] }) => u.role === "admin" || u.extraRoles.includes("admin");

export async function setUserRole(db: Db, actor: Actor, input: { userId: string; role: Role }): Promise<ActionResult> {
  assertScope(actor, "admin:users");
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user) return { status: "failed", message: "No such user." };
  // One role chosen here replaces all of the user's (single sign-on sets them again from the role map at the next sign-in).
  if (user.role === input.role && user.extraRoles.length === 0) return { status: "success", message: "No change." };
  if (isAdmin(user) && input.role !== "admin" && (await isLastActiveAdmin(db, user.id)))
    return { status: "conflict", message: "This is the last active administrator." };
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ role: input.role, extraRoles: [], updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    const from = rolesText(sortRoles([user.role, ...user.extraRoles]));
    await recordAudit(tx, {
      actor: actor,
      action: "user.role_changed",
      entityType: "user",
      entityId: user.id,
      details: { from, to: input.role },
    });
  });
  return { status: "success", message: `${user.email} is now ${input.role}.` };
}

export async function setUserDisabled(
  db: Db,
  actor: Actor,
  input: { userId: string; disabled: boolean },
): Promise<ActionResult> {
  assertScope(actor, "admin:users");
  if (input.userId === actor.id && input.disabled)
    return { status: "conflict", message: "You cannot disable your own account." };
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user) return { status: "failed", message: "No such user." };
  if (input.disabled && isAdmin(user) && (await isLastActiveAdmin(db, user.id)))
    return { status: "conflict", message: "This is the last active administrator." };
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ disabledAt: input.disabled ? sql`now()` : null, updatedAt: sql`now()` })
      .where(input.disabled ? and(eq(users.id, user.id), isNull(users.disabledAt)) : eq(users.id, user.id));
    await recordAudit(tx, {
      actor: actor,
      action: input.disabled ? "user.disabled" : "user.enabled",
      entityType: "user",
      entityId: user.id,
      details: {},
    });
  });
  if (input.disabled) await endUserSessions(db, user.id, "disabled");
  return { status: "success", message: `${user.email} ${input.disabled ? "disabled" : "enabled"}.` };
}

export async function unlockUser(db: Db, actor: Actor, input: { userId: string }): Promise<ActionResult> {
  assertScope(actor, "admin:users");
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user) return { status: "failed", message: "No such user." };
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ lockedUntil: null, failedSignIns: 0, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    await recordAudit(tx, {
      actor: actor,
      action: "user.unlocked",
      entityType: "user",
      entityId: user.id,
      details: {},
    });
  });
  return { status: "success", message: `${user.email} unlocked.` };
}
