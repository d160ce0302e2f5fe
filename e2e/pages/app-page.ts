import type { Page } from "@playwright/test";

/**
 * A page object drives one Playwright page. Subclasses declare their locators as fields: a
 * locator is a lazy query, run afresh at each use, so a field never holds a stale element.
 */
export class PageObject {
  constructor(readonly page: Page) {}
}

/** What every signed-in page has: the header's user and sign-out, a main heading, keyboard shortcuts. */
export class AppPage extends PageObject {
  readonly currentUser = this.page.getByTestId("current-user");
  readonly heading = this.page.getByRole("heading", { level: 1 });
  /** The shortcuts' help (the queue and the referral page open it with "?"). */
  readonly keyboardHelp = this.page.getByRole("dialog", { name: "Keyboard shortcuts" });

  async signOut(): Promise<void> {
    await this.page.getByRole("button", { name: "Sign out" }).click();
  }

  /** Clicks an empty corner so no field has focus and the page's keyboard shortcuts apply. */
  async focusBody(): Promise<void> {
    await this.page.locator("body").click({ position: { x: 5, y: 5 } });
  }
}
