import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, referenceId, signInAs, takeNewReferral, USERS } from "./ui-fixtures";

mkdirSync("e2e/screenshots", { recursive: true });

const WIDTHS = [
  { name: "1280", width: 1280, height: 900 },
  { name: "390", width: 390, height: 844 },
];

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/** Axe on every page at desktop and phone widths, plus the screenshots a reviewer looks at. */
test.describe("[A11Y]", () => {
  for (const w of WIDTHS) {
    test(`every page at ${w.name} px has no serious or critical axe violation`, async ({ page }) => {
      await page.setViewportSize({ width: w.width, height: w.height });
      await page.goto("/sign-in");
      await expectAccessible(page, `sign-in@${w.name}`);
      await shoot(page, `sign-in-${w.name}`);

      await signInAs(page, USERS.admin);
      for (const path of ["/audit", "/admin"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectAccessible(page, `${path}@${w.name}`);
        await shoot(page, `${path.slice(1)}-${w.name}`);
      }
      await page.goto(`/referrals/${crypto.randomUUID()}`);
      await expectAccessible(page, `not-found@${w.name}`);

      await signInAs(page, USERS.reviewer);
      await page.goto("/queue");
      await expect(page.locator("[data-queue-row]").first()).toBeVisible();
      await expectAccessible(page, `queue@${w.name}`);
      await shoot(page, `queue-${w.name}`);
      await page.locator("html[data-queue-keys=ready]").waitFor({ state: "attached" });
      await page.locator("body").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("?");
      await expectAccessible(page, `queue-help@${w.name}`);
      await page.keyboard.press("Escape");

      await page.goto("/queue?tab=cancelled&agency=00000000-0000-4000-8000-000000000000");
      await expect(page.getByTestId("queue-empty")).toBeVisible();
      await expectAccessible(page, `queue-empty@${w.name}`);

      await page.goto(`/referrals/${await referenceId()}`);
      await expect(page.getByRole("heading", { level: 1, name: "Jane Smithers" })).toBeVisible();
      await expectAccessible(page, `referral@${w.name}`);
      await shoot(page, `referral-${w.name}`);
      // The decision forms, open, on a request that is still new.
      await page.goto(`/referrals/${(await takeNewReferral()).id}`);
      await page.getByTestId("work-panel").getByRole("button", { name: "Reject", exact: true }).click();
      await expect(page.getByLabel("Reason")).toBeVisible();
      await expectAccessible(page, `referral-reject-form@${w.name}`);

      await page.goto("/admin");
      await expectAccessible(page, `forbidden@${w.name}`);
      await shoot(page, `forbidden-${w.name}`);

      await signInAs(page, USERS.supervisor);
      await page.goto("/queue");
      await expectAccessible(page, `queue-supervisor@${w.name}`);
      await shoot(page, `queue-supervisor-${w.name}`);
    });
  }
});
