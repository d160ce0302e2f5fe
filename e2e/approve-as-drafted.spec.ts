import { expect, signInBeforeEach, test } from "./fixtures";
import { formatDayFromToday as day } from "./support/dates";
import { readReferralRequestId, readReferralStatus } from "./support/db";
import { expectAccessible, PHONE, DESKTOP, takeScreenshot } from "./support/screenshots";
import { deliverReferral, setFormField, setRequestParts } from "./support/webhook";

/** A trusted agency (in the sandbox's network) and an insurer no demo data names. */
const AGENCY = { orgId: "c2d9e8f7-5b4a-4c3d-8e2f-1a0b9c8d7e62", name: "Bluegrass Home Health" };

test.describe("[APPROVE AS DRAFTED]", () => {
  signInBeforeEach("reviewer");

  test("a second referral from an agency and insurer seen once: open, approve, confirm — three actions, nothing typed", async ({
    page,
    request,
    queuePage,
    referralPage,
  }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const insurer = `Northwind Mutual ${tag}`;
    const deliver = (n: number, insurance: string) =>
      deliverReferral(request, (p) => {
        setRequestParts(p, {
          agency: AGENCY,
          clientId: 900_000 + Math.floor(Math.random() * 99_999),
          firstName: n === 1 ? "Ivy" : "Oscar",
          lastName: `Drafted-${tag}-${n}`,
          birthday: n === 1 ? "1941-03-07" : "1938-11-21",
          service: "OT",
          start: day(3),
          end: day(45),
        });
        setFormField(p, "Primary insurance name", insurance);
        setFormField(p, "Service frequency", "2x/wk x 4 wks, then 1x/wk x 2 wks");
        setFormField(p, "Service authorizations", null);
      });

    // Set-up, not counted: the first referral from this agency and insurer, where the reviewer
    // chooses the funder (no approval, no ACCloud funder named like it: nothing to suggest).
    const first = await deliver(1, insurer);
    await referralPage.goto(first.id);
    const editor = referralPage.editor;
    await expect(editor.draftStatus).toHaveAttribute("data-complete", "false");
    await expect(editor.draftStatus).toContainText("choose the funder");
    await editor.field("Funder (single funder, 100%)").selectOption({ label: "Kentucky Medicaid" });
    await editor.approve();
    await expect(referralPage.push.progress).toBeVisible();
    expect(await readReferralStatus(first.id)).not.toBe("new");

    // The second one, the insurer written another way.
    const second = await deliver(2, `Northwind Mutual ${tag} Insurance Co.`);
    const requestId = await readReferralRequestId(second.id);
    await queuePage.goto({ tab: "new", rid: requestId });
    await expect(queuePage.rows).toHaveCount(1);
    await queuePage.waitForKeys();

    let actions = 0;
    const press = async (key: string) => {
      actions++;
      await page.keyboard.press(key);
    };
    // 1. Enter: the queue opens its first request.
    await press("Enter");
    await expect(page).toHaveURL(new RegExp(`/referrals/${second.id}`));
    await referralPage.waitForKeys();
    const offer = page.getByTestId("approve-as-drafted");
    await expect(offer).toBeVisible();
    await expect(editor.source("funderId")).toContainText(
      `chosen in 1 of 1 approval for ‘Northwind Mutual ${tag} Insurance Co.’`,
    );

    // 2. a: what goes to ACCloud, each value with its source.
    await press("a");
    const confirm = page.getByTestId("confirm-as-drafted");
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText("Kentucky Medicaid (single funder, 100%)");
    await expect(confirm).toContainText(`chosen in 1 of 1 approval for ‘Northwind Mutual ${tag} Insurance Co.’`);
    await expect(confirm).toContainText("Authorization 1 of 2");
    await expect(confirm).toContainText("2 visits a week");
    await expect(confirm).toContainText("1 visit a week");
    await expect(confirm.getByRole("button", { name: "Approve and send" })).toBeFocused();
    await expectAccessible(page, "approve-as-drafted@1280");
    await takeScreenshot(page, "approve-as-drafted-confirm", { fullPage: false });

    // 3. Enter: approved and sent.
    await press("Enter");
    await expect(referralPage.push.status).toHaveText("Sent", { timeout: 30_000 });
    expect(await readReferralStatus(second.id)).toBe("sent");
    console.log(`[APPROVE AS DRAFTED] reviewer actions from the queue to "sent": ${actions}, nothing typed`);
    expect(actions).toBe(3);
  });

  test("the editor shows each drafted value's source and its other choices (1280 and 390 px)", async ({
    page,
    request,
    referralPage,
  }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    // Realistic long data: a long insurer and service, a two-phase frequency, the client's own case manager.
    const { id } = await deliverReferral(request, (p) => {
      setRequestParts(p, {
        agency: { orgId: "3f6b2a10-7c1e-4d2b-9a55-2b1f0c9e4a11", name: "Miami Valley Nursing" },
        clientId: 2004,
        firstName: "Bartholomew-Alexander",
        lastName: `Vanderhoeven-Castellanos ${tag}`,
        birthday: "1936-02-29",
        service: "OT",
        start: day(1),
        end: day(90),
      });
      setFormField(p, "Primary insurance name", "CareSource");
      setFormField(p, "Service frequency", "2x/wk x 4 wks, then 1x/wk x 4 wks, then every other week x 4 wks");
      setFormField(p, "Service authorizations", "24 visits total");
    });
    await referralPage.goto(id);
    const editor = referralPage.editor;
    await expect(editor.source("funderId")).toContainText("for ‘CareSource’");
    await expect(editor.source("caseManager.name")).toContainText("this client's case manager");
    await editor.source("funderId").getByRole("button", { name: "Other choices" }).click();
    await expect(editor.source("funderId")).toContainText("OptionCare CSI");
    for (const [size, name] of [
      [DESKTOP, "approval-editor-sources@1280"],
      [PHONE, "approval-editor-sources@390"],
    ] as const) {
      await page.setViewportSize(size);
      await expectAccessible(page, name);
      await editor.root.scrollIntoViewIfNeeded();
      await takeScreenshot(page, name);
    }
    await page.setViewportSize(DESKTOP);
  });
});
