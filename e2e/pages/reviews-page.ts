import type { Locator } from "@playwright/test";
import { AppPage } from "./app-page";

/** /reviews: second reviews waiting (for a supervisor) and disagreements with one's approvals (for a reviewer). */
export class ReviewsPage extends AppPage {
  readonly pending = this.page.getByTestId("reviews-pending");
  readonly disagreed = this.page.getByTestId("reviews-disagreed");

  async goto(): Promise<void> {
    await this.page.goto("/reviews");
  }

  /** The waiting review of a request, found by the first 8 characters of its request id. */
  pendingOf(requestId: string): Locator {
    return this.pending.locator("tr").filter({ hasText: requestId.slice(0, 8) });
  }
}
