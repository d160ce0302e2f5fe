import type { Locator } from "@playwright/test";
import { signInOverHttp, type Role } from "../support/auth";
import { AppPage } from "./app-page";
import { ApprovalEditor } from "./approval-editor";
import { PushPanel } from "./push-panel";

/** A reason in the reject form, by its label or by its place in the list. */
export type RejectReason = { label: string } | { index: number };

/** /referrals/[id]: the request, its work panel (decisions), the approval editor and the push. */
export class ReferralPage extends AppPage {
  readonly editor = new ApprovalEditor(this.page);
  readonly push = new PushPanel(this.page);
  /** The decisions: reject, pending information, reopen, the amendment's answer. */
  readonly workPanel = this.page.getByTestId("work-panel");
  readonly timeline = this.page.getByTestId("timeline");
  /** The payload as delivered, collapsed. */
  readonly rawPayload = this.page.getByTestId("raw-payload");
  /** A supervisor's second-review form. */
  readonly secondReview = this.page.getByTestId("second-review");
  /** The dialog of "Cancel referral": a reason and a comment for the agency. */
  readonly cancelDialog = this.page.getByTestId("cancel-dialog");

  /** Opens the request's page; `suffix` is a query and/or hash ("?from=1&to=2#revisions"). */
  async goto(referralId: string, suffix = ""): Promise<void> {
    await this.page.goto(`/referrals/${referralId}${suffix}`);
  }

  /** Signs the page in as `role` over HTTP (as the `signedInAs` fixture does) and opens the request's page. */
  async openAs(role: Role, referralId: string): Promise<void> {
    await signInOverHttp(this.page.request, role);
    await this.goto(referralId);
  }

  /** The field of the form with this label (its label and value). */
  field(label: string): Locator {
    return this.page.locator(`[data-field-label="${label}"]`);
  }

  /** Only the value of the field with this label. */
  fieldValue(label: string): Locator {
    return this.field(label).locator("[data-field-value]");
  }

  /** Waits until the page's keyboard shortcuts are listening. */
  async waitForKeys(): Promise<void> {
    await this.page.locator("html[data-referral-keys=ready]").waitFor({ state: "attached" });
  }

  async openRejectForm(): Promise<void> {
    await this.workPanel.getByRole("button", { name: "Reject", exact: true }).click();
  }

  async fillRejectForm(reason: RejectReason, comment: string): Promise<void> {
    await this.workPanel.getByLabel("Reason").selectOption(reason);
    await this.workPanel.getByLabel("Comment").fill(comment);
  }

  async submitRejection(): Promise<void> {
    await this.workPanel.getByRole("button", { name: "Reject request" }).click();
  }

  /** Opens the reject form, fills it and submits it. */
  async reject(reason: RejectReason, comment: string): Promise<void> {
    await this.openRejectForm();
    await this.fillRejectForm(reason, comment);
    await this.submitRejection();
  }

  async markPendingInformation(missing: string): Promise<void> {
    await this.workPanel.getByRole("button", { name: "Pending information" }).click();
    await this.workPanel.getByLabel("What information is missing?").fill(missing);
    await this.workPanel.getByRole("button", { name: "Mark pending information" }).click();
  }

  /** Opens the cancel dialog and fills in its reason (by label or value) and comment, without confirming. */
  async fillCancelDialog(reason: { label: string } | { value: string }, comment: string): Promise<void> {
    await this.page.getByRole("button", { name: "Cancel referral" }).click();
    await this.cancelDialog.getByLabel("Reason").selectOption(reason);
    await this.cancelDialog.getByLabel(/Comment for the agency/).fill(comment);
  }

  /** Fills the cancel dialog and confirms it. */
  async cancelReferral(reason: { label: string } | { value: string }, comment: string): Promise<void> {
    await this.fillCancelDialog(reason, comment);
    await this.cancelDialog.getByRole("button", { name: "Cancel referral" }).click();
  }
}
