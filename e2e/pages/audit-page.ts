import type { Locator } from "@playwright/test";
import { AppPage } from "./app-page";

/** /audit: the filtered trail, who saw a request, the event details and the CSV export. */
export class AuditPage extends AppPage {
  readonly events = this.page.getByTestId("audit-events");
  /** "N events match these filters". */
  readonly total = this.page.getByTestId("audit-total");
  readonly whoSaw = this.page.getByTestId("who-saw");
  readonly exportButton = this.page.getByTestId("audit-export");

  async goto(): Promise<void> {
    await this.page.goto("/audit");
  }

  filter(label: "Referral (id or request id)" | "User (e-mail)"): Locator {
    return this.page.getByLabel(label);
  }

  /** The listed events of one action ("referral.viewed"…). */
  eventsOf(action: string): Locator {
    return this.events.locator(`[data-action="${action}"]`);
  }

  /** The actions of the listed events, top to bottom. */
  async readActions(): Promise<Array<string | null>> {
    return this.events.locator("li[data-action]").evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
  }
}
