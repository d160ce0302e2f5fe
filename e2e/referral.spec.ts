import { expect, test, type Page } from "@playwright/test";
import { auditActionsSince, auditMark, one, referenceId, referencePayload, signInAs, takeNewReferral, USERS } from "./ui-fixtures";

const calendar = (ymd: string) => new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(new Date(`${ymd}T00:00:00Z`));

/** What the page must show for a field of the reference payload, by its type. */
function expectedText(f: { field_type: string; field_value: unknown; type: string | null }): string {
  const v = f.field_value as unknown;
  const kind = f.field_type === "demographics" ? (f.type === "bday" ? "date" : f.type === "list" ? "list" : "text") : f.field_type;
  if (kind === "date") return calendar(String(v));
  if (kind === "checkbox") return v ? "Yes" : "No";
  if (kind === "list") return String((v as { option: { name: string } }).option.name);
  return String(v);
}

const field = (page: Page, label: string) => page.locator(`[data-field-label="${label}"] [data-field-value]`);

test.describe("[REFERRAL]", () => {
  test("the reference referral shows every field of its payload with the right value", async ({ page }) => {
    await signInAs(page, USERS.reviewer);
    const id = await referenceId();
    const mark = await auditMark();
    await page.goto(`/referrals/${id}`);
    const p = referencePayload();

    await expect(page.getByRole("heading", { level: 1, name: "Jane Smithers" })).toBeVisible();
    await expect(page.getByTestId("client-birthday")).toContainText(`${calendar("1998-05-07")} · `);
    await expect(page.getByTestId("client-birthday")).toContainText("years");
    await expect(page.getByTestId("client-gender")).toHaveText("F");
    await expect(page.getByTestId("client-phone")).toHaveText("555-123-4567");
    await expect(page.getByTestId("client-address")).toHaveText("1700 Lyons Road, Dayton, OH 45458");
    await expect(page.getByTestId("client-timezone")).toHaveText("America/Denver");
    await expect(page.getByTestId("agency-name")).toContainText("Gem City Home Care");
    await expect(page.getByTestId("agency-name")).toContainText("Branch 1050 · America/Denver");
    await expect(page.getByTestId("form-name")).toContainText("CSI New Referral Request");
    await expect(page.getByTestId("form-name")).toContainText("14");
    await expect(page.getByTestId("submitted-by")).toContainText("Administrator");
    await expect(page.getByTestId("submitted-by")).toContainText("May 23, 2023");
    await expect(page.getByTestId("request-id")).toHaveText("0e1d5e34-63d7-4bb2-8e22-9376943ab56f");

    for (const f of p.form_data.fields) {
      const cell = field(page, f.field_label);
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
          await expect(cells.nth(3)).toHaveText(get("start_date") ? calendar(get("start_date")!) : "—", { useInnerText: true });
          await expect(cells.nth(4)).toHaveText(get("end_date") ? calendar(get("end_date")!) : "—", { useInnerText: true });
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
    const raw = page.getByTestId("raw-payload");
    await expect(raw).not.toHaveAttribute("open", "");
    await raw.locator("summary").click();
    await expect(raw).toContainText('"request_id": "0e1d5e34-63d7-4bb2-8e22-9376943ab56f"');
    await expect(page.getByTestId("timeline")).toContainText("Received");
    // This test's one page view is audited, and nothing else it did on the page is.
    expect(await auditActionsSince(mark, id, USERS.reviewer)).toEqual(["referral.viewed"]);
  });

  test("the file is viewed inline and downloaded through an authenticated, audited route", async ({ page, browser }) => {
    await signInAs(page, USERS.reviewer);
    const id = await referenceId();
    const mark = await auditMark();
    await page.goto(`/referrals/${id}`);
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
    const mine = (await auditActionsSince(mark, id, USERS.reviewer)).filter((a) => a !== "referral.viewed");
    expect(mine.filter((a) => a === "referral.file_downloaded")).toHaveLength(1);
    expect(mine.filter((a) => a === "referral.file_viewed").length).toBeGreaterThanOrEqual(2);
    expect(mine.filter((a) => a !== "referral.file_viewed" && a !== "referral.file_downloaded")).toEqual([]);
    // Anonymous: refused.
    const anon = await browser.newContext();
    expect((await anon.request.get(`http://127.0.0.1:${process.env.E2E_PORT}${href}`)).status()).toBe(401);
    await anon.close();
  });

  test("reject with a coded reason and a comment", async ({ page }) => {
    await signInAs(page, USERS.reviewer);
    const r = await takeNewReferral();
    await page.goto(`/referrals/${r.id}`);
    const panel = page.getByTestId("work-panel");
    await panel.getByRole("button", { name: "Reject" }).click();
    await panel.getByRole("button", { name: "Reject request" }).click();
    await expect(panel.locator("#reject-reason-error")).toHaveText("Choose a reason");
    await panel.getByLabel("Reason").selectOption({ label: "Client outside the service area" });
    await panel.getByLabel("Comment").fill("The client lives outside our Ohio service area.");
    await panel.getByRole("button", { name: "Reject request" }).click();
    await expect(panel.getByTestId("rejection")).toContainText("Rejected: Client outside the service area");
    await expect(page.getByTestId("timeline")).toContainText("Rejected: Client outside the service area");
    const row = await one<{ status: string; decision_reason_code: string }>("select status, decision_reason_code from referral_requests where id = $1", [r.id]);
    expect(row).toEqual({ status: "rejected", decision_reason_code: "out_of_area" });
  });

  test("pending information pauses the SLA, reopen resumes it", async ({ page }) => {
    await signInAs(page, USERS.reviewer);
    const r = await takeNewReferral();
    await page.goto(`/referrals/${r.id}`);
    const panel = page.getByTestId("work-panel");
    await panel.getByRole("button", { name: "Pending information" }).click();
    await panel.getByLabel("What information is missing?").fill("Signed physician order and insurance card.");
    await panel.getByRole("button", { name: "Mark pending information" }).click();
    await expect(panel.getByTestId("pending-note")).toContainText("Signed physician order");
    await expect(page.locator('[data-sla="paused"]')).toBeVisible();
    await panel.getByRole("button", { name: "Reopen" }).click();
    await panel.getByRole("button", { name: "Reopen for review" }).click();
    await expect(page.getByTestId("timeline")).toContainText("Reopened");
    await expect(page.locator('[data-sla="paused"]')).toHaveCount(0);
  });

  test("a stale save between two sessions is a conflict that shows what changed; nothing is overwritten", async ({ browser }) => {
    const r = await takeNewReferral();
    const a = await browser.newPage();
    const b = await browser.newPage();
    await signInAs(a, USERS.reviewer);
    await signInAs(b, USERS.reviewer2);
    await a.goto(`/referrals/${r.id}`);
    await b.goto(`/referrals/${r.id}`);

    const pb = b.getByTestId("work-panel");
    await pb.getByRole("button", { name: "Pending information" }).click();
    await pb.getByLabel("What information is missing?").fill("Insurance card, both sides.");
    await pb.getByRole("button", { name: "Mark pending information" }).click();
    await expect(pb.getByTestId("pending-note")).toBeVisible();

    const pa = a.getByTestId("work-panel");
    await pa.getByRole("button", { name: "Reject" }).click();
    await pa.getByLabel("Reason").selectOption({ label: "Duplicate of another referral request" });
    await pa.getByLabel("Comment").fill("Same client as last week.");
    await pa.getByRole("button", { name: "Reject request" }).click();
    const conflict = pa.getByTestId("conflict");
    await expect(conflict).toContainText("Not saved");
    await expect(conflict).toContainText(`Last change by ${USERS.reviewer2}`);
    await expect(conflict.getByRole("row", { name: /Status/ })).toContainText("Pending info");
    await expect(conflict.getByRole("row", { name: /Information requested/ })).toContainText("Insurance card, both sides.");
    const row = await one<{ status: string; decision_reason_code: string | null }>("select status, decision_reason_code from referral_requests where id = $1", [r.id]);
    expect(row).toEqual({ status: "pending_info", decision_reason_code: null });
    await conflict.getByRole("button", { name: "Load the latest version" }).click();
    await expect(pa.getByTestId("pending-note")).toContainText("Insurance card, both sides.");
    await a.close();
    await b.close();
  });

  test("a supervisor is refused a decision by the server (403 scope), even with the form at hand", async ({ page, context }) => {
    const r = await takeNewReferral();
    await signInAs(page, USERS.reviewer);
    await page.goto(`/referrals/${r.id}`);
    const panel = page.getByTestId("work-panel");
    await panel.getByRole("button", { name: "Reject" }).click();
    await panel.getByLabel("Reason").selectOption({ index: 1 });
    await panel.getByLabel("Comment").fill("Trying with a supervisor session.");
    // The same browser now carries a supervisor's session.
    await context.clearCookies();
    await signInAs(page, USERS.supervisor);
    await panel.getByRole("button", { name: "Reject request" }).click();
    await expect(panel.getByTestId("action-error")).toHaveText("Forbidden: this needs the referral:decide scope.");
    expect((await one<{ status: string }>("select status from referral_requests where id = $1", [r.id])).status).toBe("new");
    await page.reload();
    await expect(page.getByTestId("work-panel")).toContainText("not decide on it");
    await expect(page.getByTestId("work-panel").getByRole("button", { name: "Reject" })).toHaveCount(0);
  });

  test("keyboard on the referral page: ? lists the keys, e goes to the editor, j and k move between requests, c claims", async ({ page }) => {
    await signInAs(page, USERS.reviewer);
    const r = await takeNewReferral();
    await page.goto(`/referrals/${r.id}`);
    await page.locator("html[data-referral-keys=ready]").waitFor({ state: "attached" });
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(help).toContainText("Next request in this queue tab");
    await page.keyboard.press("Escape");
    await expect(help).toBeHidden();
    await page.keyboard.press("e");
    await expect(page.getByTestId("approval-editor").locator(":focus")).toHaveCount(1);
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    // The newest request has no previous one, the oldest no next one: use whichever is there.
    const hasNext = (await page.getByRole("link", { name: "Next request" }).count()) > 0;
    const target = await page.getByRole("link", { name: hasNext ? "Next request" : "Previous request" }).getAttribute("href");
    expect(target).toMatch(/^\/referrals\//);
    await page.keyboard.press(hasNext ? "j" : "k");
    await expect(page).toHaveURL(new RegExp(`${target!}$`));
    await page.locator("html[data-referral-keys=ready]").waitFor({ state: "attached" });
    await page.goBack();
    await page.locator("html[data-referral-keys=ready]").waitFor({ state: "attached" });
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("c");
    await expect(page.getByTestId("assignee")).toContainText("You");
  });

  test("an unknown id answers 404 with a not-found page", async ({ page }) => {
    await signInAs(page, USERS.reviewer);
    const res = await page.goto(`/referrals/${crypto.randomUUID()}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("referral-not-found")).toBeVisible();
    expect((await page.goto("/referrals/not-a-uuid"))?.status()).toBe(404);
  });
});
