import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { deliverReferral, expectAccessible, one, referencePayload, signInAs, USERS, webhookAuthorization } from "./ui-fixtures";

mkdirSync("e2e/screenshots", { recursive: true });

test.describe("[AMENDMENT]", () => {
  test("before a decision an amendment shows against the original; after a rejection it is flagged in the queue and on the page, never absorbed, and answered with a note", async ({ page, request }) => {
    const payload = { ...referencePayload(), request_id: crypto.randomUUID() };
    const { id } = await deliverReferral(request, (p) => Object.assign(p, payload));
    const amend = async (frequency: string) => {
      const next = structuredClone(payload);
      next.form_data.fields.find((f) => f.field_label === "Service frequency")!.field_value = frequency;
      const res = await request.post("/api/referral-requests", { headers: { authorization: webhookAuthorization() }, data: next });
      expect(res.status()).toBe(201);
    };
    // Before any decision: the reviewer sees what changed against the original.
    await amend("Three times a week");
    await signInAs(page, USERS.reviewer);
    await page.goto(`/referrals/${id}`);
    await expect(page.getByTestId("amendments").getByRole("row", { name: /Service frequency/ })).toContainText("Three times a week");
    await expect(page.locator('[data-field-label="Service frequency"]')).toContainText("Changed");
    await expect(page.getByTestId("amended-after-decision-panel")).toHaveCount(0);

    // Rejected through the page.
    const panel = page.getByTestId("work-panel");
    await panel.getByRole("button", { name: "Reject" }).click();
    await panel.getByLabel("Reason").selectOption({ index: 1 });
    await panel.getByLabel("Comment").fill("The client lives outside the service area.");
    await panel.getByRole("button", { name: "Reject request" }).click();
    await expect(panel.getByTestId("rejection")).toBeVisible();

    // The agency amends its request afterwards: a new service frequency.
    await amend("Every day");
    const row = await one<{ status: string; flagged: boolean }>("select status, amended_after_decision_at is not null as flagged from referral_requests where id = $1", [id]);
    expect(row).toEqual({ status: "rejected", flagged: true });

    // The queue's tab lists it with its badge.
    await page.goto("/queue?tab=amended");
    const queueRow = page.locator(`[data-queue-row]:has(a[href="/referrals/${id}"])`);
    await expect(queueRow).toBeVisible();
    await expect(queueRow.getByTestId("amended-after-decision")).toHaveText("Amended after decision");
    await expectAccessible(page, "queue-amended@1280");
    await page.screenshot({ path: "e2e/screenshots/queue-amended-1280.png", fullPage: true });

    // The page shows the change against what was decided.
    await queueRow.locator(`a[href="/referrals/${id}"]`).click();
    const banner = page.getByTestId("amended-after-decision-panel");
    await expect(banner).toContainText("Amended after the decision");
    await expect(banner.getByRole("row", { name: /Service frequency/ })).toContainText("Every day");
    await expectAccessible(page, "referral-amended@1280");
    await page.screenshot({ path: "e2e/screenshots/referral-amended-1280.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, "referral-amended@390");
    await page.screenshot({ path: "e2e/screenshots/referral-amended-390.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Answered: no change needed, with a note. The flag goes; the request stays rejected.
    await panel.getByRole("button", { name: "Amendment: no change needed" }).click();
    await panel.getByRole("button", { name: "Mark the amendment as answered" }).click();
    await expect(panel.getByText("Say why the amendment needs no change")).toBeVisible();
    await panel.getByLabel("Why does the amendment need no change?").fill("Frequency does not change the service area decision.");
    await panel.getByRole("button", { name: "Mark the amendment as answered" }).click();
    await expect(page.getByTestId("amended-after-decision-panel")).toHaveCount(0);
    await expect(page.getByTestId("amendments")).toBeVisible();
    await expect(page.getByTestId("timeline")).toContainText("Amendment answered: no change needed");
    expect(await one("select status, amended_after_decision_at is not null as flagged from referral_requests where id = $1", [id])).toEqual({ status: "rejected", flagged: false });
  });
});
