import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, one, sandboxControl, signInAs, takeNewReferral, USERS } from "./ui-fixtures";

mkdirSync("e2e/screenshots", { recursive: true });

const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
/** The same day a month later, as the editor computes it. */
function plusOneMonth(ymd: string): string {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

async function shootBoth(page: Page, name: string) {
  await expectAccessible(page, `${name}@1280`);
  await page.screenshot({ path: `e2e/screenshots/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, `${name}@390`);
  await page.screenshot({ path: `e2e/screenshots/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe("[AFTER SENDING]", () => {
  test("extend by a month, see revision 2 and its diff, the agency processes it, then cancel with a reason", async ({ page }) => {
    // Four states, each checked with axe and photographed at two widths.
    test.setTimeout(180_000);
    await signInAs(page, USERS.reviewer);
    const r = await takeNewReferral();
    await page.goto(`/referrals/${r.id}`);
    const editor = page.getByTestId("approval-editor");
    const end = day(62);
    await editor.getByLabel("Start date").fill(day(2));
    await editor.getByLabel("End date").fill(end);
    await editor.getByLabel("Funder (single funder, 100%)").selectOption({ label: "OptionCare CSI" });
    await editor.getByLabel("Name", { exact: true }).fill("Casey Manager");
    await editor.getByRole("button", { name: "Approve and send to ACCloud" }).click();
    await expect(page.getByTestId("push-status")).toHaveText("Sent", { timeout: 30_000 });

    // "Extend by a month", from the referral page to sent.
    let actions = 0;
    const act = async (fn: () => Promise<unknown>) => {
      actions++;
      await fn();
    };
    await act(() => page.getByRole("link", { name: "Change approval" }).click());
    const update = page.getByTestId("approval-editor");
    await expect(update.getByRole("heading", { name: "Change approval" })).toBeVisible();
    await expect(update.getByTestId("update-fixed")).toContainText("OptionCare CSI");
    await act(() => update.getByRole("button", { name: "Extend by a month" }).click());
    await expect(update.getByLabel("End date")).toHaveValue(plusOneMonth(end));
    await expect(update.getByLabel("Authorization extended")).toBeChecked();
    await expect(update.getByTestId("update-plan")).toContainText("Authorization 1: changed in place (end date)");
    await shootBoth(page, "update-editor");
    await act(() => update.getByRole("button", { name: "Send update…" }).click());
    const confirm = page.getByTestId("confirm-update");
    await expect(confirm).toContainText("Send revision 2 to the agency?");
    await expect(confirm).toContainText("Authorization extended");
    await expectAccessible(page, "update-confirm@1280");
    await page.screenshot({ path: "e2e/screenshots/update-confirm-1280.png" });
    await act(() => confirm.getByRole("button", { name: "Send update", exact: true }).click());
    await expect(page.getByTestId("push-status")).toHaveText("Sent", { timeout: 30_000 });
    await expect(page.getByTestId("toast")).toContainText("Update sent");
    expect(actions).toBeLessThanOrEqual(4);
    console.log(`[AFTER SENDING] reviewer actions for "extend by a month", referral page to sent: ${actions}`);

    // Revision 2 in the panel, the latest in ACCloud; its diff against revision 1 shows the end date.
    await page.goto(`/referrals/${r.id}?from=1&to=2#revisions`);
    const revisions = page.getByTestId("revisions");
    await expect(revisions.locator('tr[data-revision="2"]')).toContainText("ACCloud revision 2");
    await expect(revisions.locator('tr[data-revision="2"]')).toContainText("latest");
    await expect(revisions.locator('tr[data-revision="2"]')).toContainText("Authorization extended");
    const diff = page.getByTestId("revision-diff");
    await expect(diff.getByRole("row", { name: /Dates · end date/ })).toBeVisible();
    await expect(diff.getByRole("row", { name: /Authorization 1 · end date/ })).toBeVisible();
    await shootBoth(page, "revisions-diff");

    // The agency processes the new revision; the page reads it back.
    const latest = await one<{ id: string }>("select accloud_id as id from accloud_links where referral_request_id = $1 and kind = 'referral' and local_key = 'latest'", [r.id]);
    await sandboxControl().markProcessed(latest.id);
    await page.getByRole("button", { name: "Refresh from ACCloud" }).click();
    await expect(page.getByTestId("approval-editor")).toHaveCount(0);
    await expect(page.getByText("The agency processed it.")).toBeVisible();
    expect((await one<{ status: string }>("select status from referral_requests where id = $1", [r.id])).status).toBe("processed");
    await expect(page.getByTestId("timeline")).toContainText("processed by the agency", { ignoreCase: true });
    await shootBoth(page, "referral-processed");

    // Cancel with a reason: the dialog says what the agency will see.
    await page.getByRole("button", { name: "Cancel referral" }).click();
    const dialog = page.getByTestId("cancel-dialog");
    await dialog.getByLabel("Reason").selectOption({ label: "The client is in hospital" });
    await dialog.getByLabel(/Comment for the agency/).fill("Admitted this morning.");
    await expect(dialog.getByTestId("cancel-summary")).toContainText("The client is in hospital");
    await expectAccessible(page, "cancel-dialog@1280");
    await page.screenshot({ path: "e2e/screenshots/cancel-dialog-1280.png" });
    await dialog.getByRole("button", { name: "Cancel referral" }).click();
    await expect(page.getByTestId("cancellation")).toContainText("The client is in hospital", { timeout: 30_000 });
    await expect(page.getByTestId("push-status")).toHaveText("Sent", { timeout: 30_000 });
    await expect(page.getByTestId("cancellation")).toContainText("Cancelled");
    const state = await sandboxControl().state();
    expect(state.referrals.find((x) => x.id === latest.id)).toMatchObject({ status: "cancelled", reason_code: "client_hospitalization" });
    await shootBoth(page, "referral-cancelled");
  });
});
