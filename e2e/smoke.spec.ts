import { expect, test } from "./fixtures";
import { countReferralsWithRequestId } from "./support/db";
import { expectAccessible, takeScreenshot } from "./support/screenshots";
import { getWebhookAuthorization, readReferencePayload } from "./support/webhook";

test.describe("[SMOKE]", () => {
  test("landing page says what the app is and passes axe", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "CSI Referral Review" })).toBeVisible();
    await expect(page.getByRole("note")).toContainText("ACCloud sandbox");
    await expectAccessible(page, "landing");
    await takeScreenshot(page, "landing");
  });

  test("health and OpenAPI answer", async ({ request }) => {
    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const doc = await request.get("/api/openapi.json");
    expect(doc.status()).toBe(200);
    const json = await doc.json();
    expect(json.openapi).toBe("3.1.0");
    expect(json.paths["/api/referral-requests"].post.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/ReferralRequest",
    );
  });

  test("the webhook over real HTTP: 401 without credentials, 415 for non-JSON", async ({ request }) => {
    const anon = await request.post("/api/referral-requests", { data: { hello: "world" } });
    expect(anon.status()).toBe(401);
    expect((await anon.json()).error).toBe("unauthorized");

    // Valid credentials, so the refusal is about the body's type and nothing else.
    const payload = { ...readReferencePayload(), request_id: crypto.randomUUID() };
    const text = await request.post("/api/referral-requests", {
      headers: { authorization: getWebhookAuthorization(), "content-type": "text/plain" },
      data: JSON.stringify(payload),
    });
    expect(text.status()).toBe(415);
    expect(text.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await text.json()).toEqual({
      error: "unsupported_media_type",
      message: "The body must be JSON (Content-Type: application/json)",
      issues: [{ path: "headers.content-type", message: "must be application/json" }],
    });
    expect(await countReferralsWithRequestId(payload.request_id)).toBe(0);
  });
});
