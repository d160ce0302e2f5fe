import { expect, signInBeforeEach, test } from "./fixtures";
import {
  countNewReferrals,
  countNewReferralsByLastNamePrefix,
  findAgencyByName,
  findNewestNewReferral,
  insertSameMillisecondReferrals,
} from "./support/db";
import { deliverReferral } from "./support/webhook";

test.describe("[QUEUE]", () => {
  signInBeforeEach("reviewer");

  test("filters live in the URL: a shared link opens the same view", async ({ page, queuePage }) => {
    const agency = await findAgencyByName("Miami Valley Nursing");
    await queuePage.goto({ agency: agency.orgId, service: "PT" });
    await expect(page.getByLabel("Agency")).toHaveValue(agency.orgId);
    await expect(page.getByLabel("Service")).toHaveValue("PT");
    const n = await queuePage.rows.count();
    expect(n).toBeGreaterThan(0);
    for (const row of await queuePage.rows.all()) {
      await expect(row).toContainText("Miami Valley Nursing");
      await expect(row).toContainText("PT");
    }
    // The tab count follows the agency and service filters exactly.
    const expected = await countNewReferrals({ agencyOrgId: agency.orgId, service: "PT" });
    await expect(queuePage.tabCount("new")).toHaveText(String(expected));

    // Applying filters with the form is a navigation to a new URL.
    await page.getByLabel("Service").selectOption("OT");
    await page.getByLabel("Overdue only").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`agency=${agency.orgId}.*service=OT.*overdue=1`));
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/queue$/);
  });

  test("search: a name stays out of the URL; a request id goes in it", async ({ page, queuePage }) => {
    const r = await findNewestNewReferral({ dashedRequestId: true });
    const expected = await countNewReferralsByLastNamePrefix(r.lastName);
    await queuePage.goto();
    await queuePage.waitForKeys();
    await page.keyboard.press("/");
    await expect(queuePage.searchBox).toBeFocused();
    await page.keyboard.type(r.lastName);
    await page.keyboard.press("Enter");
    await expect(page.getByText(`name starts with “${r.lastName}”`)).toBeVisible();
    await expect(queuePage.rows).toHaveCount(expected);
    for (const row of await queuePage.rows.all())
      await expect(row.locator("[data-row-link]")).toContainText(r.lastName);
    expect(page.url()).not.toContain(r.lastName);
    await queuePage.clearSearchButton.click();
    await expect(page.getByText("name starts with")).toHaveCount(0);

    await queuePage.search(r.requestId.slice(0, 8));
    await expect(page).toHaveURL(new RegExp(`rid=${r.requestId.slice(0, 8)}`));
    await expect(queuePage.rows).toHaveCount(1);
    await expect(queuePage.rows.first()).toHaveAttribute("data-request-id", r.requestId);
    await queuePage.clearSearchButton.click();
    await expect(page).not.toHaveURL(/rid=/);
  });

  test("claim with the button and with the keyboard (j, c), then open with Enter", async ({ page, queuePage }) => {
    await queuePage.goto({ assigned: "unassigned" });
    await queuePage.waitForKeys();
    const first = queuePage.rows.first();
    const rid = (await first.getAttribute("data-request-id"))!;
    const client = (await first.locator("[data-row-link]").textContent())!;
    await first.getByRole("button", { name: `Claim the request for ${client}` }).click();
    // Claimed: it left "New" for "In review", and it is mine.
    await expect(queuePage.row(rid)).toHaveCount(0);
    await queuePage.goto({ tab: "in_review", assigned: "me" });
    await expect(queuePage.row(rid)).toContainText("You");

    await queuePage.goto({ assigned: "unassigned" });
    await queuePage.waitForKeys();
    const second = queuePage.rows.nth(1);
    const rid2 = (await second.getAttribute("data-request-id"))!;
    await queuePage.focusBody();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(second.locator("[data-row-link]")).toBeFocused();
    await expect(second).toHaveAttribute("data-selected", "");
    await page.keyboard.press("c");
    await expect(queuePage.row(rid2)).toHaveCount(0);
    await queuePage.goto({ tab: "in_review", assigned: "me" });
    await queuePage.waitForKeys();
    await expect(queuePage.row(rid2)).toContainText("You");
    await queuePage.focusBody();
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/referrals\/[0-9a-f-]{36}$/);
  });

  test("keyboard help opens with ?", async ({ page, queuePage }) => {
    await queuePage.goto();
    await queuePage.waitForKeys();
    await queuePage.focusBody();
    await page.keyboard.press("?");
    const dialog = queuePage.keyboardHelp;
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Claim the selected request");
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });

  test("a new request announces itself without reloading or moving the list", async ({ page, request, queuePage }) => {
    await page.clock.install();
    await queuePage.goto();
    const before = await queuePage.rows.first().getAttribute("data-request-id");
    const countBefore = Number(await queuePage.tabCount("new").textContent());
    await deliverReferral(request, (p) => {
      p.client = { ...p.client, first_name: "Newly", last_name: "Arrived" };
    });
    await page.clock.fastForward(16_000);
    await expect(queuePage.newRequests).toContainText("1 new referral request");
    await expect(queuePage.tabCount("new")).toHaveText(String(countBefore + 1));
    expect(await queuePage.rows.first().getAttribute("data-request-id")).toBe(before); // the list did not move
    await queuePage.newRequests.getByRole("button", { name: "Show" }).click();
    await expect(queuePage.rows.first()).toContainText("Newly Arrived");
    await expect(queuePage.newRequests).toHaveCount(0);
  });

  test("keyset pagination walks 55 rows of the same millisecond without losing or repeating one", async ({
    page,
    queuePage,
  }) => {
    const org = crypto.randomUUID();
    await insertSameMillisecondReferrals(org, 55);
    await queuePage.goto({ tab: "cancelled", agency: org });
    await expect(queuePage.tabCount("cancelled")).toHaveText("55");
    const first = await queuePage.readRequestIds();
    expect(first).toHaveLength(50);
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(queuePage.rows).toHaveCount(5);
    const second = await queuePage.readRequestIds();
    expect(new Set([...first, ...second]).size).toBe(55);
    expect(first[0]).toBe("e2e-page-55"); // newest first
    expect(second[4]).toBe("e2e-page-1");
    await expect(page.getByRole("link", { name: "Next →" })).toHaveCount(0);
    await page.getByRole("link", { name: "← Previous" }).click();
    await expect(queuePage.rows).toHaveCount(50);
    expect(await queuePage.readRequestIds()).toEqual(first);
  });
});
