import { describe, expect, it } from "vitest";
import { ZEnv } from "../env";
import { parseRoleMap, roleFromClaims } from "./oidc";
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
  const map = (text: string) => {
    const parsed = parseRoleMap(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.map;
  };
  const csi = map("csi-reviewers=reviewer, csi-supervisors=supervisor,csi-admins=admin");

  it("grants a role only for an exact configured value, in a list, a string or a nested claim", () => {
    expect(roleFromClaims({ roles: ["staff", "csi-reviewers"] }, "roles", csi)).toBe("reviewer");
    expect(roleFromClaims({ roles: "csi-supervisors" }, "roles", csi)).toBe("supervisor");
    expect(roleFromClaims({ realm_access: { roles: ["x", "csi-admins"] } }, "realm_access.roles", csi)).toBe("admin");
    expect(roleFromClaims({ "https://csi/roles": ["csi-reviewers"] }, "https://csi/roles", csi)).toBe("reviewer");
  });

  it("never by suffix, case, prefix, a role's own name, or a list written as one string", () => {
    for (const value of [
      "x-csi-reviewers",
      "csi-reviewers-old",
      "CSI-Reviewers",
      "csi-reviewers ",
      "reviewer",
      "admin",
      "app:admin",
      "evil_admin",
      "csi-reviewers csi-admins",
      "csi-reviewers,csi-admins",
    ]) {
      expect(roleFromClaims({ roles: [value] }, "roles", csi), value).toBeNull();
      expect(roleFromClaims({ roles: value }, "roles", csi), value).toBeNull();
    }
    expect(roleFromClaims({}, "roles", csi)).toBeNull();
    expect(roleFromClaims({ roles: 42 }, "roles", csi)).toBeNull();
  });

  it("picks admin over supervisor over reviewer", () => {
    expect(roleFromClaims({ roles: ["csi-reviewers", "csi-admins"] }, "roles", csi)).toBe("admin");
    expect(roleFromClaims({ roles: ["csi-reviewers", "csi-supervisors"] }, "roles", csi)).toBe("supervisor");
  });

  it("OIDC_ROLE_MAP is required with OIDC_ISSUER, and a bad one stops the boot naming it", () => {
    const issues = (env: Record<string, string>) => {
      const r = ZEnv.safeParse(env);
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(issues({ OIDC_ISSUER: "https://sso.example" })).toEqual(["OIDC_ROLE_MAP"]);
    expect(issues({ OIDC_ISSUER: "https://sso.example", OIDC_ROLE_MAP: "csi-admins=root" })).toEqual(["OIDC_ROLE_MAP"]);
    expect(issues({ OIDC_ISSUER: "https://sso.example", OIDC_ROLE_MAP: "csi-admins=admin" })).toEqual([]);
  });

  it("OIDC_ROLE_MAP is VALUE=ROLE pairs naming known roles", () => {
    expect([...map("a=reviewer,b=admin").entries()]).toEqual([
      ["a", "reviewer"],
      ["b", "admin"],
    ]);
    // A value may itself hold "=" (a directory group's name): the role is after the last one.
    expect([...map("cn=csi-admins=admin").entries()]).toEqual([["cn=csi-admins", "admin"]]);
    for (const bad of ["", "reviewer", "=admin", "a=root", "a=reviewer,a=admin"]) expect(parseRoleMap(bad).ok, bad).toBe(false);
  });
});
