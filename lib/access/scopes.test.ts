import { describe, expect, it } from "vitest";
import { ZEnv } from "../env";
import { parseRoleMap, rolesFromClaims } from "../auth/oidc";
import {
  hasScope,
  homePath,
  landingFor,
  PAGE_SCOPES,
  ROLE_SCOPES,
  ROLES,
  rolesLabel,
  SCOPES,
  scopeForPath,
} from "./scopes";

describe("scopes", () => {
  it("grants each role exactly its scopes", () => {
    const matrix = Object.fromEntries(ROLES.map((r) => [r, SCOPES.filter((s) => hasScope(r, s))]));
    expect(matrix).toEqual({
      reviewer: ["referral:read", "referral:claim", "referral:decide", "referral:push"],
      supervisor: ["referral:read", "referral:assign", "audit:read", "reports:read", "review:second"],
      admin: ["audit:read", "reports:read", "admin:users", "admin:api_clients", "admin:settings"],
    });
  });

  it("gives administrators no PHI (HIPAA's minimum necessary): no referral, queue, file or assignment", () => {
    for (const s of [
      "referral:read",
      "referral:claim",
      "referral:assign",
      "referral:decide",
      "referral:push",
      "review:second",
    ] as const) {
      expect(hasScope("admin", s), s).toBe(false);
    }
    expect(homePath("admin")).toBe("/admin");
    expect(landingFor("admin", "/queue")).toBe("/admin");
    expect(landingFor("admin", "/audit?action=x")).toBe("/audit?action=x");
    expect(landingFor("reviewer", "/queue?tab=mine")).toBe("/queue?tab=mine");
  });

  it("gives a person with two roles the scopes of both, and only theirs", () => {
    const both = { role: "admin" as const, roles: ["admin", "reviewer"] as const };
    for (const s of ["referral:read", "referral:claim", "referral:decide", "admin:users", "audit:read"] as const)
      expect(hasScope(both, s), s).toBe(true);
    for (const s of ["referral:assign", "review:second"] as const) expect(hasScope(both, s), s).toBe(false);
    expect(hasScope(["supervisor", "admin"], "referral:assign")).toBe(true);
    // An actor without `roles` has its one role's.
    expect(hasScope({ role: "admin" }, "referral:read")).toBe(false);
    expect(homePath(both)).toBe("/queue");
    expect(rolesLabel(both)).toBe("Administrator + Reviewer");
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
    expect(PAGE_SCOPES.every((p) => p.scope === "admin:*" || (SCOPES as readonly string[]).includes(p.scope))).toBe(
      true,
    );
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
    expect(rolesFromClaims({ roles: ["staff", "csi-reviewers"] }, "roles", csi)).toEqual(["reviewer"]);
    expect(rolesFromClaims({ roles: "csi-supervisors" }, "roles", csi)).toEqual(["supervisor"]);
    expect(rolesFromClaims({ realm_access: { roles: ["x", "csi-admins"] } }, "realm_access.roles", csi)).toEqual([
      "admin",
    ]);
    expect(rolesFromClaims({ "https://csi/roles": ["csi-reviewers"] }, "https://csi/roles", csi)).toEqual(["reviewer"]);
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
      expect(rolesFromClaims({ roles: [value] }, "roles", csi), value).toEqual([]);
      expect(rolesFromClaims({ roles: value }, "roles", csi), value).toEqual([]);
    }
    expect(rolesFromClaims({}, "roles", csi)).toEqual([]);
    expect(rolesFromClaims({ roles: 42 }, "roles", csi)).toEqual([]);
  });

  it("gives every mapped role (a person who needs two has both), admin first, each once", () => {
    expect(rolesFromClaims({ roles: ["csi-reviewers", "csi-admins"] }, "roles", csi)).toEqual(["admin", "reviewer"]);
    expect(rolesFromClaims({ roles: ["csi-reviewers", "csi-supervisors", "staff"] }, "roles", csi)).toEqual([
      "supervisor",
      "reviewer",
    ]);
    const twoValues = map("csi-admins=admin,it-admins=admin,csi-reviewers=reviewer");
    expect(rolesFromClaims({ roles: ["it-admins", "csi-admins"] }, "roles", twoValues)).toEqual(["admin"]);
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
    for (const bad of ["", "reviewer", "=admin", "a=root", "a=reviewer,a=admin"])
      expect(parseRoleMap(bad).ok, bad).toBe(false);
  });
});
