import { expect, signInBeforeEach, test } from "./fixtures";
import { USERS } from "./support/auth";
import { readAuditActionsByUser, readReferralRequestId } from "./support/db";
import { expectAccessibleAtBothWidths } from "./support/screenshots";
import { deliverReferral, setRequestParts, type RequestParts } from "./support/webhook";

/** A client no other spec delivers: an agency, agency client id and birthday of its own. */
function newClient(): RequestParts {
  const n = Math.floor(Math.random() * 1e9);
  return {
    agency: { orgId: crypto.randomUUID(), name: "Duplicate Check Home Care" },
    clientId: 1_000_000_000 + n,
    firstName: "Rosalind",
    lastName: "Okonkwo-Fairweather",
    birthday: `19${String(10 + (n % 80))}-0${1 + (n % 9)}-1${n % 10}`,
    service: "PT",
    start: "2026-11-01",
    end: "2026-12-31",
  };
}

test.describe("[DUPLICATES]", () => {
  signInBeforeEach("reviewer");

  test("a request for a known client is possibly the same request as the other, on its page and its queue row, until a reviewer says it is not (audited, and it sticks)", async ({
    page,
    request,
    queuePage,
    referralPage,
  }) => {
    test.setTimeout(120_000);
    const client = newClient();
    const first = await deliverReferral(request, (p) => setRequestParts(p, client));
    // The same agency client id, a service named another way, dates that overlap.
    const second = await deliverReferral(request, (p) =>
      setRequestParts(p, { ...client, service: "Physical Therapy", start: "2026-12-01", end: "2027-01-31" }),
    );
    const firstRid = (await readReferralRequestId(first.id)).slice(0, 8);
    const secondRid = (await readReferralRequestId(second.id)).slice(0, 8);

    await referralPage.goto(second.id);
    const panel = page.getByTestId("possible-duplicates");
    await expect(panel).toContainText(`Possibly the same request as ${firstRid}`);
    await expect(panel).toContainText("Same agency client id; same service (PT); dates overlap.");
    await expect(panel.getByRole("link", { name: firstRid })).toHaveAttribute("href", `/referrals/${first.id}`);
    await expectAccessibleAtBothWidths(page, "referral-duplicate");

    // The queue row says it too, and links to the other request.
    await queuePage.goto({ agency: client.agency!.orgId });
    const row = queuePage.rowOf(second.id);
    await expect(row).toContainText(`Possibly the same request as ${firstRid}`);
    await expectAccessibleAtBothWidths(page, "queue-duplicate");
    await row.getByRole("link", { name: firstRid }).click();
    await expect(page).toHaveURL(new RegExp(`/referrals/${first.id}$`));

    // Both ways round: the first request is possibly the same as the second. A reviewer says it is not.
    await expect(panel).toContainText(`Possibly the same request as ${secondRid}`);
    await panel.getByRole("button", { name: `Not a duplicate of ${secondRid}` }).click();
    await expect(panel.getByRole("status")).toHaveText(`Marked: not the same request as ${secondRid}.`);
    await page.reload();
    await expect(page.getByTestId("possible-duplicates")).toHaveCount(0);
    await referralPage.goto(second.id);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("possible-duplicates")).toHaveCount(0);
    await queuePage.goto({ agency: client.agency!.orgId });
    await expect(queuePage.rowOf(second.id)).toBeVisible();
    await expect(queuePage.rows.filter({ hasText: "Possibly the same request as" })).toHaveCount(0);
    for (const id of [first.id, second.id])
      expect(await readAuditActionsByUser(id, USERS.reviewer)).toContain("review.not_duplicate");
  });
});
