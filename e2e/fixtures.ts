/**
 * The specs' `test` and `expect`: Playwright's, with a sign-in and the page objects as fixtures.
 *
 *   test("…", async ({ signedInAs, referralPage }) => {
 *     await signedInAs("reviewer");
 *     await referralPage.goto(id);
 *   });
 *
 * Database reads and set-ups are in support/db.ts, webhook deliveries in support/webhook.ts,
 * axe and screenshots in support/screenshots.ts.
 */
import { test as base, type Page } from "@playwright/test";
import { AuditPage } from "./pages/audit-page";
import { DashboardPage } from "./pages/dashboard-page";
import { QueuePage } from "./pages/queue-page";
import { ReferralPage } from "./pages/referral-page";
import { ReviewsPage } from "./pages/reviews-page";
import { SignInPage } from "./pages/sign-in-page";
import { signInOverHttp, type Role } from "./support/auth";

type Fixtures = {
  /** Signs the test's page (or another page) in as a demo user over HTTP; the page's context keeps the session cookie. */
  signedInAs: (role: Role, page?: Page) => Promise<void>;
  signInPage: SignInPage;
  queuePage: QueuePage;
  referralPage: ReferralPage;
  auditPage: AuditPage;
  reviewsPage: ReviewsPage;
  dashboardPage: DashboardPage;
};

// Playwright calls a fixture's callback `use`; named `provide` here so React's hook rule does not take it for a hook.
export const test = base.extend<Fixtures>({
  signedInAs: async ({ page }, provide) => {
    await provide((role, target = page) => signInOverHttp(target.request, role));
  },
  signInPage: async ({ page }, provide) => provide(new SignInPage(page)),
  queuePage: async ({ page }, provide) => provide(new QueuePage(page)),
  referralPage: async ({ page }, provide) => provide(new ReferralPage(page)),
  auditPage: async ({ page }, provide) => provide(new AuditPage(page)),
  reviewsPage: async ({ page }, provide) => provide(new ReviewsPage(page)),
  dashboardPage: async ({ page }, provide) => provide(new DashboardPage(page)),
});

/** Each test of the enclosing `test.describe` starts signed in as `role`. */
export function signInBeforeEach(role: Role): void {
  test.beforeEach(async ({ signedInAs }) => {
    await signedInAs(role);
  });
}

export { expect } from "@playwright/test";
