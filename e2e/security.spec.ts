import { networkInterfaces } from "node:os";
import net from "node:net";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { PASSWORD, USERS } from "./support/auth";
import { appendStoredField, findNewestNewReferral, findNewestReferralWithFile } from "./support/db";
import { deliverReferral } from "./support/webhook";

/** Every CSP violation the page reports (blocked scripts, styles, frames, forms). */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("__cspViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test.describe("[SECURITY] headers", () => {
  test("pages have a strict CSP with a fresh nonce on every response, which Next puts on its scripts", async ({
    request,
  }) => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await request.get("/sign-in");
      expect(res.status()).toBe(200);
      const csp = res.headers()["content-security-policy"] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      nonces.push(nonce!);
      expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"])
        expect(csp).toContain(directive);
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const s of scripts) expect(s, s).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test("HSTS only when the client came over https; no-store on every page and route with PHI", async ({
    page,
    request,
    signedInAs,
  }) => {
    expect((await request.get("/sign-in")).headers()["strict-transport-security"]).toBeUndefined();
    const https = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
    expect(
      (await request.get("/api/health", { headers: { "x-forwarded-proto": "https" } })).headers()[
        "strict-transport-security"
      ],
    ).toContain("max-age=");

    await signedInAs("supervisor");
    const ref = await findNewestReferralWithFile();
    for (const path of [
      "/queue",
      `/referrals/${ref.id}`,
      "/audit",
      `/api/referrals/${ref.id}/files/${ref.fileId}`,
      `/api/queue/updates?since=${encodeURIComponent("2026-01-01 00:00:00+00")}`,
      "/api/auth/session",
    ]) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(200);
      expect(res.headers()["cache-control"] ?? "", path).toContain("no-store");
    }
  });
});

test.describe("[SECURITY] pages work under the CSP", () => {
  test("sign-in with the form, the queue, a referral page, a search and sign-out: hydrated, server actions run, nothing blocked; the name search goes at sign-out", async ({
    page,
    context,
    signInPage,
    queuePage,
    referralPage,
  }) => {
    const violations = await watchViolations(page);
    await signInPage.goto();
    await signInPage.signIn(USERS.reviewer, PASSWORD);
    await expect(page).toHaveURL(/\/queue$/);
    await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();

    // The client-name search is a server action that keeps the name in an httpOnly cookie.
    const client = await findNewestNewReferral();
    await queuePage.search(client.lastName);
    await expect(page.getByText(`name starts with “${client.lastName}”`)).toBeVisible();
    expect((await context.cookies()).map((c) => c.name)).toContain("csi_queue_q");

    await page.locator("[data-row-link]").first().click();
    await expect(page).toHaveURL(/\/referrals\//);
    await referralPage.rawPayload.locator("summary").click();
    await expect(referralPage.rawPayload).toContainText('"form_data"');

    await referralPage.signOut();
    await expect(page).toHaveURL(/\/sign-in\?reason=signed_out/);
    expect((await context.cookies()).map((c) => c.name)).not.toContain("csi_queue_q");
    expect(violations).toEqual([]);
  });

  test("a referral with odd values (a % in a picture URL, deep nesting stored before the limit) renders, the odd value raw", async ({
    page,
    request,
    signedInAs,
    referralPage,
  }) => {
    const { id } = await deliverReferral(request, (p) => {
      p.form_data.fields.find((f) => f.field_type === "picture")!.field_value =
        "https://csi.uat.alayacare.com/api/v1/files/100%.png";
    });
    // Nesting deeper than the intake takes now, as a payload stored before the limit has it.
    let deep = '"leaf"';
    for (let i = 0; i < 6000; i++) deep = `{"d":${deep}}`;
    await appendStoredField(id, { id: 9001, label: "Signature", type: "signature", valueJson: deep });
    await signedInAs("supervisor");
    const violations = await watchViolations(page);
    await referralPage.goto(id);
    await expect(referralPage.field("Physician order (PDF)").locator("a")).toHaveText(/100%\.png/);
    await expect(referralPage.field("Signature")).toContainText('"leaf"');
    await expect(referralPage.field("Zip Code")).toContainText("45458");
    expect(violations).toEqual([]);
  });
});

test.describe("[SECURITY] the embedded default listens on 127.0.0.1", () => {
  test("the app answers on loopback and refuses the machine's other addresses", async ({ baseURL }) => {
    const port = Number(new URL(baseURL!).port);
    const connects = (host: string) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect({ host, port, timeout: 3000 });
        s.once("connect", () => (s.destroy(), resolve(true)));
        s.once("error", () => resolve(false));
        s.once("timeout", () => (s.destroy(), resolve(false)));
      });
    expect(await connects("127.0.0.1")).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === "IPv4" && !a.internal)
      .map((a) => a!.address);
    test.skip(others.length === 0, "this machine has no address but loopback");
    for (const address of others) expect(await connects(address), address).toBe(false);
  });
});
