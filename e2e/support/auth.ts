/** The demo users and signing in over HTTP through Auth.js's own endpoints (no form, no browser). */
import { expect, type APIRequestContext } from "@playwright/test";

export const PASSWORD = process.env.E2E_DEMO_PASSWORD ?? "e2e-demo-password";

export const USERS = {
  reviewer: "reviewer@demo.test",
  reviewer2: "reviewer2@demo.test",
  supervisor: "supervisor@demo.test",
  admin: "admin@demo.test",
} as const;

export type Role = keyof typeof USERS;

/**
 * Signs an API context in through the credentials callback. A page's `request` shares the
 * browser context's cookies, so signing `page.request` in signs the page in too.
 */
export async function signInOverHttp(request: APIRequestContext, role: Role): Promise<void> {
  const email = USERS[role];
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password: PASSWORD, callbackUrl: "/queue" },
    maxRedirects: 0,
  });
  expect(res.status(), `sign-in of ${email}`).toBe(302);
  expect(res.headers().location ?? "").not.toContain("error");
}
