import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { one, referencePayload, webhookAuthorization } from "./ui-fixtures";

test.describe("[SMOKE]", () => {
  test("landing page says what the app is and passes axe", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "CSI Referral Review" })).toBeVisible();
    await expect(page.getByRole("note")).toContainText("ACCloud sandbox");
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.screenshot({ path: "e2e/screenshots/landing.png", fullPage: true });
  });

  test("health and OpenAPI answer", async ({ request }) => {
    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const doc = await request.get("/api/openapi.json");
    expect(doc.status()).toBe(200);
    const json = await doc.json();
    expect(json.openapi).toBe("3.1.0");
    expect(json.paths["/api/referral-requests"].post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/ReferralRequest");
  });

  test("the webhook over real HTTP: 401 without credentials, 415 for non-JSON", async ({ request }) => {
    const anon = await request.post("/api/referral-requests", { data: { hello: "world" } });
    expect(anon.status()).toBe(401);
    expect((await anon.json()).error).toBe("unauthorized");

    // Valid credentials, so the refusal is about the body's type and nothing else.
    const payload = { ...referencePayload(), request_id: crypto.randomUUID() };
    const text = await request.post("/api/referral-requests", {
      headers: { authorization: webhookAuthorization(), "content-type": "text/plain" },
      data: JSON.stringify(payload),
    });
    expect(text.status()).toBe(415);
    expect(text.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await text.json()).toEqual({
      error: "unsupported_media_type",
      message: "The body must be JSON (Content-Type: application/json)",
      issues: [{ path: "headers.content-type", message: "must be application/json" }],
    });
    expect(await one<{ n: number }>("select count(*)::int as n from referral_requests where request_id = $1", [payload.request_id])).toEqual({ n: 0 });
  });
});
