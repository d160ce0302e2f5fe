import { expect, test } from "./fixtures";
import { formatDayFromToday as day } from "./support/dates";
import {
  countPushes,
  findNewReferralId,
  readReferenceReferralId,
  readReferralRequestId,
  readReferralStatus,
  readRevisionKinds,
  takeNewReferral,
} from "./support/db";
import { openSandboxControl } from "./support/sandbox";
import { expectAccessible, takeScreenshot } from "./support/screenshots";
import { REFERENCE_REQUEST_ID } from "./support/webhook";

test.describe("[APPROVAL]", () => {
  test("from the queue to sent: prefilled editor, a rule error fixed, approve, live steps", async ({
    page,
    signedInAs,
    queuePage,
    referralPage,
  }) => {
    let actions = 0;
    const act = async <T>(fn: () => Promise<T>) => {
      actions++;
      return fn();
    };
    await signedInAs("reviewer");
    const id = await readReferenceReferralId();
    expect(await readReferralStatus(id)).toBe("new");
    // The New tab narrowed to the reference's request id: exactly its row.
    await queuePage.goto({ tab: "new", rid: REFERENCE_REQUEST_ID });
    await expect(queuePage.currentTab).toHaveAttribute("data-tab", "new");
    const rows = queuePage.rows;
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-request-id", REFERENCE_REQUEST_ID);
    // 1. open the reference referral from the queue
    await act(() => rows.first().locator(`a[href="/referrals/${id}"]`).click());
    await expect(page).toHaveURL(new RegExp(`/referrals/${id}`));

    const editor = referralPage.editor;
    await expect(editor.root).toBeVisible();
    // Prefilled from the form: dates, member number, the agency's hints and the suggested rules.
    await expect(editor.field("Start date")).toHaveValue("2023-05-31");
    await expect(editor.field("End date")).toHaveValue("2023-07-31");
    await expect(editor.field("Member number")).toHaveValue("1111111");
    await expect(editor.formHints).toContainText("Twice a week");
    await expect(editor.formHints).toContainText("10 visits total");
    await expect(editor.field("Weekly limit")).toHaveValue("2");
    await expect(editor.field("Limit for the period")).toHaveValue("10");
    await expect(editor.rulePreview).toContainText("10 visits in total");
    await expect(editor.field("Service code")).toHaveValue(/\d+/);
    // Drafted from the demo's earlier decisions, each value with its source beside it.
    await expect(editor.field("Funder (single funder, 100%)")).toHaveValue("9");
    // Every approval for this insurer chose it (the demo's two, and any an earlier test approved).
    await expect(editor.source("funderId")).toContainText(/chosen in (\d+) of \1 approvals for ‘ABC Insurers’/);
    await expect(editor.caseManagerName).toHaveValue("Dana Whitfield");
    await expect(editor.source("caseManager.name")).toContainText("for ‘Gem City Home Care’ in the last 90 days");

    await expectAccessible(page, "approval-editor");
    await takeScreenshot(page, "approval-editor");
    await editor.rulePreview.screenshot({ path: "e2e/screenshots/approval-rule-preview.png" });

    // The draft is not complete (its dates are the example's, from 2023), so there is no "Approve as drafted".
    await expect(editor.draftStatus).toHaveAttribute("data-complete", "false");
    await expect(page.getByTestId("approve-as-drafted")).toHaveCount(0);

    // 2. approve as is: the form points out what the contract refuses, beside the fields, and sends nothing.
    await act(() => editor.approve());
    await expect(
      editor.root.getByText("Start date cannot be more than 1 year in the past", { exact: true }),
    ).toBeVisible();
    expect(await countPushes(id)).toBe(0);

    // 3–4. fix the dates
    await act(() => editor.field("Start date").fill(day(2)));
    await act(() => editor.field("End date").fill(day(62)));
    // 5. approve
    await act(() => editor.approve());

    await expect(referralPage.push.progress).toBeVisible();
    for (const step of ["client", "service", "authorizations", "referral", "attachments"]) {
      await expect(referralPage.push.step(step)).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    }
    await expect(referralPage.push.status).toHaveText("Sent");
    await expect(referralPage.push.toast).toContainText("Sent to ACCloud");
    await takeScreenshot(page, "approval-sent");
    expect(await readReferralStatus(id)).toBe("sent");
    console.log(`[APPROVAL] reviewer actions from the queue to "sent": ${actions}`);
    expect(actions).toBeLessThanOrEqual(5);
  });

  test("a refused push is fixed on the page and retried: the fix is a new revision and reaches ACCloud", async ({
    page,
    signedInAs,
    referralPage,
  }) => {
    await signedInAs("reviewer");
    const r = await takeNewReferral();
    const requestId = await readReferralRequestId(r.id);
    await openSandboxControl().addFault({
      method: "POST",
      path: "/ext/api/v2/scheduler/authorizations",
      kind: "status",
      status: 400,
      times: 1,
      body: { code: "400", message: "Payor 9 authorizes at most 2 visits a week for this service code." },
    });
    await referralPage.goto(r.id);
    const editor = referralPage.editor;
    await editor.fillSendable({ start: day(2), end: day(62) });
    await editor.field("Weekly limit").fill("3");
    await editor.approve();
    await expect(referralPage.push.status).toHaveText("Failed", { timeout: 30_000 });
    await expect(referralPage.push.progress).toContainText("Payor 9 authorizes at most 2 visits a week");

    // The page offers the fix: what finished steps sent is named and stays.
    const retry = referralPage.editor;
    await expect(retry.root.getByRole("heading", { name: "Fix and retry the approval" })).toBeVisible();
    await expect(retry.root.getByTestId("retry-locked")).toContainText("service code (Service)");
    await expectAccessible(page, "referral-push-failed@1280");
    await takeScreenshot(page, "approval-push-failed");
    await retry.field("Weekly limit").fill("2");
    await retry.root.getByRole("button", { name: "Save and retry the push" }).click();
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });

    expect(await readRevisionKinds(r.id)).toBe("approve:superseded,correction:approved");
    const state = await openSandboxControl().state();
    const service = state.services.find((s) => s.external_id === requestId)!;
    const auths = state.authorizations.filter((a) => a.service_ids.includes(service.id));
    expect(auths.map((a) => a.rule_weekly)).toEqual([2]);
  });

  test("a supervisor sees no editor and the approve action refuses the missing scope", async ({
    page,
    signedInAs,
    referralPage,
  }) => {
    await signedInAs("supervisor");
    await referralPage.goto(await findNewReferralId());
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(referralPage.editor.root).toHaveCount(0);
  });
});
