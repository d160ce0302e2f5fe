/**
 * CSI single sign-on (OIDC). The identity provider decides the role, through values configured
 * here only: OIDC_ROLE_MAP ("csi-reviewers=reviewer,csi-supervisors=supervisor,csi-admins=admin")
 * maps exact values of the claim named by OIDC_ROLE_CLAIM (a list, or one string; a dotted path
 * such as "realm_access.roles" reaches nested claims) to roles. Nothing else grants a role: no
 * suffix, no case folding, no role name taken as it is. Several mapped values give several roles,
 * and the user the scopes of all of them (an administrator who also reviews is in both groups).
 * No role, or an e-mail the provider has not verified: no access.
 * The account is the provider's (issuer, sub): an e-mail can change or pass to someone else.
 */
import { and, eq, sql } from "drizzle-orm";
import { users } from "../../db/schema";
import { recordUserAudit } from "./user-audit";
import type { Db } from "../db";
import type { RoleMap } from "../access/role-map";
import { rolesText, sortRoles, type Role } from "../access/scopes";

export { parseRoleMap, type RoleMap } from "../access/role-map";

function claimAt(profile: Record<string, unknown>, pathExpr: string): unknown {
  if (pathExpr in profile) return profile[pathExpr];
  let cur: unknown = profile;
  for (const part of pathExpr.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Every role the claim's values map to, first to last in ROLE_ORDER (admin, supervisor, reviewer); empty: none. */
export function rolesFromClaims(profile: Record<string, unknown>, claim: string, map: RoleMap): Role[] {
  const raw = claimAt(profile, claim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
  return sortRoles(values.map((v) => map.get(v)).filter((r): r is Role => r !== undefined));
}

/** The provider vouches for the e-mail (`email_verified`, a boolean; some providers send the string). */
export const emailVerified = (profile: Record<string, unknown>) =>
  profile.email_verified === true || profile.email_verified === "true";

/** `roles`: at least one, in ROLE_ORDER (rolesFromClaims). */
export type SsoIdentity = { issuer: string; subject: string; email: string; name: string; roles: readonly Role[] };
export type SsoUserResult =
  | { ok: true; user: { id: string; email: string; name: string; role: Role; roles: readonly Role[] } }
  | { ok: false; code: "disabled" | "identity_conflict" };

/**
 * Why an SSO identity may not sign in (read only, for Auth.js's signIn callback; upsertSsoUser
 * checks the same again under its locks): its account is disabled, or its e-mail belongs to an
 * account of another identity.
 */
export async function ssoSignInRefusal(
  db: Db,
  identity: Pick<SsoIdentity, "issuer" | "subject" | "email">,
): Promise<"disabled" | "identity_conflict" | null> {
  const email = identity.email.trim().toLowerCase();
  const [linked] = await db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.oidcIssuer, identity.issuer), eq(users.oidcSubject, identity.subject)));
  if (linked) return linked.disabledAt ? "disabled" : null;
  const [byEmail] = await db
    .select({ disabledAt: users.disabledAt, subject: users.oidcSubject })
    .from(users)
    .where(eq(users.email, email));
  if (byEmail?.subject) return "identity_conflict";
  return byEmail?.disabledAt ? "disabled" : null;
}

/**
 * Finds the local user of an SSO identity and aligns its e-mail, name and roles with the
 * provider's. Found by (issuer, sub); else a user with that e-mail and no SSO identity yet (an
 * account an administrator made ahead) is linked to it; else one is created. An e-mail already
 * linked to another identity is refused: the provider's sub decides who an account is.
 */
export async function upsertSsoUser(db: Db, input: SsoIdentity): Promise<SsoUserResult> {
  const email = input.email.trim().toLowerCase();
  const actor = { type: "system" as const, label: "single sign-on" };
  const roles = sortRoles(input.roles);
  const [role, ...extraRoles] = roles;
  if (!role) throw new Error("an SSO identity needs a role");
  return db.transaction(async (tx) => {
    // Serialises sign-ins of one identity and of one e-mail (two first sign-ins at once).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sso:${input.issuer}:${input.subject}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sso-email:${email}`}, 0))`);
    let [existing] = await tx
      .select()
      .from(users)
      .where(and(eq(users.oidcIssuer, input.issuer), eq(users.oidcSubject, input.subject)))
      .for("update");
    const [byEmail] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (!existing && byEmail) {
      if (byEmail.oidcSubject) return { ok: false as const, code: "identity_conflict" as const };
      if (byEmail.disabledAt) return { ok: false as const, code: "disabled" as const };
      await tx
        .update(users)
        .set({ oidcIssuer: input.issuer, oidcSubject: input.subject, updatedAt: sql`now()` })
        .where(eq(users.id, byEmail.id));
      await recordUserAudit(tx, actor, "user.sso_linked", byEmail.id, { issuer: input.issuer });
      existing = byEmail;
    }
    if (existing) {
      if (existing.disabledAt) return { ok: false as const, code: "disabled" as const };
      // The provider's e-mail changed to one another account holds: keep ours rather than take theirs.
      const newEmail = email !== existing.email && (!byEmail || byEmail.id === existing.id) ? email : existing.email;
      const had = sortRoles([existing.role, ...existing.extraRoles]);
      if (rolesText(had) !== rolesText(roles)) {
        await recordUserAudit(tx, actor, "user.role_changed", existing.id, {
          from: rolesText(had),
          to: rolesText(roles),
          source: "oidc_claim",
        });
      }
      if (newEmail !== existing.email) {
        await recordUserAudit(tx, actor, "user.email_changed", existing.id, {
          from: existing.email,
          to: newEmail,
          source: "oidc",
        });
      }
      const name = input.name || existing.name;
      await tx
        .update(users)
        .set({ email: newEmail, role, extraRoles, name, lastSignInAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(users.id, existing.id));
      return { ok: true as const, user: { id: existing.id, email: newEmail, name, role, roles } };
    }
    const [row] = await tx
      .insert(users)
      .values({
        email,
        name: input.name || email,
        role,
        extraRoles,
        oidcIssuer: input.issuer,
        oidcSubject: input.subject,
        lastSignInAt: new Date(),
      })
      .returning({ id: users.id });
    if (!row) throw new Error("insert returned nothing");
    await recordUserAudit(tx, actor, "user.created", row.id, { email, role: rolesText(roles), source: "oidc" });
    return { ok: true as const, user: { id: row.id, email, name: input.name || email, role, roles } };
  });
}
