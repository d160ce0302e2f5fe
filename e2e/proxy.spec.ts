/**
 * The `proxy` project (playwright.config.ts): the app as production runs it, behind nginx
 * terminating TLS on a real hostname (https://csi.test:PORT, a self-signed certificate), with
 * APP_URL and TRUSTED_PROXY_HOPS=1 (e2e/support/proxy-stack.ts). The request arrives by the
 * webhook through nginx; then a reviewer's and a supervisor's walk through Chromium, every
 * request through the proxy: server actions, the documents upload (a route handler comparing
 * the browser's Origin with the public origin), the push's live view, the audit CSV and
 * sign-out. Nothing is refused (403) or fails (5xx).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as playwrightRequest, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { PASSWORD, USERS } from "./support/auth";
import { addOneMonth, formatDayFromToday as day } from "./support/dates";
import { countAuditExports, readLatestAccloudReferralId } from "./support/db";
import { openSandboxControl } from "./support/sandbox";
import { deliverReferral } from "./support/webhook";

/** The app's answers that refused or failed, as "METHOD /path status". */
function watchRefusals(page: Page): string[] {
  const seen: string[] = [];
  page.on("response", (res) => {
    if (res.status() === 403 || res.status() >= 500)
      seen.push(`${res.request().method()} ${new URL(res.url()).pathname} ${res.status()}`);
  });
  return seen;
}

/** A small PDF of this run's own (ACCloud keeps one copy of a document: its digest must be new). */
const pdf = Buffer.from(
  `%PDF-1.4\n% care plan ${Date.now()}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
);

test.describe("[PROXY] behind nginx with TLS at a real hostname", () => {
  test("sign in, approve and send, add a document, change the approval, cancel, export the audit CSV, sign out: all through https://csi.test", async ({
    page,
    context,
    baseURL,
    signInPage,
    referralPage,
    auditPage,
  }) => {
    test.setTimeout(240_000);
    expect(baseURL).toMatch(/^https:\/\/csi\.test:\d+$/);
    const refusals = watchRefusals(page);
    // A request of its own, delivered as AlayaConnector does (a server: no Origin), through nginx too.
    const alayaConnector = await playwrightRequest.newContext({
      baseURL: `https://127.0.0.1:${new URL(baseURL!).port}`,
      ignoreHTTPSErrors: true,
    });
    const r = await deliverReferral(alayaConnector);
    await alayaConnector.dispose();
    const sandbox = openSandboxControl();

    // Sign in with the form (a server action through the proxy); the session cookie is the https one.
    await signInPage.goto();
    await signInPage.signIn(USERS.reviewer, PASSWORD);
    await expect(page).toHaveURL(/\/queue/);
    expect(new URL(page.url()).origin).toBe(baseURL);
    const session = (await context.cookies()).find((c) => c.name === "__Secure-authjs.session-token");
    expect(session).toMatchObject({ domain: "csi.test", secure: true, httpOnly: true });

    // Approve and send.
    await referralPage.goto(r.id);
    const end = day(62);
    await referralPage.editor.fillSendable({ start: day(2), end });
    await referralPage.editor.approve();
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });
    const accloudId = await readLatestAccloudReferralId(r.id);

    // A document after sending: the route handler behind the proxy takes the browser's Origin.
    const documents = page.getByTestId("documents-form");
    await documents
      .getByLabel("Add a document for the agency")
      .setInputFiles({ name: "care-plan.pdf", mimeType: "application/pdf", buffer: pdf });
    const [upload] = await Promise.all([
      page.waitForResponse((res) => res.url().endsWith(`/api/referrals/${r.id}/documents`)),
      documents.getByRole("button", { name: "Send document" }).click(),
    ]);
    expect(upload.status(), await upload.text()).toBe(201);
    await expect(documents.getByRole("status")).toHaveText("Document added: on its way to ACCloud.");
    const digest = createHash("sha256").update(pdf).digest("hex");
    await expect
      .poll(
        async () =>
          (await sandbox.state()).attachments.some(
            (a) => String(a.referral_id) === String(accloudId) && a.sha256 === digest,
          ),
        {
          timeout: 30_000,
        },
      )
      .toBe(true);

    // Change the approval: extend by a month and send the update.
    await referralPage.goto(r.id);
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });
    await page.getByRole("link", { name: "Change approval" }).click();
    const update = referralPage.editor;
    await update.root.getByRole("button", { name: "Extend by a month" }).click();
    await expect(update.field("End date")).toHaveValue(addOneMonth(end));
    await update.root.getByRole("button", { name: "Send update…" }).click();
    const confirm = page.getByTestId("confirm-update");
    await confirm.getByRole("button", { name: "Send update", exact: true }).click();
    // (The panel's title, not the toast: a push that ends before the page shows it running has no toast.)
    await expect(referralPage.push.progress.getByRole("heading", { level: 2 })).toHaveText("Update sent to ACCloud", {
      timeout: 30_000,
    });
    await expect(referralPage.push.status).toHaveText("Sent");

    // Cancel with a reason.
    await referralPage.cancelReferral({ label: "The client is in hospital" }, "Admitted this morning.");
    await expect(page.getByTestId("cancellation")).toContainText("The client is in hospital", { timeout: 30_000 });
    // The cancel's push ends (the push panel's live view, then the page's refresh).
    await expect(page.getByTestId("cancellation")).toContainText("Cancelled", { timeout: 30_000 });
    await expect(referralPage.push.status).toHaveText("Sent");
    const latestId = await readLatestAccloudReferralId(r.id);
    expect((await sandbox.state()).referrals.find((x) => x.id === latestId)).toMatchObject({
      status: "cancelled",
      reason_code: "client_hospitalization",
    });

    // Sign out (a server action): back at sign-in, the session cookie gone.
    await referralPage.signOut();
    await expect(page).toHaveURL(/\/sign-in\?reason=signed_out/);
    expect((await context.cookies()).some((c) => c.name.includes("authjs.session-token"))).toBe(false);

    // A supervisor exports this referral's audit trail as CSV, then signs out.
    await signInPage.signIn(USERS.supervisor, PASSWORD);
    await expect(page).toHaveURL(/\/queue/);
    await page.goto(`/audit?referral=${r.id}`);
    await expect(auditPage.eventsOf("referral.document_added")).toHaveCount(1);
    const [download] = await Promise.all([page.waitForEvent("download"), auditPage.exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{8}-\d{4}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    for (const action of ["referral.document_added", "referral.update_requested", "referral.cancel_requested"])
      expect(csv).toContain(action);
    expect(await countAuditExports(r.id)).toBe(1);
    await auditPage.signOut();
    await expect(page).toHaveURL(/\/sign-in\?reason=signed_out/);

    expect(refusals).toEqual([]);
  });
});
