import type { Locator } from "@playwright/test";
import { signInOverHttp, type Role } from "../support/auth";
import { AppPage } from "./app-page";

export type QueueQuery = Partial<Record<"tab" | "agency" | "service" | "assigned" | "rid", string>>;

/** /queue: the review queue, its tabs, filters, search, rows and keyboard. */
export class QueuePage extends AppPage {
  readonly rows = this.page.locator("[data-queue-row]");
  readonly currentTab = this.page.getByRole("navigation", { name: "Status" }).locator('[aria-current="page"]');
  readonly searchBox = this.page.getByLabel(/Client name or request id/);
  readonly clearSearchButton = this.page.getByRole("button", { name: "Clear search" });
  /** The notice of requests that arrived since the list was drawn. */
  readonly newRequests = this.page.getByTestId("new-requests");

  /** The queue with these filters in its URL, in the order given. */
  async goto(query: QueueQuery = {}): Promise<void> {
    const search = new URLSearchParams(query as Record<string, string>).toString();
    await this.page.goto(search ? `/queue?${search}` : "/queue");
  }

  /** Signs the page in as `role` over HTTP (as the `signedInAs` fixture does) and opens the queue. */
  async openAs(role: Role): Promise<void> {
    await signInOverHttp(this.page.request, role);
    await this.goto();
  }

  /** The row of a request, by its request id. */
  row(requestId: string): Locator {
    return this.page.locator(`[data-request-id="${requestId}"]`);
  }

  /** The row of a referral, by the referral's id (not the rows naming it as a possible duplicate). */
  rowOf(referralId: string): Locator {
    return this.page.locator(`[data-queue-row]:has(a[data-row-link][href="/referrals/${referralId}"])`);
  }

  /** A tab's count ("new", "cancelled"…). */
  tabCount(tab: string): Locator {
    return this.page.locator(`[data-count="${tab}"]`);
  }

  /** The request ids of the rows shown, top to bottom. */
  async readRequestIds(): Promise<Array<string | null>> {
    return this.rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-request-id")));
  }

  /** Waits until the queue's keyboard shortcuts are listening. */
  async waitForKeys(): Promise<void> {
    await this.page.locator("html[data-queue-keys=ready]").waitFor({ state: "attached" });
  }

  async search(text: string): Promise<void> {
    await this.searchBox.fill(text);
    await this.page.getByRole("button", { name: "Search", exact: true }).click();
  }
}
