import { expect, test } from "@playwright/test";
import { db, deliverReferral, one, signInAs, USERS } from "./ui-fixtures";

const rows = (page: import("@playwright/test").Page) => page.locator("[data-queue-row]");

test.describe("[QUEUE]", () => {
  test.beforeEach(async ({ page }) => {
    await signInAs(page, USERS.reviewer);
  });

  test("filters live in the URL: a shared link opens the same view", async ({ page }) => {
    const agency = (await db().query("select org_id, name from referral_agencies where name = 'Miami Valley Nursing'")).rows[0] as { org_id: string; name: string };
    await page.goto(`/queue?agency=${agency.org_id}&service=PT`);
    await expect(page.getByLabel("Agency")).toHaveValue(agency.org_id);
    await expect(page.getByLabel("Service")).toHaveValue("PT");
    const n = await rows(page).count();
    expect(n).toBeGreaterThan(0);
    for (const row of await rows(page).all()) {
      await expect(row).toContainText("Miami Valley Nursing");
      await expect(row).toContainText("PT");
    }
    // The tab count follows the agency and service filters exactly.
    const expected = (await db().query("select count(*)::int as n from referral_requests where agency_org_id = $1 and service_requested = 'PT' and status = 'new'", [agency.org_id])).rows[0].n;
    await expect(page.locator('[data-count="new"]')).toHaveText(String(expected));

    // Applying filters with the form is a navigation to a new URL.
    await page.getByLabel("Service").selectOption("OT");
    await page.getByLabel("Overdue only").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`agency=${agency.org_id}.*service=OT.*overdue=1`));
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/queue$/);
  });

  test("search: a name stays out of the URL; a request id goes in it", async ({ page }) => {
    const r = await one<{ last: string; request_id: string }>(
      "select client_last_name as last, request_id from referral_requests where status = 'new' and request_id like '%-%' order by received_at desc limit 1",
    );
    const expected = (await one<{ n: number }>("select count(*)::int as n from referral_requests where status = 'new' and lower(client_last_name) like lower($1) || '%'", [r.last])).n;
    await page.goto("/queue");
    await page.locator("html[data-queue-keys=ready]").waitFor({ state: "attached" });
    await page.keyboard.press("/");
    await expect(page.getByLabel(/Client name or request id/)).toBeFocused();
    await page.keyboard.type(r.last);
    await page.keyboard.press("Enter");
    await expect(page.getByText(`name starts with “${r.last}”`)).toBeVisible();
    await expect(rows(page)).toHaveCount(expected);
    for (const row of await rows(page).all()) await expect(row.locator("[data-row-link]")).toContainText(r.last);
    expect(page.url()).not.toContain(r.last);
    await page.getByRole("button", { name: "Clear search" }).click();
    await expect(page.getByText("name starts with")).toHaveCount(0);

    await page.getByLabel(/Client name or request id/).fill(r.request_id.slice(0, 8));
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`rid=${r.request_id.slice(0, 8)}`));
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toHaveAttribute("data-request-id", r.request_id);
    await page.getByRole("button", { name: "Clear search" }).click();
    await expect(page).not.toHaveURL(/rid=/);
  });

  test("claim with the button and with the keyboard (j, c), then open with Enter", async ({ page }) => {
    const ready = () => page.locator("html[data-queue-keys=ready]").waitFor({ state: "attached" });
    await page.goto("/queue?assigned=unassigned");
    await ready();
    const first = rows(page).first();
    const rid = (await first.getAttribute("data-request-id"))!;
    const client = (await first.locator("[data-row-link]").textContent())!;
    await first.getByRole("button", { name: `Claim the request for ${client}` }).click();
    // Claimed: it left "New" for "In review", and it is mine.
    await expect(page.locator(`[data-request-id="${rid}"]`)).toHaveCount(0);
    await page.goto("/queue?tab=in_review&assigned=me");
    await expect(page.locator(`[data-request-id="${rid}"]`)).toContainText("You");

    await page.goto("/queue?assigned=unassigned");
    await ready();
    const second = rows(page).nth(1);
    const rid2 = (await second.getAttribute("data-request-id"))!;
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(second.locator("[data-row-link]")).toBeFocused();
    await expect(second).toHaveAttribute("data-selected", "");
    await page.keyboard.press("c");
    await expect(page.locator(`[data-request-id="${rid2}"]`)).toHaveCount(0);
    await page.goto("/queue?tab=in_review&assigned=me");
    await ready();
    await expect(page.locator(`[data-request-id="${rid2}"]`)).toContainText("You");
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/referrals\/[0-9a-f-]{36}$/);
  });

  test("keyboard help opens with ?", async ({ page }) => {
    await page.goto("/queue");
    await page.locator("html[data-queue-keys=ready]").waitFor({ state: "attached" });
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Claim the selected request");
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });

  test("a new request announces itself without reloading or moving the list", async ({ page, request }) => {
    await page.clock.install();
    await page.goto("/queue");
    const before = await rows(page).first().getAttribute("data-request-id");
    const countBefore = Number(await page.locator('[data-count="new"]').textContent());
    await deliverReferral(request, (p) => {
      p.client = { ...p.client, first_name: "Newly", last_name: "Arrived" };
    });
    await page.clock.fastForward(16_000);
    await expect(page.getByTestId("new-requests")).toContainText("1 new referral request");
    await expect(page.locator('[data-count="new"]')).toHaveText(String(countBefore + 1));
    expect(await rows(page).first().getAttribute("data-request-id")).toBe(before); // the list did not move
    await page.getByTestId("new-requests").getByRole("button", { name: "Show" }).click();
    await expect(rows(page).first()).toContainText("Newly Arrived");
    await expect(page.getByTestId("new-requests")).toHaveCount(0);
  });

  test("keyset pagination walks 55 rows of the same millisecond without losing or repeating one", async ({ page }) => {
    // Cancelled rows of an agency of their own, 1 µs apart: a JavaScript-Date cursor would skip rows here.
    const org = crypto.randomUUID();
    await db().query(
      `insert into referral_requests (request_id, status, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
         client_external_id, client_first_name, client_last_name, client_timezone, received_at)
       select 'e2e-page-' || g, 'cancelled', 'Paging Agency', 'https://x', 1, $1, 'UTC', g, 'Page', 'Row ' || lpad(g::text, 2, '0'), 'UTC',
         '2026-01-01 00:00:00.5'::timestamptz + g * interval '1 microsecond'
       from generate_series(1, 55) g`,
      [org],
    );
    await page.goto(`/queue?tab=cancelled&agency=${org}`);
    await expect(page.locator('[data-count="cancelled"]')).toHaveText("55");
    const ids = async () => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-request-id")));
    const first = await ids();
    expect(first).toHaveLength(50);
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(rows(page)).toHaveCount(5);
    const second = await ids();
    expect(new Set([...first, ...second]).size).toBe(55);
    expect(first[0]).toBe("e2e-page-55"); // newest first
    expect(second[4]).toBe("e2e-page-1");
    await expect(page.getByRole("link", { name: "Next →" })).toHaveCount(0);
    await page.getByRole("link", { name: "← Previous" }).click();
    await expect(rows(page)).toHaveCount(50);
    expect(await ids()).toEqual(first);
  });
});
