/**
 * CSI single sign-on (OIDC). The identity provider is the source of truth for the role: the
 * claim named by OIDC_ROLE_CLAIM (a string or a list; a dotted path such as
 * "realm_access.roles" reaches nested claims) must name a role, either exactly ("reviewer")
 * or as a suffix after ":", "-", "_" or "/" ("csi-referral-reviewer"). With several, the
 * first of admin, supervisor, reviewer wins. No role: no access.
 */
import { eq, sql } from "drizzle-orm";
import { users } from "../../db/schema";
import { recordAudit } from "../audit";
import type { Db } from "../db";
import { ROLES, type Role } from "./scopes";

function claimAt(profile: Record<string, unknown>, pathExpr: string): unknown {
  if (pathExpr in profile) return profile[pathExpr];
  let cur: unknown = profile;
  for (const part of pathExpr.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function roleFromClaims(profile: Record<string, unknown>, claim: string): Role | null {
  const raw = claimAt(profile, claim);
  const values = (Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[\s,]+/) : [])
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.trim().toLowerCase());
  const matches = (role: Role) => values.some((v) => v === role || new RegExp(`[:\\-_/]${role}$`).test(v));
  for (const role of ["admin", "supervisor", "reviewer"] as const) if (matches(role)) return role;
  return null;
}

/** Finds or creates the local user for an SSO sign-in and aligns its role with the claim. */
export async function upsertSsoUser(
  db: Db,
  input: { email: string; name: string; role: Role },
): Promise<{ ok: true; user: { id: string; email: string; name: string; role: Role } } | { ok: false; code: "disabled" }> {
  const email = input.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (existing?.disabledAt) return { ok: false as const, code: "disabled" as const };
    if (existing) {
      if (existing.role !== input.role) {
        await recordAudit(tx, {
          actor: { type: "system", label: "single sign-on" },
          action: "user.role_changed",
          entityType: "user",
          entityId: existing.id,
          details: { from: existing.role, to: input.role, source: "oidc_claim" },
        });
      }
      await tx.update(users).set({ role: input.role, name: input.name || existing.name, lastSignInAt: sql`now()`, updatedAt: sql`now()` }).where(eq(users.id, existing.id));
      return { ok: true as const, user: { id: existing.id, email, name: input.name || existing.name, role: input.role } };
    }
    const [row] = await tx.insert(users).values({ email, name: input.name || email, role: input.role, lastSignInAt: new Date() }).returning({ id: users.id });
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, {
      actor: { type: "system", label: "single sign-on" },
      action: "user.created",
      entityType: "user",
      entityId: row.id,
      details: { email, role: input.role, source: "oidc" },
    });
    return { ok: true as const, user: { id: row.id, email, name: input.name || email, role: input.role } };
  });
}

export const ROLE_NAMES = ROLES;
