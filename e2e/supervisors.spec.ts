import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { ReferralPage } from "./pages/referral-page";
import { ReviewsPage } from "./pages/reviews-page";
import { USERS } from "./support/auth";
import {
  countAuditExports,
  readApiClientAuditActions,
  readAuditActionsByUser,
  readFirstFileId,
  readNotificationPreference,
  readNotificationStatuses,
  readReferralRequestId,
  readSecondReviewVerdict,
  recordApprovalDrawnForReview,
  takeNewReferral,
} from "./support/db";
import { expectAccessibleAtBothWidths, takeScreenshot } from "./support/screenshots";

test.describe("[SUPERVISOR]", () => {
  test("the trail of one referral by one user, its CSV, a second review, the dashboard", async ({
    page,
    browser,
    signedInAs,
    auditPage,
    reviewsPage,
    referralPage,
    dashboardPage,
  }) => {
    // Three pages checked with axe and photographed at two widths, a CSV and a mail: more than the default minute on a busy machine.
    test.setTimeout(120_000);
    const r = await takeNewReferral();
    // Riley reads the request and one of its files, as a reviewer would.
    const riley = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const rileyPage = await riley.newPage();
    await signedInAs("reviewer", rileyPage);
    await new ReferralPage(rileyPage).goto(r.id);
    await expect(rileyPage.getByRole("heading", { level: 1 })).toBeVisible();
    const fileId = await readFirstFileId(r.id);
    expect((await rileyPage.request.get(`/api/referrals/${r.id}/files/${fileId}?download=1`)).status()).toBe(200);
    await recordApprovalDrawnForReview(r.id, USERS.reviewer);

    await signedInAs("supervisor");
    await auditPage.goto();
    await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();
    // Keyboard only: the referral and the user, then Enter submits the filter form.
    await auditPage.filter("Referral (id or request id)").focus();
    await page.keyboard.type(r.id);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await expect(auditPage.filter("User (e-mail)")).toBeFocused();
    await page.keyboard.type(USERS.reviewer);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`referral=${r.id}`));
    const url = new URL(page.url());
    expect([url.searchParams.get("user"), url.searchParams.get("referral")]).toEqual([USERS.reviewer, r.id]);

    await expect(auditPage.eventsOf("referral.viewed").first()).toContainText("Riley Reviewer opened the request from");
    await expect(auditPage.eventsOf("referral.file_downloaded")).toHaveCount(1);
    // Only Riley's events on this referral.
    const actions = await auditPage.readActions();
    const inDb = await readAuditActionsByUser(r.id, USERS.reviewer);
    expect(actions).toEqual(inDb);
    await expect(auditPage.total).toHaveText(`${inDb.length} events match these filters`);
    await expect(auditPage.whoSaw.getByRole("row", { name: /Riley Reviewer/ })).toContainText("1");
    // Details open from the keyboard, in words.
    const download = auditPage.eventsOf("referral.file_downloaded");
    await download.getByText("Details").focus();
    await page.keyboard.press("Enter");
    await expect(download.locator("dl")).toContainText("SHA-256");
    await expectAccessibleAtBothWidths(page, "audit-filtered");

    // The CSV of exactly this view.
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), auditPage.exportButton.click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^audit-\d{8}-\d{4}\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe(
      "event_id,time_utc,actor_type,actor,actor_name,action,action_group,description,entity_type,entity_id,request_id,agency_org_id,agency,details",
    );
    expect(csv.slice(1).map((l) => l.split(",")[5])).toEqual(inDb);
    expect(await countAuditExports(r.id)).toBe(1);

    // The second review: from the waiting list to the request page, disagreeing with a note.
    await reviewsPage.goto();
    const requestId = await readReferralRequestId(r.id);
    const waiting = reviewsPage.pendingOf(requestId);
    await expect(waiting).toContainText("Riley Reviewer");
    await expectAccessibleAtBothWidths(page, "reviews");
    await waiting.getByRole("link", { name: /^Review/ }).click();
    await expect(page).toHaveURL(new RegExp(`/referrals/${r.id}#second-review$`));
    const review = referralPage.secondReview;
    await expect(review).toBeVisible();
    await review.getByLabel("I disagree").check();
    await review.getByRole("button", { name: "Record second review" }).click();
    await expect(review.getByText("Say why you disagree")).toBeVisible();
    await review.getByLabel(/^Note/).fill("The visits per week exceed the physician's order.");
    await review.getByRole("button", { name: "Record second review" }).click();
    await expect(page.getByTestId("second-review-verdict")).toContainText("Sam Supervisor disagreed");
    await expect(page.getByTestId("second-review-verdict")).toContainText("exceed the physician's order");
    expect(await readSecondReviewVerdict(r.id)).toBe("disagree");
    await review.scrollIntoViewIfNeeded();
    await takeScreenshot(page, "second-review-recorded-1280", { fullPage: false });
    // Riley is told: one message in the local outbox (no SMTP here), with a link and the request id only.
    await expect
      .poll(() => readNotificationStatuses(r.id, "review_disagreed"), { timeout: 20_000 })
      .toEqual(["outbox"]);

    // The dashboard.
    await dashboardPage.goto();
    await expect(page.getByRole("heading", { name: "Turnaround", level: 1 })).toBeVisible();
    expect(await dashboardPage.readKpi("received")).toBeGreaterThanOrEqual(30);
    await expect(dashboardPage.weeklyChart.locator("svg[role=img] title")).toHaveText("Requests per week");
    await dashboardPage.weeklyChart.getByText("Show the numbers").click();
    await expect(dashboardPage.weeklyChart.getByRole("table")).toBeVisible();
    await expectAccessibleAtBothWidths(page, "dashboard");

    // Riley reads the disagreement and marks it read.
    const rileyReviews = new ReviewsPage(rileyPage);
    await rileyReviews.goto();
    const mine = rileyReviews.disagreed;
    await expect(mine).toContainText("exceed the physician's order");
    await expect(rileyReviews.pending).toHaveCount(0);
    await mine.getByRole("button", { name: "Mark as read" }).click();
    await expect(mine).toContainText("Read by the reviewer");
    await riley.close();
  });

  test("admins: the outbox, API clients (created, rotated, revoked), the second-review share; everyone who reads referrals: e-mail preferences", async ({
    page,
    signedInAs,
  }) => {
    await signedInAs("admin");
    await page.goto("/admin/outbox");
    await expect(page.getByRole("heading", { name: "Outbox", level: 1 })).toBeVisible();
    await expect(page.getByText("No SMTP server is configured")).toBeVisible();
    await expectAccessibleAtBothWidths(page, "admin-outbox");

    await page.goto("/admin");
    const clients = page.getByTestId("api-clients");
    await expect(clients.getByRole("heading", { name: "API clients" })).toBeVisible();
    await clients.getByLabel("Name of a new client").fill("AlayaConnector UAT (e2e)");
    await clients.getByRole("button", { name: "Create API client" }).click();
    const issued = page.getByTestId("issued-secret");
    await expect(issued).toContainText("shown only this once");
    const secret = await page.getByTestId("issued-secret-value").innerText();
    expect(secret).toMatch(/^csi_sk_/);
    const row = clients.locator('[data-api-client="AlayaConnector UAT (e2e)"]');
    await expect(row).toContainText("Signed deliveries");
    await expectAccessibleAtBothWidths(page, "admin-api-clients");
    await issued.getByRole("button", { name: "I have stored them" }).click();
    await expect(issued).toHaveCount(0);
    // The secret is never shown again.
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);

    await row.getByLabel("Rotate", { exact: true }).selectOption("signing");
    await row.getByRole("button", { name: /^Rotate the signing secret/ }).click();
    await expect(page.getByTestId("issued-secret")).toContainText("Signing secret");
    await expect(row).toContainText("Old signing secret accepted until");
    await row.getByRole("button", { name: /^Revoke/ }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row).toContainText("Revoked");
    expect(await readApiClientAuditActions("AlayaConnector UAT (e2e)")).toEqual([
      "api_client.created",
      "api_client.signing_rotated",
      "api_client.revoked",
    ]);

    const share = page.getByRole("form", { name: "Share of approvals drawn for a second review" });
    await page.getByLabel("Share of approvals drawn (%)").fill("abc");
    await share.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("A whole number from 0 to 100")).toBeVisible();
    await page.getByLabel("Share of approvals drawn (%)").fill("10");
    await share.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("10% of approvals are now drawn for a second review.")).toBeVisible();

    // The e-mails are about referrals: an administrator, who reads none, has no preferences page.
    await page.goto("/preferences");
    await expect(page.getByTestId("missing-scope")).toContainText("referral:read");
    await signedInAs("supervisor");
    await page.goto("/preferences");
    await expect(page.getByRole("heading", { name: "E-mail preferences", level: 1 })).toBeVisible();
    await page.getByLabel("A push to ACCloud failed").uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    expect(await readNotificationPreference(USERS.supervisor, "push_failed")).toBe(false);
    await expectAccessibleAtBothWidths(page, "preferences");
  });
});
