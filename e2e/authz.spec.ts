import { expect, test } from "./fixtures";
import { signInOverHttp, type Role } from "./support/auth";
import { readReferenceReferralId } from "./support/db";

/** Pages and route handlers over real HTTP, per role: status codes and the scope a refusal names. */
test.describe("[AUTHZ]", () => {
  const pages: Array<{ path: string; allowed: Role[]; scope: string }> = [
    // Administrators read no PHI (HIPAA's minimum necessary): no queue, no referral.
    { path: "/queue", allowed: ["reviewer", "supervisor"], scope: "referral:read" },
    { path: "/referrals/{ref}", allowed: ["reviewer", "supervisor"], scope: "referral:read" },
    { path: "/audit", allowed: ["supervisor", "admin"], scope: "audit:read" },
    { path: "/admin", allowed: ["admin"], scope: "admin:*" },
    { path: "/dashboard", allowed: ["supervisor", "admin"], scope: "reports:read" },
    { path: "/reviews", allowed: ["reviewer", "supervisor"], scope: "referral:read" },
    { path: "/preferences", allowed: ["reviewer", "supervisor"], scope: "referral:read" },
    { path: "/admin/outbox", allowed: ["admin"], scope: "admin:settings" },
    { path: "/api/audit/export?action=sign-ins", allowed: ["supervisor", "admin"], scope: "audit:read" },
  ];

  for (const role of ["reviewer", "supervisor", "admin"] as const) {
    test(`pages as ${role}`, async ({ playwright, baseURL }) => {
      const request = await playwright.request.newContext({ baseURL });
      await signInOverHttp(request, role);
      const ref = await readReferenceReferralId();
      for (const p of pages) {
        const res = await request.get(p.path.replace("{ref}", ref), { maxRedirects: 0 });
        const allowed = p.allowed.includes(role);
        expect([p.path, res.status()]).toEqual([p.path, allowed ? 200 : 403]);
        if (!allowed) expect(await res.text()).toContain(p.scope);
        if (allowed && p.path.startsWith("/api/audit/export")) {
          expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
          expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="audit-/);
        }
      }
      await request.dispose();
    });
  }

  test("anonymous: pages redirect to sign-in, routes answer 401, public routes stay public", async ({
    playwright,
    baseURL,
  }) => {
    const request = await playwright.request.newContext({ baseURL });
    for (const path of [
      "/queue",
      "/referrals/x",
      "/audit",
      "/admin",
      "/dashboard",
      "/reviews",
      "/preferences",
      "/admin/outbox",
    ]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect([path, res.status()]).toEqual([path, 307]);
      expect(res.headers().location).toContain("/sign-in?next=");
    }
    const ref = await readReferenceReferralId();
    const routes = [
      ["GET", `/api/queue/updates?since=${encodeURIComponent("2026-01-01 00:00:00+00")}`],
      ["GET", `/api/referrals/${ref}/files/${crypto.randomUUID()}`],
      ["POST", "/api/session/activity"],
      ["GET", "/api/audit/export"],
    ] as const;
    for (const [method, path] of routes) {
      const res = method === "GET" ? await request.get(path) : await request.post(path);
      expect([path, res.status()]).toEqual([path, 401]);
    }
    expect((await request.get("/api/health")).status()).toBe(200);
    expect((await request.get("/")).status()).toBe(200);
    expect((await request.get("/sign-in")).status()).toBe(200);
    await request.dispose();
  });
});
