import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { db, expectAccessible, one, signInAs, takeNewReferral, USERS } from "./ui-fixtures";

/** Screenshots and axe at desktop and phone width. */
async function shots(page: Page, name: string) {
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expectAccessible(page, `${name} at ${width}px`);
    await page.screenshot({ path: `e2e/screenshots/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** An approval of the referral by Riley, drawn for a second review (the draw itself is random: lib/review/review.test.ts). */
async function approvedAndDrawn(referralId: string): Promise<void> {
  const riley = await one<{ id: string }>("select id from users where email = $1", [USERS.reviewer]);
  await db().query(
    `with rev as (
       insert into approval_revisions (referral_request_id, revision, state, data, submission_id, created_by_id, approved_by_id, approved_at)
       select id, 1, 'approved', '{}', latest_submission_id, $2, $2, now() from referral_requests where id = $1 returning id)
     insert into second_reviews (referral_request_id, approval_revision_id, approved_by_id, sample_percent) select $1, rev.id, $2, 10 from rev`,
    [referralId, riley.id],
  );
  await db().query("update referral_requests set status = 'sent', decided_by_id = $2, decided_at = now() - interval '3 hours', version = version + 1 where id = $1", [referralId, riley.id]);
}

test.describe("[SUPERVISOR]", () => {
  test("the trail of one referral by one user, its CSV, a second review, the dashboard", async ({ page, browser }) => {
    const r = await takeNewReferral();
    // Riley reads the request and one of its files, as a reviewer would.
    const riley = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const rileyPage = await riley.newPage();
    await signInAs(rileyPage, USERS.reviewer);
    await rileyPage.goto(`/referrals/${r.id}`);
    await expect(rileyPage.getByRole("heading", { level: 1 })).toBeVisible();
    const file = await one<{ id: string }>("select id from referral_files where referral_request_id = $1 limit 1", [r.id]);
    expect((await rileyPage.request.get(`/api/referrals/${r.id}/files/${file.id}?download=1`)).status()).toBe(200);
    await approvedAndDrawn(r.id);

    await signInAs(page, USERS.supervisor);
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();
    // Keyboard only: the referral and the user, then Enter submits the filter form.
    await page.getByLabel("Referral (id or request id)").focus();
    await page.keyboard.type(r.id);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await expect(page.getByLabel("User (e-mail)")).toBeFocused();
    await page.keyboard.type(USERS.reviewer);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`referral=${r.id}`));
    const url = new URL(page.url());
    expect([url.searchParams.get("user"), url.searchParams.get("referral")]).toEqual([USERS.reviewer, r.id]);

    const events = page.getByTestId("audit-events");
    await expect(events.locator('[data-action="referral.viewed"]').first()).toContainText("Riley Reviewer opened the request from");
    await expect(events.locator('[data-action="referral.file_downloaded"]')).toHaveCount(1);
    // Only Riley's events on this referral.
    const actions = await events.locator("li[data-action]").evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
    const inDb = await db().query<{ action: string }>("select e.action from audit_events e join users u on u.id::text = e.actor_id where e.entity_id = $1 and u.email = $2 order by e.at desc, e.id desc", [r.id, USERS.reviewer]);
    expect(actions).toEqual(inDb.rows.map((x) => x.action));
    await expect(page.getByTestId("audit-total")).toHaveText(`${inDb.rows.length} events match these filters`);
    const saw = page.getByTestId("who-saw");
    await expect(saw.getByRole("row", { name: /Riley Reviewer/ })).toContainText("1");
    // Details open from the keyboard, in words.
    const download = events.locator('[data-action="referral.file_downloaded"]');
    await download.getByText("Details").focus();
    await page.keyboard.press("Enter");
    await expect(download.locator("dl")).toContainText("SHA-256");
    await shots(page, "audit-filtered");

    // The CSV of exactly this view.
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export").click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^audit-\d{8}-\d{4}\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, "utf8").trim().split("\n");
    expect(csv[0]).toBe("event_id,time_utc,actor_type,actor,actor_name,action,action_group,description,entity_type,entity_id,request_id,agency_org_id,agency,details");
    expect(csv.slice(1).map((l) => l.split(",")[5])).toEqual(inDb.rows.map((x) => x.action));
    expect(await one<{ n: number }>("select count(*)::int as n from audit_events where action = 'audit.exported' and details -> 'filters' ->> 'referral' = $1", [r.id])).toEqual({ n: 1 });

    // The second review: from the waiting list to the request page, disagreeing with a note.
    await page.goto("/reviews");
    const { request_id: requestId } = await one<{ request_id: string }>("select request_id from referral_requests where id = $1", [r.id]);
    const waiting = page.getByTestId("reviews-pending").locator("tr").filter({ hasText: requestId.slice(0, 8) });
    await expect(waiting).toContainText("Riley Reviewer");
    await shots(page, "reviews");
    await waiting.getByRole("link", { name: /^Review/ }).click();
    await expect(page).toHaveURL(new RegExp(`/referrals/${r.id}#second-review$`));
    await expect(page.getByTestId("second-review")).toBeVisible();
    await page.getByTestId("second-review").getByLabel("I disagree").check();
    await page.getByTestId("second-review").getByRole("button", { name: "Record second review" }).click();
    await expect(page.getByTestId("second-review").getByText("Say why you disagree")).toBeVisible();
    await page.getByTestId("second-review").getByLabel(/^Note/).fill("The visits per week exceed the physician's order.");
    await page.getByTestId("second-review").getByRole("button", { name: "Record second review" }).click();
    await expect(page.getByTestId("second-review-verdict")).toContainText("Sam Supervisor disagreed");
    await expect(page.getByTestId("second-review-verdict")).toContainText("exceed the physician's order");
    expect(await one<{ verdict: string }>("select verdict from second_reviews where referral_request_id = $1", [r.id])).toEqual({ verdict: "disagree" });
    await page.getByTestId("second-review").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "e2e/screenshots/second-review-recorded-1280.png" });
    // Riley is told: one message in the local outbox (no SMTP here), with a link and the request id only.
    await expect
      .poll(async () => (await db().query<{ status: string }>("select status from notifications where referral_request_id = $1 and event = 'review_disagreed'", [r.id])).rows.map((x) => x.status), { timeout: 20_000 })
      .toEqual(["outbox"]);

    // The dashboard.
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Turnaround", level: 1 })).toBeVisible();
    const received = Number((await page.getByTestId("kpi-received").locator("dd").first().innerText()).replace(/,/g, ""));
    expect(received).toBeGreaterThanOrEqual(30);
    await expect(page.getByTestId("chart-weekly").locator("svg[role=img] title")).toHaveText("Requests per week");
    await page.getByTestId("chart-weekly").getByText("Show the numbers").click();
    await expect(page.getByTestId("chart-weekly").getByRole("table")).toBeVisible();
    await shots(page, "dashboard");

    // Riley reads the disagreement and marks it read.
    await rileyPage.goto("/reviews");
    const mine = rileyPage.getByTestId("reviews-disagreed");
    await expect(mine).toContainText("exceed the physician's order");
    await expect(rileyPage.getByTestId("reviews-pending")).toHaveCount(0);
    await mine.getByRole("button", { name: "Mark as read" }).click();
    await expect(mine).toContainText("Read by the reviewer");
    await riley.close();
  });

  test("admins: the outbox, API clients (created, rotated, revoked), the second-review share; everyone: e-mail preferences", async ({ page }) => {
    await signInAs(page, USERS.admin);
    await page.goto("/admin/outbox");
    await expect(page.getByRole("heading", { name: "Outbox", level: 1 })).toBeVisible();
    await expect(page.getByText("No SMTP server is configured")).toBeVisible();
    await shots(page, "admin-outbox");

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
    await shots(page, "admin-api-clients");
    await issued.getByRole("button", { name: "I have stored them" }).click();
    await expect(issued).toHaveCount(0);
    // The secret is never shown again.
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);

    await row.getByLabel("Rotate", { exact: true }).selectOption("signing");
    await row.getByRole("button", { name: /^Rotate the signing secret/ }).click();
    await expect(page.getByTestId("issued-secret")).toContainText("Signing secret");
    await expect(clients.locator('[data-api-client="AlayaConnector UAT (e2e)"]')).toContainText("Old signing secret accepted until");
    await clients.locator('[data-api-client="AlayaConnector UAT (e2e)"]').getByRole("button", { name: /^Revoke/ }).click();
    await clients.locator('[data-api-client="AlayaConnector UAT (e2e)"]').getByRole("button", { name: "Yes, revoke" }).click();
    await expect(clients.locator('[data-api-client="AlayaConnector UAT (e2e)"]')).toContainText("Revoked");
    const audit = await db().query<{ action: string }>(
      "select action from audit_events where entity_type = 'api_client' and entity_id = (select id::text from api_clients where name = $1) order by id",
      ["AlayaConnector UAT (e2e)"],
    );
    expect(audit.rows.map((x) => x.action)).toEqual(["api_client.created", "api_client.signing_rotated", "api_client.revoked"]);

    const share = page.getByRole("form", { name: "Share of approvals drawn for a second review" });
    await page.getByLabel("Share of approvals drawn (%)").fill("abc");
    await share.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("A whole number from 0 to 100")).toBeVisible();
    await page.getByLabel("Share of approvals drawn (%)").fill("10");
    await share.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("10% of approvals are now drawn for a second review.")).toBeVisible();

    await page.goto("/preferences");
    await expect(page.getByRole("heading", { name: "E-mail preferences", level: 1 })).toBeVisible();
    await page.getByLabel("A push to ACCloud failed").uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    expect(await one<{ enabled: boolean }>("select p.enabled from notification_preferences p join users u on u.id = p.user_id where u.email = $1 and p.event = 'push_failed'", [USERS.admin])).toEqual({ enabled: false });
    await shots(page, "preferences");
  });
});
