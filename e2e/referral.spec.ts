import { expect, test } from "./fixtures";
import { ReferralPage } from "./pages/referral-page";
import { signInOverHttp, USERS } from "./support/auth";
import { formatCalendarDate as calendar } from "./support/dates";
import {
  markAudit,
  readAuditActionsSince,
  readReferenceReferralId,
  readReferralDecision,
  readReferralStatus,
  takeNewReferral,
} from "./support/db";
import { readReferencePayload } from "./support/webhook";

/** What the page must show for a field of the reference payload, by its type. */
function expectedText(f: { field_type: string; field_value: unknown; type: string | null }): string {
  const v = f.field_value as unknown;
  const kind =
    f.field_type === "demographics" ? (f.type === "bday" ? "date" : f.type === "list" ? "list" : "text") : f.field_type;
  if (kind === "date") return calendar(String(v));
  if (kind === "checkbox") return v ? "Yes" : "No";
  if (kind === "list") return String((v as { option: { name: string } }).option.name);
  return String(v);
}

/** Signs the page in as a reviewer and opens the reference referral, marking the audit just before: its id and the mark. */
async function openReferenceReferralAsReviewer(referralPage: ReferralPage): Promise<{ id: string; mark: number }> {
  await signInOverHttp(referralPage.page.request, "reviewer");
  const id = await readReferenceReferralId();
  const mark = await markAudit();
  await referralPage.goto(id);
  return { id, mark };
}

test.describe("[REFERRAL]", () => {
  test("the reference referral shows every field of its payload with the right value", async ({
    page,
    referralPage,
  }) => {
    const { id, mark } = await openReferenceReferralAsReviewer(referralPage);
    const p = readReferencePayload();

    await expect(page.getByRole("heading", { level: 1, name: "Jane Smithers" })).toBeVisible();
    const exactly: Array<[testId: string, text: string]> = [
      ["client-gender", "F"],
      ["client-phone", "555-123-4567"],
      ["client-address", "1700 Lyons Road, Dayton, OH 45458"],
      ["client-timezone", "America/Denver"],
      ["request-id", "0e1d5e34-63d7-4bb2-8e22-9376943ab56f"],
    ];
    for (const [testId, text] of exactly) await expect(page.getByTestId(testId), testId).toHaveText(text);
    const containing: Array<[testId: string, parts: string[]]> = [
      ["client-birthday", [`${calendar("1998-05-07")} · `, "years"]],
      ["agency-name", ["Gem City Home Care", "Branch 1050 · America/Denver"]],
      ["form-name", ["CSI New Referral Request", "14"]],
      ["submitted-by", ["Administrator", "May 23, 2023"]],
    ];
    for (const [testId, parts] of containing)
      for (const part of parts) await expect(page.getByTestId(testId), testId).toContainText(part);

    for (const f of p.form_data.fields) {
      const cell = referralPage.fieldValue(f.field_label);
      await expect(cell, f.field_label).toHaveCount(1);
      if (f.field_type === "medical_history") {
        const rows = cell.locator("tbody tr");
        const history = f.field_value as Array<{ values: Array<{ field_key: string; field_value: string | null }> }>;
        await expect(rows).toHaveCount(history.length);
        for (const [i, h] of history.entries()) {
          const get = (k: string) => h.values.find((x) => x.field_key === k)?.field_value ?? null;
          const [code, description] = get("diagnosis")!.split("=") as [string, string];
          const cells = rows.nth(i).locator("td");
          await expect(cells.nth(0)).toHaveText(code, { useInnerText: true });
          await expect(cells.nth(1)).toHaveText(description, { useInnerText: true });
          await expect(cells.nth(2)).toHaveText(get("treatment") ?? "—", { useInnerText: true });
          await expect(cells.nth(3)).toHaveText(get("start_date") ? calendar(get("start_date")!) : "—", {
            useInnerText: true,
          });
          await expect(cells.nth(4)).toHaveText(get("end_date") ? calendar(get("end_date")!) : "—", {
            useInnerText: true,
          });
          await expect(cells.nth(5)).toHaveText(get("notes") ?? "—", { useInnerText: true });
        }
      } else if (f.field_type === "picture") {
        await expect(cell.getByRole("link")).toHaveAttribute("href", String(f.field_value));
      } else {
        await expect(cell, f.field_label).toHaveText(expectedText(f));
      }
    }
    // Grouped the way a reviewer reads.
    for (const [group, label] of [
      ["client", "Date of Birth"],
      ["diagnoses", "ICD-10 Diagnosis"],
      ["physician", "Physician NPI"],
      ["service", "Service frequency"],
      ["primary_insurance", "Primary subscriber ID"],
      ["secondary_insurance", "Secondary insurance needed?"],
    ]) {
      await expect(page.locator(`[data-group="${group}"] [data-field-label="${label}"]`)).toHaveCount(1);
    }

    // The raw payload is there, collapsed.
    const raw = referralPage.rawPayload;
    await expect(raw).not.toHaveAttribute("open", "");
    await raw.locator("summary").click();
    await expect(raw).toContainText('"request_id": "0e1d5e34-63d7-4bb2-8e22-9376943ab56f"');
    await expect(referralPage.timeline).toContainText("Received");
    // This test's one page view is audited, and nothing else it did on the page is.
    expect(await readAuditActionsSince(mark, id, USERS.reviewer)).toEqual(["referral.viewed"]);
  });

  test("the file is viewed inline and downloaded through an authenticated, audited route", async ({
    page,
    browser,
    referralPage,
  }) => {
    const { id, mark } = await openReferenceReferralAsReviewer(referralPage);
    const item = page.locator('[data-file="physician_order_form.png"]');
    await expect(item).toContainText("physician_order_form.pdf");
    await expect(item).toContainText("image/png");
    const href = (await item.locator("[data-file-view]").getAttribute("href"))!;
    const inline = await page.request.get(href);
    expect(inline.status()).toBe(200);
    expect(inline.headers()["content-type"]).toBe("image/png");
    expect(inline.headers()["content-disposition"]).toBe('inline; filename="physician_order_form.png"');
    const download = await page.request.get(`${href}?download=1`);
    expect(download.headers()["content-disposition"]).toMatch(/^attachment;/);
    await item.getByRole("button", { name: "Show preview" }).click();
    const img = page.getByTestId("file-image-preview");
    await expect(img).toBeVisible();
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1);
    // This test's reads: the inline view, the download and the preview's image, each audited.
    const mine = (await readAuditActionsSince(mark, id, USERS.reviewer)).filter((a) => a !== "referral.viewed");
    expect(mine.filter((a) => a === "referral.file_downloaded")).toHaveLength(1);
    expect(mine.filter((a) => a === "referral.file_viewed").length).toBeGreaterThanOrEqual(2);
    expect(mine.filter((a) => a !== "referral.file_viewed" && a !== "referral.file_downloaded")).toEqual([]);
    // Anonymous: refused.
    const anon = await browser.newContext();
    expect((await anon.request.get(`http://127.0.0.1:${process.env.E2E_PORT}${href}`)).status()).toBe(401);
    await anon.close();
  });

  test("reject with a coded reason and a comment", async ({ referralPage }) => {
    const r = await takeNewReferral();
    await referralPage.openAs("reviewer", r.id);
    const panel = referralPage.workPanel;
    await referralPage.openRejectForm();
    await referralPage.submitRejection();
    await expect(panel.locator("#reject-reason-error")).toHaveText("Choose a reason");
    await referralPage.fillRejectForm(
      { label: "Client outside the service area" },
      "The client lives outside our Ohio service area.",
    );
    await referralPage.submitRejection();
    await expect(panel.getByTestId("rejection")).toContainText("Rejected: Client outside the service area");
    await expect(referralPage.timeline).toContainText("Rejected: Client outside the service area");
    expect(await readReferralDecision(r.id)).toEqual({ status: "rejected", reasonCode: "out_of_area" });
  });

  test("pending information pauses the SLA, reopen resumes it", async ({ page, referralPage }) => {
    const r = await takeNewReferral();
    await referralPage.openAs("reviewer", r.id);
    const panel = referralPage.workPanel;
    await referralPage.markPendingInformation("Signed physician order and insurance card.");
    await expect(panel.getByTestId("pending-note")).toContainText("Signed physician order");
    await expect(page.locator('[data-sla="paused"]')).toBeVisible();
    await panel.getByRole("button", { name: "Reopen" }).click();
    await panel.getByRole("button", { name: "Reopen for review" }).click();
    await expect(referralPage.timeline).toContainText("Reopened");
    await expect(page.locator('[data-sla="paused"]')).toHaveCount(0);
  });

  test("a stale save between two sessions is a conflict that shows what changed; nothing is overwritten", async ({
    browser,
    signedInAs,
  }) => {
    const r = await takeNewReferral();
    const a = new ReferralPage(await browser.newPage());
    const b = new ReferralPage(await browser.newPage());
    await signedInAs("reviewer", a.page);
    await signedInAs("reviewer2", b.page);
    await a.goto(r.id);
    await b.goto(r.id);

    await b.markPendingInformation("Insurance card, both sides.");
    await expect(b.workPanel.getByTestId("pending-note")).toBeVisible();

    const pa = a.workPanel;
    await a.reject({ label: "Duplicate of another referral request" }, "Same client as last week.");
    const conflict = pa.getByTestId("conflict");
    await expect(conflict).toContainText("Not saved");
    await expect(conflict).toContainText(`Last change by ${USERS.reviewer2}`);
    await expect(conflict.getByRole("row", { name: /Status/ })).toContainText("Pending info");
    await expect(conflict.getByRole("row", { name: /Information requested/ })).toContainText(
      "Insurance card, both sides.",
    );
    expect(await readReferralDecision(r.id)).toEqual({ status: "pending_info", reasonCode: null });
    await conflict.getByRole("button", { name: "Load the latest version" }).click();
    await expect(pa.getByTestId("pending-note")).toContainText("Insurance card, both sides.");
    await a.page.close();
    await b.page.close();
  });

  test("a supervisor is refused a decision by the server (403 scope), even with the form at hand", async ({
    page,
    context,
    signedInAs,
    referralPage,
  }) => {
    const r = await takeNewReferral();
    await signedInAs("reviewer");
    await referralPage.goto(r.id);
    const panel = referralPage.workPanel;
    await referralPage.openRejectForm();
    await referralPage.fillRejectForm({ index: 1 }, "Trying with a supervisor session.");
    // The same browser now carries a supervisor's session.
    await context.clearCookies();
    await signedInAs("supervisor");
    await referralPage.submitRejection();
    await expect(panel.getByTestId("action-error")).toHaveText("Forbidden: this needs the referral:decide scope.");
    expect(await readReferralStatus(r.id)).toBe("new");
    await page.reload();
    await expect(panel).toContainText("not decide on it");
    await expect(panel.getByRole("button", { name: "Reject" })).toHaveCount(0);
  });

  test("keyboard: ? lists the keys, e goes to the editor, j and k move between requests, c claims", async ({
    page,
    referralPage,
  }) => {
    const r = await takeNewReferral();
    await referralPage.openAs("reviewer", r.id);
    await referralPage.waitForKeys();
    await referralPage.focusBody();
    await page.keyboard.press("?");
    const help = referralPage.keyboardHelp;
    await expect(help).toContainText("Next request in this queue tab");
    await page.keyboard.press("Escape");
    await expect(help).toBeHidden();
    await page.keyboard.press("e");
    await expect(referralPage.editor.root.locator(":focus")).toHaveCount(1);
    await referralPage.focusBody();
    // The newest request has no previous one, the oldest no next one: use whichever is there.
    const hasNext = (await page.getByRole("link", { name: "Next request" }).count()) > 0;
    const target = await page
      .getByRole("link", { name: hasNext ? "Next request" : "Previous request" })
      .getAttribute("href");
    expect(target).toMatch(/^\/referrals\//);
    await page.keyboard.press(hasNext ? "j" : "k");
    await expect(page).toHaveURL(new RegExp(`${target!}$`));
    await referralPage.waitForKeys();
    await page.goBack();
    await referralPage.waitForKeys();
    await referralPage.focusBody();
    await page.keyboard.press("c");
    await expect(page.getByTestId("assignee")).toContainText("You");
  });

  test("an unknown id answers 404 with a not-found page", async ({ page, signedInAs }) => {
    await signedInAs("reviewer");
    const res = await page.goto(`/referrals/${crypto.randomUUID()}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("referral-not-found")).toBeVisible();
    expect((await page.goto("/referrals/not-a-uuid"))?.status()).toBe(404);
  });
});
