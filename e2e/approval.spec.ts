import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { expectAccessible, one, REFERENCE_REQUEST_ID, referenceId, sandboxControl, signInAs, takeNewReferral, USERS } from "./ui-fixtures";

const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

test.describe("[APPROVAL]", () => {
  test("from the queue to sent: prefilled editor, a rule error fixed, approve, live steps", async ({ page }) => {
    let actions = 0;
    const act = async <T,>(fn: () => Promise<T>) => {
      actions++;
      return fn();
    };
    await signInAs(page, USERS.reviewer);
    const id = await referenceId();
    expect((await one<{ status: string }>("select status from referral_requests where id = $1", [id])).status).toBe("new");
    // The New tab narrowed to the reference's request id: exactly its row.
    await page.goto(`/queue?tab=new&rid=${REFERENCE_REQUEST_ID}`);
    await expect(page.getByRole("navigation", { name: "Status" }).locator('[aria-current="page"]')).toHaveAttribute("data-tab", "new");
    const rows = page.locator("[data-queue-row]");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-request-id", REFERENCE_REQUEST_ID);
    // 1. open the reference referral from the queue
    await act(() => rows.first().locator(`a[href="/referrals/${id}"]`).click());
    await expect(page).toHaveURL(new RegExp(`/referrals/${id}`));

    const editor = page.getByTestId("approval-editor");
    await expect(editor).toBeVisible();
    // Prefilled from the form: dates, member number, the agency's hints and the suggested rules.
    await expect(editor.getByLabel("Start date")).toHaveValue("2023-05-31");
    await expect(editor.getByLabel("End date")).toHaveValue("2023-07-31");
    await expect(editor.getByLabel("Member number")).toHaveValue("1111111");
    await expect(editor.getByTestId("form-hints")).toContainText("Twice a week");
    await expect(editor.getByTestId("form-hints")).toContainText("10 visits total");
    await expect(editor.getByLabel("Weekly limit")).toHaveValue("2");
    await expect(editor.getByLabel("Limit for the period")).toHaveValue("10");
    await expect(editor.getByTestId("rule-preview")).toContainText("10 visits in total");
    await expect(editor.getByLabel("Service code")).toHaveValue(/\d+/);

    await expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.screenshot({ path: "e2e/screenshots/approval-editor.png", fullPage: true });

    // 2. approve as is: the form points out what the contract refuses, beside the fields, and sends nothing.
    await act(() => editor.getByRole("button", { name: "Approve and send to ACCloud" }).click());
    await expect(editor.getByText("Start date cannot be more than 1 year in the past")).toBeVisible();
    await expect(editor.getByText("Enter the case manager's name")).toBeVisible();
    await expect(editor.getByText("Choose a funder")).toBeVisible();
    expect((await one<{ n: number }>("select count(*)::int as n from pushes where referral_request_id = $1", [id])).n).toBe(0);

    // 3–6. fix the dates, choose the funder (the form's insurer is not an ACCloud funder), name the case manager
    await act(() => editor.getByLabel("Start date").fill(day(2)));
    await act(() => editor.getByLabel("End date").fill(day(62)));
    await act(() => editor.getByLabel("Funder (single funder, 100%)").selectOption({ label: "OptionCare CSI" }));
    await act(() => editor.getByLabel("Name", { exact: true }).fill("Casey Manager"));
    // 7. approve
    await act(() => editor.getByRole("button", { name: "Approve and send to ACCloud" }).click());

    const progress = page.getByTestId("push-progress");
    await expect(progress).toBeVisible();
    for (const step of ["client", "service", "authorizations", "referral", "attachments"]) {
      await expect(progress.getByTestId(`push-step-${step}`)).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    }
    await expect(page.getByTestId("push-status")).toHaveText("Sent");
    await expect(page.getByTestId("toast")).toContainText("Sent to ACCloud");
    await page.screenshot({ path: "e2e/screenshots/approval-sent.png", fullPage: true });
    expect((await one<{ status: string }>("select status from referral_requests where id = $1", [id])).status).toBe("sent");
    console.log(`[APPROVAL] reviewer actions from the queue to "sent": ${actions}`);
    expect(actions).toBeLessThanOrEqual(9);
  });

  test("a push ACCloud refuses is fixed on the page and retried: the fix becomes a new revision and reaches ACCloud", async ({ page }) => {
    await signInAs(page, USERS.reviewer);
    const r = await takeNewReferral();
    const { request_id: requestId } = await one<{ request_id: string }>("select request_id from referral_requests where id = $1", [r.id]);
    await sandboxControl().addFault({
      method: "POST",
      path: "/ext/api/v2/scheduler/authorizations",
      kind: "status",
      status: 400,
      times: 1,
      body: { code: "400", message: "Payor 9 authorizes at most 2 visits a week for this service code." },
    });
    await page.goto(`/referrals/${r.id}`);
    const editor = page.getByTestId("approval-editor");
    await editor.getByLabel("Start date").fill(day(2));
    await editor.getByLabel("End date").fill(day(62));
    await editor.getByLabel("Funder (single funder, 100%)").selectOption({ label: "OptionCare CSI" });
    await editor.getByLabel("Name", { exact: true }).fill("Casey Manager");
    await editor.getByLabel("Weekly limit").fill("3");
    await editor.getByRole("button", { name: "Approve and send to ACCloud" }).click();
    await expect(page.getByTestId("push-status")).toHaveText("Failed", { timeout: 30_000 });
    await expect(page.getByTestId("push-progress")).toContainText("Payor 9 authorizes at most 2 visits a week");

    // The page offers the fix: what finished steps sent is named and stays.
    const retry = page.getByTestId("approval-editor");
    await expect(retry.getByRole("heading", { name: "Fix and retry the approval" })).toBeVisible();
    await expect(retry.getByTestId("retry-locked")).toContainText("service code (Service)");
    await expectAccessible(page, "referral-push-failed@1280");
    await page.screenshot({ path: "e2e/screenshots/approval-push-failed.png", fullPage: true });
    await retry.getByLabel("Weekly limit").fill("2");
    await retry.getByRole("button", { name: "Save and retry the push" }).click();
    await expect(page.getByTestId("push-status")).toHaveText("Sent", { timeout: 30_000 });

    const revisions = await one<{ kinds: string }>("select string_agg(kind || ':' || state, ',' order by revision) as kinds from approval_revisions where referral_request_id = $1", [r.id]);
    expect(revisions.kinds).toBe("approve:superseded,correction:approved");
    const state = await sandboxControl().state();
    const service = state.services.find((s) => s.external_id === requestId)!;
    const auths = state.authorizations.filter((a) => a.service_ids.includes(service.id));
    expect(auths.map((a) => a.rule_weekly)).toEqual([2]);
  });

  test("a supervisor sees no editor and the approve action refuses the missing scope", async ({ page }) => {
    await signInAs(page, USERS.supervisor);
    const row = await one<{ id: string }>("select id from referral_requests where status = 'new' limit 1");
    await page.goto(`/referrals/${row.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("approval-editor")).toHaveCount(0);
  });
});
