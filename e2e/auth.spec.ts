import { expect, test } from "./fixtures";
import { PASSWORD, USERS } from "./support/auth";
import { ageLatestSession, readLatestSessionEndReason, readSessionEndReason } from "./support/db";

test.describe("[AUTH]", () => {
  test("an anonymous visitor is sent to sign-in, signs in with the form and lands where they were going", async ({
    page,
    signInPage,
    queuePage,
  }) => {
    await page.goto("/queue?tab=in_review");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueue%3Ftab%3Din_review/);
    await signInPage.signIn(USERS.reviewer, "not-the-password");
    await expect(signInPage.error).toContainText("e-mail or password is not right");
    await signInPage.password.fill(PASSWORD);
    await signInPage.submitButton.click();
    await expect(page).toHaveURL(/\/queue\?tab=in_review$/);
    await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    await expect(queuePage.currentUser).toContainText("Riley Reviewer");
  });

  test("an administrator, who reads no referrals, starts at /admin and is offered no queue", async ({
    page,
    signInPage,
  }) => {
    await signInPage.goto();
    await signInPage.signIn(USERS.admin, PASSWORD);
    await expect(page).toHaveURL(/\/admin$/);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Admin" })).toBeVisible();
    for (const name of ["Queue", "Reviews"]) await expect(nav.getByRole("link", { name })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "E-mail settings" })).toHaveCount(0);
    // The queue itself answers 403 naming the scope, with a way back to where an administrator starts.
    await page.goto("/queue");
    await expect(page.getByTestId("missing-scope")).toContainText("referral:read");
    await page.getByRole("link", { name: "Back to your start page" }).click();
    await expect(page).toHaveURL(/\/admin$/);
  });

  test("sign-out ends the session on the server: the old cookie no longer opens anything", async ({
    page,
    context,
    signInPage,
    queuePage,
  }) => {
    await queuePage.openAs("reviewer2");
    const cookies = await context.cookies();
    await queuePage.signOut();
    await expect(page).toHaveURL(/\/sign-in\?reason=signed_out/);
    await expect(signInPage.notice).toContainText("You signed out");
    // Replaying the old session cookie: the server-side session is gone.
    await context.addCookies(cookies);
    await queuePage.goto();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an idle session expires on the server (last activity aged past SESSION_IDLE_MINUTES)", async ({
    page,
    signInPage,
    queuePage,
  }) => {
    await queuePage.openAs("supervisor");
    await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
    const aged = await ageLatestSession(USERS.supervisor, 16);
    expect(aged).toHaveLength(1);
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueue&reason=idle/);
    await expect(signInPage.notice).toContainText("inactivity");
    expect(await readSessionEndReason(aged[0]!)).toBe("idle");
  });

  test("the browser signs itself out when the server finds the session idle, with a warning a minute before", async ({
    page,
    queuePage,
  }) => {
    await page.clock.install();
    await queuePage.openAs("supervisor");
    await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
    await page.clock.fastForward("14:00");
    await expect(page.getByRole("alertdialog")).toContainText("signed out in");
    // The tab's time is up, but on the server's (real) clock the session was in use moments ago:
    // the server refuses to end it, and the tab waits the time the server says is left.
    await page.clock.fastForward("01:05");
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    await expect(page).toHaveURL(/\/queue$/);
    expect(await readLatestSessionEndReason(USERS.supervisor)).toBeNull();
    // No activity for longer than SESSION_IDLE_MINUTES on the server's clock: the tab's next ask ends it.
    await ageLatestSession(USERS.supervisor, 16);
    await page.clock.fastForward("15:30");
    await expect(page).toHaveURL(/\/sign-in\?reason=idle/);
    expect(await readLatestSessionEndReason(USERS.supervisor)).toBe("idle");
  });
});
