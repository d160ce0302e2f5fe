import type { Page } from "@playwright/test";
import { buildLongOrder } from "../test/documents/corpus";
import { expect, test } from "./fixtures";
import { DESKTOP, expectAccessible, PHONE, takeScreenshot } from "./support/screenshots";
import { postReferral, type ReferralPayload } from "./support/webhook";

/** A 60-character agency name: the longest a reviewer is likely to meet. */
const LONG_AGENCY = "Greater Miami Valley Visiting Nurses & Home Health Associates";

/**
 * A long referral as reviewers get them: a 30-page order with 20 diagnoses from an agency with
 * a long name, its form agreeing with the order except for the client's birthday (a year off).
 */
async function deliverLongReferral(request: Page["request"]): Promise<{ id: string; orderDob: string }> {
  const { pdf, payload } = await buildLongOrder(30, 2027, { diagnoses: 20 });
  const p = structuredClone(payload) as unknown as ReferralPayload & { client: { birthday: string } };
  const orderDob = p.client.birthday;
  const wrong = `${Number(orderDob.slice(0, 4)) + 1}${orderDob.slice(4)}`;
  p.request_id = crypto.randomUUID();
  p.client.birthday = wrong;
  p.form_data.fields.find((f) => f.field_label === "Date of Birth")!.field_value = wrong;
  p.agency = { ...p.agency, name: LONG_AGENCY };
  p.files = [{ file_name: "physician_order_30_pages.pdf", file_value: pdf.toString("base64") }];
  const { id } = await postReferral(request, p);
  return { id, orderDob };
}

/** The order check's answer, once the worker has read the order and checked it. */
async function checksDone(page: Page, id: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/api/referrals/${id}/checks`);
        body = (await res.json()) as Record<string, unknown>;
        return body.status;
      },
      { timeout: 240_000, intervals: [1000, 2000, 3000] },
    )
    .toBe("done");
  return body;
}

test.describe("[ORDER]", () => {
  test("a mismatch beside its field shows on the order: the page, the highlighted words, pages flipped with [ and ], the order toggled with o; axe at 1280 and 390", async ({
    page,
    request,
    signedInAs,
    queuePage,
    referralPage,
  }) => {
    test.setTimeout(360_000);
    const { id } = await deliverLongReferral(request);
    await signedInAs("reviewer");
    const answer = await checksDone(page, id);
    expect(answer.documents).toEqual([expect.objectContaining({ state: "read", method: "text", pages: 30 })]);
    const verdicts = Object.fromEntries(
      (answer.checks as Array<{ field: string; verdict: string }>).map((c) => [c.field, c.verdict]),
    );
    expect(verdicts).toMatchObject({ client_birthday: "mismatch", diagnosis_codes: "match", physician_npi: "match" });

    // The queue counts it and filters on it.
    await page.goto("/queue?disagrees=1");
    const row = queuePage.rowOf(id);
    await expect(row).toContainText("Order disagrees: 1");

    await page.setViewportSize(DESKTOP);
    await referralPage.goto(id);
    await page.locator("html[data-order-keys=ready]").waitFor({ state: "attached" });
    const viewer = page.locator("[data-order-viewer]");
    await expect(viewer).toHaveAttribute("data-order-page", "1");
    await expect(viewer.getByText("Page 1 of 30")).toBeVisible();

    // The mismatch beside its field: both values and "See the order".
    const mismatch = referralPage.field("Date of Birth").locator('[data-order-check][data-verdict="mismatch"]');
    await expect(mismatch).toBeVisible();
    await expect(mismatch.locator("[data-order-form-value]")).not.toBeEmpty();
    await expect(mismatch.locator("[data-order-order-value]")).not.toBeEmpty();

    // Pages flip with ] and [ (and the next-page button).
    await page.keyboard.press("]");
    await page.keyboard.press("]");
    await expect(viewer).toHaveAttribute("data-order-page", "3");
    await page.keyboard.press("[");
    await expect(viewer).toHaveAttribute("data-order-page", "2");
    await viewer.locator("[data-order-next]").click();
    await expect(viewer).toHaveAttribute("data-order-page", "3");
    await expect(viewer.getByRole("img", { name: /^Page 3 of 30/ })).toBeVisible();

    // "See the order": back to the birthday's page, its words highlighted in sight.
    await mismatch.getByRole("button", { name: /See the order/ }).click();
    await expect(viewer).toHaveAttribute("data-order-page", "1");
    const mark = viewer.locator("[data-order-highlight]");
    await expect(mark).toBeVisible();
    await expect(mark).toBeInViewport();
    const image = viewer.getByRole("img", { name: /^Page 1 of 30/ });
    await expect(image).toHaveJSProperty("complete", true);
    const [box, img] = [await mark.boundingBox(), await image.boundingBox()];
    expect(box && img && box.x >= img.x && box.y >= img.y && box.x + box.width <= img.x + img.width).toBe(true);
    await expectAccessible(page, "referral-order@1280");
    await takeScreenshot(page, "referral-order-1280", { fullPage: false });

    // o hides the order (the form takes the width), o shows it again.
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("o");
    await expect(viewer).toHaveCount(0);
    await expect(page.locator("[data-order-pane]")).toHaveAttribute("data-order-pane", "closed");
    await page.keyboard.press("o");
    await expect(viewer).toBeVisible();

    // On a phone the order folds under "Show the order"; "See the order" opens it at the value.
    await page.setViewportSize(PHONE);
    await referralPage.goto(id);
    await page.locator("html[data-order-keys=ready]").waitFor({ state: "attached" });
    await expect(viewer).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Show the order/ })).toBeVisible();
    await expectAccessible(page, "referral-order-folded@390");
    await takeScreenshot(page, "referral-order-folded-390");
    await referralPage
      .field("Date of Birth")
      .getByRole("button", { name: /See the order/ })
      .click();
    await expect(viewer).toHaveAttribute("data-order-page", "1");
    await expect(viewer.locator("[data-order-highlight]")).toBeInViewport();
    await expectAccessible(page, "referral-order@390");
    await takeScreenshot(page, "referral-order-390", { fullPage: false });
    await page.setViewportSize(DESKTOP);
  });
});
