import { expect, test } from "./fixtures";
import { addOneMonth, formatDayFromToday as day } from "./support/dates";
import { readLatestAccloudReferralId, readReferralStatus, readRevisionKinds, takeNewReferral } from "./support/db";
import { openSandboxControl } from "./support/sandbox";
import { expectAccessible, expectAccessibleAtBothWidths, takeScreenshot } from "./support/screenshots";
import { postReferral, readReferencePayload } from "./support/webhook";

test.describe("[AFTER SENDING]", () => {
  test("extend by a month, see revision 2 and its diff, the agency processes it, then cancel with a reason", async ({
    page,
    signedInAs,
    referralPage,
  }) => {
    // Four states, each checked with axe and photographed at two widths.
    test.setTimeout(180_000);
    await signedInAs("reviewer");
    const r = await takeNewReferral();
    await referralPage.goto(r.id);
    const end = day(62);
    await referralPage.editor.fillSendable({ start: day(2), end });
    await referralPage.editor.approve();
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });

    // "Extend by a month", from the referral page to sent.
    let actions = 0;
    const act = async (fn: () => Promise<unknown>) => {
      actions++;
      await fn();
    };
    await act(() => page.getByRole("link", { name: "Change approval" }).click());
    const update = referralPage.editor;
    await expect(update.root.getByRole("heading", { name: "Change approval" })).toBeVisible();
    await expect(update.root.getByTestId("update-fixed")).toContainText("OptionCare CSI");
    await act(() => update.root.getByRole("button", { name: "Extend by a month" }).click());
    await expect(update.field("End date")).toHaveValue(addOneMonth(end));
    await expect(update.root.getByLabel("Authorization extended")).toBeChecked();
    await expect(update.root.getByTestId("update-plan")).toContainText("Authorization 1: changed in place (end date)");
    await expectAccessibleAtBothWidths(page, "update-editor");
    await act(() => update.root.getByRole("button", { name: "Send update…" }).click());
    const confirm = page.getByTestId("confirm-update");
    await expect(confirm).toContainText("Send revision 2 to the agency?");
    await expect(confirm).toContainText("Authorization extended");
    await expectAccessible(page, "update-confirm@1280");
    await takeScreenshot(page, "update-confirm-1280", { fullPage: false });
    await act(() => confirm.getByRole("button", { name: "Send update", exact: true }).click());
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });
    await expect(referralPage.push.toast).toContainText("Update sent");
    expect(actions).toBeLessThanOrEqual(4);
    console.log(`[AFTER SENDING] reviewer actions for "extend by a month", referral page to sent: ${actions}`);

    // Revision 2 in the panel, the latest in ACCloud; its diff against revision 1 shows the end date.
    await referralPage.goto(r.id, "?from=1&to=2#revisions");
    const revisions = page.getByTestId("revisions");
    await expect(revisions.locator('tr[data-revision="2"]')).toContainText("ACCloud revision 2");
    await expect(revisions.locator('tr[data-revision="2"]')).toContainText("latest");
    await expect(revisions.locator('tr[data-revision="2"]')).toContainText("Authorization extended");
    const diff = page.getByTestId("revision-diff");
    await expect(diff.getByRole("row", { name: /Dates · end date/ })).toBeVisible();
    await expect(diff.getByRole("row", { name: /Authorization 1 · end date/ })).toBeVisible();
    await expectAccessibleAtBothWidths(page, "revisions-diff");

    // The agency processes the new revision; the page reads it back.
    const latestId = await readLatestAccloudReferralId(r.id);
    await openSandboxControl().markProcessed(latestId);
    await page.getByRole("button", { name: "Refresh from ACCloud" }).click();
    await expect(referralPage.editor.root).toHaveCount(0);
    await expect(page.getByText("The agency processed it.")).toBeVisible();
    expect(await readReferralStatus(r.id)).toBe("processed");
    await expect(referralPage.timeline).toContainText("processed by the agency", { ignoreCase: true });
    await expectAccessibleAtBothWidths(page, "referral-processed");

    // Cancel with a reason: the dialog says what the agency will see.
    await referralPage.fillCancelDialog({ label: "The client is in hospital" }, "Admitted this morning.");
    const dialog = referralPage.cancelDialog;
    await expect(dialog.getByTestId("cancel-summary")).toContainText("The client is in hospital");
    await expectAccessible(page, "cancel-dialog@1280");
    await takeScreenshot(page, "cancel-dialog-1280", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel referral" }).click();
    await expect(page.getByTestId("cancellation")).toContainText("The client is in hospital", { timeout: 30_000 });
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });
    await expect(page.getByTestId("cancellation")).toContainText("Cancelled");
    const state = await openSandboxControl().state();
    expect(state.referrals.find((x) => x.id === latestId)).toMatchObject({
      status: "cancelled",
      reason_code: "client_hospitalization",
    });
    await expectAccessibleAtBothWidths(page, "referral-cancelled");
  });

  test("an amendment naming another person: the page says 'different person', Send update is refused, then cancel and approve the new person as a new client", async ({
    page,
    request,
    signedInAs,
    referralPage,
  }) => {
    test.setTimeout(180_000);
    const payload = { ...readReferencePayload(), request_id: crypto.randomUUID() };
    payload.client = { ...payload.client, id: 700_000 + Math.floor(Math.random() * 100_000) };
    // Service dates from today (the reference payload's are long past, which an update could not send).
    for (const f of payload.form_data.fields) {
      if (f.field_label === "Service start date") f.field_value = day(2);
      if (f.field_label === "Service end date") f.field_value = day(62);
    }
    const { id } = await postReferral(request, payload);
    await signedInAs("reviewer");
    await referralPage.goto(id);
    await referralPage.editor.fillSendable({ start: day(2), end: day(62) });
    await referralPage.editor.approve();
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });

    // The agency amends the request: Jane Smithers 1998-05-07 becomes Robert Other 1950-01-01 under another client id.
    const other = structuredClone(payload);
    other.client = {
      ...other.client,
      id: Number(payload.client.id) + 1,
      first_name: "Robert",
      last_name: "Other",
      birthday: "1950-01-01",
    };
    await postReferral(request, other);
    await referralPage.goto(id);
    const marked = page.getByTestId("different-person");
    await expect(marked.getByRole("heading", { name: "Different person" })).toBeVisible();
    await expect(marked).toContainText(
      "the latest submission names another client than the one ACCloud has for this referral",
    );
    await expect(marked.getByRole("row", { name: /Last name/ })).toContainText("Other");
    await expect(page.getByTestId("update-refused")).toContainText("“Send update” is refused.");
    await expectAccessibleAtBothWidths(page, "referral-different-person");

    // Send update, tried anyway: refused with the reason.
    await page.getByRole("link", { name: "Change approval" }).click();
    const update = referralPage.editor;
    await expect(update.root.getByTestId("update-refused")).toBeVisible();
    await update.root.getByRole("button", { name: "Extend by a month" }).click();
    await update.root.getByRole("button", { name: "Send update…" }).click();
    await page.getByTestId("confirm-update").getByRole("button", { name: "Send update", exact: true }).click();
    await expect(update.root.getByRole("alert")).toContainText("Different person:");
    expect(await readRevisionKinds(id)).toBe("approve:approved");
    const janeExternalId = `${String(payload.agency.alayamarket_org_id).toLowerCase()}:${String(payload.client.id)}`;
    const jane = (await openSandboxControl().state()).clients.find((c) => c.external_id === janeExternalId);
    expect(jane?.demographics).toMatchObject({ first_name: "Jane", last_name: "Smithers" });

    // Way out: cancel in ACCloud, then approve the new person as a new client.
    await referralPage.goto(id);
    await referralPage.cancelReferral({ value: "other" }, "The agency sent another person under this request.");
    await expect(page.getByTestId("cancellation")).toContainText("Cancelled", { timeout: 30_000 });
    await marked.getByRole("button", { name: "Approve as a new client" }).click();
    await expect(page.getByTestId("continues")).toContainText("as a new client", { timeout: 15_000 });
    await expect(page).not.toHaveURL(new RegExp(`/referrals/${id}$`));
    expect(await readReferralStatus(id)).toBe("cancelled");
    const after = (await openSandboxControl().state()).clients.find((c) => c.external_id === janeExternalId);
    expect(after).toEqual(jane);
  });
});
