import { expect, signInBeforeEach, test } from "./fixtures";
import { readAmendmentFlag } from "./support/db";
import { expectAccessible, expectAccessibleAtBothWidths, takeScreenshot } from "./support/screenshots";
import { postReferral, readReferencePayload } from "./support/webhook";

test.describe("[AMENDMENT]", () => {
  signInBeforeEach("reviewer");

  test("before a decision an amendment shows against the original; after a rejection it is flagged in the queue and on the page, never absorbed, and answered with a note", async ({
    page,
    request,
    queuePage,
    referralPage,
  }) => {
    const payload = { ...readReferencePayload(), request_id: crypto.randomUUID() };
    const { id } = await postReferral(request, payload);
    /** The agency sends the same request again with another service frequency. */
    const amend = async (frequency: string) => {
      const next = structuredClone(payload);
      next.form_data.fields.find((f) => f.field_label === "Service frequency")!.field_value = frequency;
      await postReferral(request, next);
    };
    // Before any decision: the reviewer sees what changed against the original.
    await amend("Three times a week");
    await referralPage.goto(id);
    await expect(page.getByTestId("amendments").getByRole("row", { name: /Service frequency/ })).toContainText(
      "Three times a week",
    );
    await expect(referralPage.field("Service frequency")).toContainText("Changed");
    await expect(page.getByTestId("amended-after-decision-panel")).toHaveCount(0);

    // Rejected through the page.
    const panel = referralPage.workPanel;
    await referralPage.reject({ index: 1 }, "The client lives outside the service area.");
    await expect(panel.getByTestId("rejection")).toBeVisible();

    // The agency amends its request afterwards: a new service frequency.
    await amend("Every day");
    expect(await readAmendmentFlag(id)).toEqual({ status: "rejected", flagged: true });

    // The queue's tab lists it with its badge.
    await queuePage.goto({ tab: "amended" });
    const queueRow = queuePage.rowOf(id);
    await expect(queueRow).toBeVisible();
    await expect(queueRow.getByTestId("amended-after-decision")).toHaveText("Amended after decision");
    await expectAccessible(page, "queue-amended@1280");
    await takeScreenshot(page, "queue-amended-1280");

    // The page shows the change against what was decided.
    await queueRow.locator(`a[href="/referrals/${id}"]`).click();
    const banner = page.getByTestId("amended-after-decision-panel");
    await expect(banner).toContainText("Amended after the decision");
    await expect(banner.getByRole("row", { name: /Service frequency/ })).toContainText("Every day");
    await expectAccessibleAtBothWidths(page, "referral-amended");

    // Answered: no change needed, with a note. The flag goes; the request stays rejected.
    await panel.getByRole("button", { name: "Amendment: no change needed" }).click();
    await panel.getByRole("button", { name: "Mark the amendment as answered" }).click();
    await expect(panel.getByText("Say why the amendment needs no change")).toBeVisible();
    await panel
      .getByLabel("Why does the amendment need no change?")
      .fill("Frequency does not change the service area decision.");
    await panel.getByRole("button", { name: "Mark the amendment as answered" }).click();
    await expect(page.getByTestId("amended-after-decision-panel")).toHaveCount(0);
    await expect(page.getByTestId("amendments")).toBeVisible();
    await expect(referralPage.timeline).toContainText("Amendment answered: no change needed");
    expect(await readAmendmentFlag(id)).toEqual({ status: "rejected", flagged: false });
  });
});
