import { expect, test } from "./fixtures";
import { readReferenceReferralId, takeNewReferral } from "./support/db";
import { DESKTOP, expectAccessible, PHONE, takeScreenshot } from "./support/screenshots";

const WIDTHS = [
  { name: "1280", ...DESKTOP },
  { name: "390", ...PHONE },
];

/** Axe on every page at desktop and phone widths, plus the screenshots a reviewer looks at. */
test.describe("[A11Y]", () => {
  for (const w of WIDTHS) {
    test(`every page at ${w.name} px has no serious or critical axe violation`, async ({
      page,
      signedInAs,
      signInPage,
      queuePage,
      referralPage,
    }) => {
      // Fourteen axe runs and nine screenshots: on a busy machine more than the default minute.
      test.setTimeout(120_000);
      await page.setViewportSize({ width: w.width, height: w.height });
      await signInPage.goto();
      await expectAccessible(page, `sign-in@${w.name}`);
      await takeScreenshot(page, `sign-in-${w.name}`);

      await signedInAs("admin");
      for (const path of ["/audit", "/admin"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectAccessible(page, `${path}@${w.name}`);
        await takeScreenshot(page, `${path.slice(1)}-${w.name}`);
      }

      await signedInAs("reviewer");
      await referralPage.goto(crypto.randomUUID());
      await expectAccessible(page, `not-found@${w.name}`);
      await queuePage.goto();
      await expect(queuePage.rows.first()).toBeVisible();
      await expectAccessible(page, `queue@${w.name}`);
      await takeScreenshot(page, `queue-${w.name}`);
      await queuePage.waitForKeys();
      await queuePage.focusBody();
      await page.keyboard.press("?");
      await expectAccessible(page, `queue-help@${w.name}`);
      await page.keyboard.press("Escape");

      await queuePage.goto({ tab: "cancelled", agency: "00000000-0000-4000-8000-000000000000" });
      await expect(page.getByTestId("queue-empty")).toBeVisible();
      await expectAccessible(page, `queue-empty@${w.name}`);

      await referralPage.goto(await readReferenceReferralId());
      await expect(page.getByRole("heading", { level: 1, name: "Jane Smithers" })).toBeVisible();
      await expectAccessible(page, `referral@${w.name}`);
      await takeScreenshot(page, `referral-${w.name}`);
      // The decision forms, open, on a request that is still new.
      await referralPage.goto((await takeNewReferral()).id);
      await referralPage.openRejectForm();
      await expect(page.getByLabel("Reason")).toBeVisible();
      await expectAccessible(page, `referral-reject-form@${w.name}`);

      await page.goto("/admin");
      await expectAccessible(page, `forbidden@${w.name}`);
      await takeScreenshot(page, `forbidden-${w.name}`);

      await signedInAs("supervisor");
      await queuePage.goto();
      await expectAccessible(page, `queue-supervisor@${w.name}`);
      await takeScreenshot(page, `queue-supervisor-${w.name}`);
    });
  }
});
