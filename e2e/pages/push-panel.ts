import { PageObject } from "./app-page";

/** The push to ACCloud as the referral page reports it: its status, its steps and the toast at the end. */
export class PushPanel extends PageObject {
  /** "Sent", "Failed"… of the latest push. */
  readonly status = this.page.getByTestId("push-status");
  readonly progress = this.page.getByTestId("push-progress");
  readonly toast = this.page.getByTestId("toast");

  /** One step of the push ("client", "service", "authorizations"…), with its data-status. */
  step(name: string) {
    return this.progress.getByTestId(`push-step-${name}`);
  }
}
