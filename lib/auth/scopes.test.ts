import { describe, expect, it } from "vitest";
import { roleFromClaims } from "./oidc";
import { hasScope, PAGE_SCOPES, ROLE_SCOPES, ROLES, SCOPES, scopeForPath } from "./scopes";

describe("scopes", () => {
  it("grants each role exactly its scopes", () => {
    const matrix = Object.fromEntries(ROLES.map((r) => [r, SCOPES.filter((s) => hasScope(r, s))]));
    expect(matrix).toEqual({
      reviewer: ["referral:read", "referral:claim", "referral:decide", "referral:push"],
      supervisor: ["referral:read", "referral:assign", "audit:read", "reports:read", "review:second"],
      admin: ["referral:read", "referral:assign", "audit:read", "reports:read", "admin:users", "admin:api_clients", "admin:settings"],
    });
  });

  it("never lets supervisors or admins decide or push, nor reviewers administer or audit", () => {
    for (const s of ["referral:decide", "referral:push"] as const) {
      expect(hasScope("supervisor", s)).toBe(false);
      expect(hasScope("admin", s)).toBe(false);
    }
    expect(hasScope("reviewer", "admin:*")).toBe(false);
    expect(hasScope("reviewer", "audit:read")).toBe(false);
    expect(hasScope("admin", "admin:*")).toBe(true);
  });

  it("maps page paths to the scope the 403 page names", () => {
    expect(scopeForPath("/admin")).toBe("admin:*");
    expect(scopeForPath("/admin/outbox")).toBe("admin:settings");
    expect(scopeForPath("/dashboard?weeks=4")).toBe("reports:read");
    expect(scopeForPath("/reviews")).toBe("referral:read");
    expect(scopeForPath("/preferences")).toBe("referral:read");
    expect(scopeForPath("/audit?action=x")).toBe("audit:read");
    expect(scopeForPath("/referrals/abc")).toBe("referral:read");
    expect(scopeForPath("/queuex")).toBeNull();
    expect(PAGE_SCOPES.every((p) => p.scope === "admin:*" || (SCOPES as readonly string[]).includes(p.scope))).toBe(true);
    expect(Object.keys(ROLE_SCOPES)).toEqual([...ROLES]);
  });
});

describe("OIDC role claim", () => {
  it("reads exact names, suffixed names, lists, strings and nested paths", () => {
    expect(roleFromClaims({ roles: ["reviewer"] }, "roles")).toBe("reviewer");
    expect(roleFromClaims({ roles: "csi-referral-supervisor" }, "roles")).toBe("supervisor");
    expect(roleFromClaims({ groups: ["staff", "app:ADMIN"] }, "groups")).toBe("admin");
    expect(roleFromClaims({ realm_access: { roles: ["x", "csi_reviewer"] } }, "realm_access.roles")).toBe("reviewer");
    expect(roleFromClaims({ "https://csi/roles": ["reviewer"] }, "https://csi/roles")).toBe("reviewer");
  });

  it("picks admin over supervisor over reviewer, and nothing without a role", () => {
    expect(roleFromClaims({ roles: ["reviewer", "admin"] }, "roles")).toBe("admin");
    expect(roleFromClaims({ roles: ["reviewers-group", "superadmin"] }, "roles")).toBeNull();
    expect(roleFromClaims({}, "roles")).toBeNull();
    expect(roleFromClaims({ roles: 42 }, "roles")).toBeNull();
  });
});
