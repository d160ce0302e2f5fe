/**
 * Who may do what. Roles map to scopes here and nowhere else; pages, route handlers, server
 * actions and the DAL all ask `hasScope`, and a refusal names the missing scope.
 * Plain module (no server-only): the UI uses it to hide controls, the server to enforce.
 */
export const ROLES = ["reviewer", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Every scope, and what it lets a person do (the 403 page says it beside the scope it names). */
export const SCOPE_MEANINGS = {
  "referral:read": "read referral requests, their files and the queue",
  "referral:claim": "claim a request for oneself, release one's own claim",
  "referral:assign": "assign or unassign anyone, bulk assign",
  "referral:decide": "approve, reject, pending information, reopen, change or cancel a sent approval",
  "referral:push": "send an approval, an update or documents to ACCloud, retry a push",
  "audit:read": "read the audit trail",
  "reports:read": "read the turnaround dashboard",
  "review:second": "record the second review of an approval (agree / disagree)",
  "admin:users": "manage users",
  "admin:api_clients": "manage webhook API clients",
  "admin:settings": "manage settings such as the rejection reasons",
} as const;
export type Scope = keyof typeof SCOPE_MEANINGS;
export const SCOPES = Object.keys(SCOPE_MEANINGS) as Scope[];

/**
 * HIPAA's minimum necessary: administrators manage users, settings and API clients and read no
 * PHI (no referral:read; the audit trail and the dashboard they read name no client). A person who
 * needs both has two roles, and the scopes of all their roles.
 */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  reviewer: ["referral:read", "referral:claim", "referral:decide", "referral:push"],
  supervisor: ["referral:read", "referral:assign", "audit:read", "reports:read", "review:second"],
  admin: ["audit:read", "reports:read", "admin:users", "admin:api_clients", "admin:settings"],
};

export const ROLE_LABELS: Record<Role, string> = {
  reviewer: "Reviewer",
  supervisor: "Supervisor",
  admin: "Administrator",
};

/** Roles first to last as a person's roles are listed (the first is shown beside the name). */
export const ROLE_ORDER: readonly Role[] = ["admin", "supervisor", "reviewer"];

/**
 * Who holds roles: a role, several, or an actor (`roles`, when set, are all of a user's roles and
 * `role` the first of them).
 */
export type RoleHolder = Role | readonly Role[] | { role: Role; roles?: readonly Role[] };

export function rolesOf(who: RoleHolder): readonly Role[] {
  if (typeof who === "string") return [who];
  if (Array.isArray(who)) return who as readonly Role[];
  const holder = who as { role: Role; roles?: readonly Role[] };
  return holder.roles?.length ? holder.roles : [holder.role];
}

/** A user's roles from its first and further ones, in ROLE_ORDER, each once. */
export const sortRoles = (roles: Iterable<Role>): Role[] => {
  const set = new Set(roles);
  return ROLE_ORDER.filter((r) => set.has(r));
};

export const rolesLabel = (who: RoleHolder): string =>
  rolesOf(who)
    .map((r) => ROLE_LABELS[r])
    .join(" + ");

/** How the audit trail writes a user's roles ("admin+reviewer"). */
export const rolesText = (roles: readonly Role[]): string => roles.join("+");

/** The scopes of all of `who`'s roles. `admin:*` in a check means "any admin scope". */
export function hasScope(who: RoleHolder, scope: Scope | "admin:*"): boolean {
  return rolesOf(who).some((role) => {
    const granted = ROLE_SCOPES[role];
    return scope === "admin:*" ? granted.some((s) => s.startsWith("admin:")) : granted.includes(scope);
  });
}

/** Where a signed-in user starts: the queue, or for an administrator who reads no referrals, /admin. */
export const homePath = (who: RoleHolder): string =>
  hasScope(who, "referral:read") ? "/queue" : hasScope(who, "admin:*") ? "/admin" : "/audit";

export const isRole = (v: unknown): v is Role => typeof v === "string" && (ROLES as readonly string[]).includes(v);

/** Thrown by the DAL when the actor lacks a scope; pages turn it into 403, actions into { status: 'forbidden' }. */
export class ScopeError extends Error {
  constructor(readonly scope: Scope | "admin:*") {
    super(`Forbidden: this needs the ${scope} scope`);
    this.name = "ScopeError";
  }
}

export function assertScope(actor: RoleHolder, scope: Scope | "admin:*"): void {
  if (!hasScope(actor, scope)) throw new ScopeError(scope);
}

/**
 * The scope each page needs (each page passes the same to requirePageActor); app/forbidden.tsx
 * uses this table to name the missing scope, since a 403 boundary cannot receive props.
 */
export const PAGE_SCOPES: ReadonlyArray<{ prefix: string; scope: Scope | "admin:*" }> = [
  { prefix: "/queue", scope: "referral:read" },
  { prefix: "/referrals", scope: "referral:read" },
  { prefix: "/audit", scope: "audit:read" },
  { prefix: "/dashboard", scope: "reports:read" },
  { prefix: "/reviews", scope: "referral:read" },
  { prefix: "/preferences", scope: "referral:read" },
  // Before /admin: the first match names the scope.
  { prefix: "/admin/outbox", scope: "admin:settings" },
  { prefix: "/admin", scope: "admin:*" },
];

export function scopeForPath(path: string): Scope | "admin:*" | null {
  const pathname = path.split("?")[0] ?? "";
  return PAGE_SCOPES.find((p) => pathname === p.prefix || pathname.startsWith(`${p.prefix}/`))?.scope ?? null;
}

/** Where a sign-in leads: `next`, unless `who`'s roles cannot open it (an administrator sent to the queue), then their start page. */
export function landingFor(who: RoleHolder, next: string): string {
  const scope = scopeForPath(next);
  return scope && !hasScope(who, scope) ? homePath(who) : next;
}
