/**
 * HIPAA automatic logoff across tabs: idleness is the server's to decide, from the session's last
 * activity, which every tab feeds. A quiet tab's own timer running out never signs the user out
 * of the tab they are typing in. The browser's clock is Playwright's (context.clock, shared by
 * the context's pages); the server's is real, so the session stays in use there.
 */
import { expect, test } from "./fixtures";
import { USERS } from "./support/auth";
import { readLatestSessionEndReason } from "./support/db";

test.describe("[IDLE]", () => {
  test("typing in one tab keeps the other tab signed in past its own timer", async ({ context, page, signedInAs }) => {
    await context.clock.install();
    await signedInAs("reviewer2");
    const typing = page;
    const quiet = await context.newPage();
    for (const tab of [quiet, typing]) {
      await tab.goto("/queue");
      await expect(tab.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    }
    const search = typing.getByLabel("Client name or request id");
    // Twenty minutes of typing in one tab, a character a minute; the other tab is left alone
    // (its own timer, counted from its load, runs out after less than SESSION_IDLE_MINUTES, 15).
    for (let minute = 1; minute <= 20; minute++) {
      await search.press(minute % 2 ? "a" : "Backspace");
      await context.clock.fastForward("01:00");
    }
    await expect(quiet.getByRole("alertdialog")).toHaveCount(0);
    await expect(quiet).toHaveURL(/\/queue$/);
    await expect(typing).toHaveURL(/\/queue$/);
    expect(await readLatestSessionEndReason(USERS.reviewer2)).toBeNull();
    // Both tabs still open pages: the session was never ended.
    await quiet.reload();
    await expect(quiet.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    await quiet.close();
  });
});
