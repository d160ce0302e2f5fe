import { expect, test } from "@playwright/test";
import { db, PASSWORD, signInAs, USERS } from "./ui-fixtures";

test.describe("[AUTH]", () => {
  test("an anonymous visitor is sent to sign-in, signs in with the form and lands where they were going", async ({ page }) => {
    await page.goto("/queue?tab=in_review");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueue%3Ftab%3Din_review/);
    await page.getByLabel("E-mail").fill(USERS.reviewer);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("e-mail or password is not right");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/queue\?tab=in_review$/);
    await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    await expect(page.getByTestId("current-user")).toContainText("Riley Reviewer");
  });

  test("sign-out ends the session on the server: the old cookie no longer opens anything", async ({ page, context }) => {
    await signInAs(page, USERS.reviewer2);
    await page.goto("/queue");
    const cookies = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in\?reason=signed_out/);
    await expect(page.getByRole("main").getByRole("status")).toContainText("You signed out");
    // Replaying the old session cookie: the server-side session is gone.
    await context.addCookies(cookies);
    await page.goto("/queue");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an idle session expires on the server (last activity aged past SESSION_IDLE_MINUTES)", async ({ page }) => {
    await signInAs(page, USERS.supervisor);
    await page.goto("/queue");
    await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
    const r = await db().query(
      `update user_sessions set last_seen_at = now() - interval '16 minutes'
       where id = (select s.id from user_sessions s join users u on u.id = s.user_id where u.email = $1 order by s.created_at desc limit 1) returning id`,
      [USERS.supervisor],
    );
    expect(r.rowCount).toBe(1);
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueue&reason=idle/);
    await expect(page.getByRole("main").getByRole("status")).toContainText("inactivity");
    const ended = await db().query("select end_reason from user_sessions where id = $1", [r.rows[0].id]);
    expect(ended.rows[0].end_reason).toBe("idle");
  });

  test("the browser signs itself out after the idle time, with a warning a minute before", async ({ page }) => {
    await page.clock.install();
    await signInAs(page, USERS.admin);
    await page.goto("/queue");
    await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
    await page.clock.fastForward("14:00");
    await expect(page.getByRole("alertdialog")).toContainText("signed out in");
    await page.clock.fastForward("01:05");
    await expect(page).toHaveURL(/\/sign-in\?reason=idle/);
    // The server session was ended too, as idle.
    const s = await db().query(
      "select end_reason from user_sessions where user_id = (select id from users where email = $1) order by created_at desc limit 1",
      [USERS.admin],
    );
    expect(s.rows[0].end_reason).toBe("idle");
  });
});
