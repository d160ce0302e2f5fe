import type { Page } from "@playwright/test";
import { expect, signInBeforeEach, test } from "./fixtures";
import { DESKTOP, expectAccessible, PHONE, takeScreenshot } from "./support/screenshots";
import { deliverReferral, setRequestParts } from "./support/webhook";

/** 60 characters, as agencies name themselves. */
const LONG_AGENCY = "Greater Cincinnati and Northern Kentucky Home Health Network";
const CLIENTS = [
  { firstName: "Maximiliana Alexandrina", lastName: "Wolfeschlegelsteinhausen-Bergdorff" },
  { firstName: "Bartholomew Christopher", lastName: "Oyelaran-Vasquez de la Fuente" },
  { firstName: "Ann", lastName: "Lee" },
];

/** Nothing the reviewer needs is off screen: every status tab, and each row's Claim button, lie inside the window. */
async function expectInSight(page: Page, label: string) {
  const out = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("[data-tab], [data-claim], [data-sort]")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.left < 0 || r.right > width + 1;
      })
      .map((el) => el.textContent);
  });
  expect(out, `${label}: out of sight`).toEqual([]);
}

test.describe("[QUEUE WIDTHS]", () => {
  signInBeforeEach("reviewer");

  test("at 1280 and 390 px a 60-character agency and long client names are shortened, whole in their title, with every tab and Claim in sight", async ({
    page,
    request,
    queuePage,
  }) => {
    test.setTimeout(120_000);
    const agency = { orgId: crypto.randomUUID(), name: LONG_AGENCY };
    for (const client of CLIENTS)
      await deliverReferral(request, (p) =>
        setRequestParts(p, { agency, ...client, clientId: Math.floor(Math.random() * 1e9) }),
      );
    for (const size of [DESKTOP, PHONE]) {
      const name = size.width;
      await page.setViewportSize(size);
      // The agency's requests, and the whole New tab with them in it (the demo's and every other spec's).
      for (const [view, query] of [
        ["agency", { agency: agency.orgId }],
        ["all", {}],
      ] as const) {
        await queuePage.goto(query);
        await expect(queuePage.rows.first()).toBeVisible();
        await expectAccessible(page, `queue-long-names-${view}@${name}`);
        await expectInSight(page, `queue-long-names-${view}@${name}`);
        await takeScreenshot(page, `queue-long-names-${view}-${name}`);
      }
      for (const { firstName, lastName } of CLIENTS) {
        const whole = `${firstName} ${lastName}`;
        const link = queuePage.rows.locator("[data-row-link]", { hasText: whole });
        // The whole name is the link's text (what a screen reader reads) and its title.
        await expect(link).toHaveText(whole);
        await expect(link).toHaveAttribute("title", whole);
      }
      await expect(queuePage.rows.locator(`[title="${LONG_AGENCY}"]`)).toHaveCount(CLIENTS.length);
    }
    // On a wide screen the long names are cut to their column (on a phone they wrap).
    await page.setViewportSize(DESKTOP);
    await queuePage.goto({ agency: agency.orgId });
    // Measured once shown: React may hold streamed content hidden for a moment after the load event.
    const agencyCell = queuePage.rows.locator(`[title="${LONG_AGENCY}"]`).first();
    await expect(agencyCell).toBeVisible();
    const cut = await agencyCell.evaluate((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
    expect(cut).toBe(true);
  });

  test("opens by SLA due time; Newest first is one click away and stays chosen across tabs", async ({
    page,
    request,
    queuePage,
  }) => {
    const agency = { orgId: crypto.randomUUID(), name: "Order Check Home Care" };
    const delivered: string[] = [];
    for (const lastName of ["Earliest", "Middle", "Latest"])
      delivered.push((await deliverReferral(request, (p) => setRequestParts(p, { agency, lastName }))).id);
    await queuePage.goto({ agency: agency.orgId });
    const order = page.getByRole("navigation", { name: "Order" });
    await expect(order.locator('[aria-current="true"]')).toHaveText("SLA due");
    const ids = () =>
      queuePage.rows.locator("[data-row-link]").evaluateAll((a) => a.map((x) => x.getAttribute("href")));
    // Due in the order they arrived: the first due first.
    expect(await ids()).toEqual(delivered.map((id) => `/referrals/${id}`));
    await order.getByRole("link", { name: "Newest first" }).click();
    await expect(page).toHaveURL(/sort=received_desc/);
    await expect(order.locator('[aria-current="true"]')).toHaveText("Newest first");
    expect(await ids()).toEqual([...delivered].reverse().map((id) => `/referrals/${id}`));
    await page
      .getByRole("navigation", { name: "Status" })
      .getByRole("link", { name: /In review/ })
      .click();
    await expect(page).toHaveURL(/tab=in_review.*sort=received_desc|sort=received_desc.*tab=in_review/);
  });
});
