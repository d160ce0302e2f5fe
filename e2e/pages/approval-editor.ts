import { PageObject } from "./app-page";

/** The editor's fields that a label names alone (the case manager's "Name" needs an exact match). */
export type EditorFieldLabel =
  | "Start date"
  | "End date"
  | "Member number"
  | "Service code"
  | "Funder (single funder, 100%)"
  | "Weekly limit"
  | "Limit for the period";

/** The approval editor on a referral page: the first approval, a fix and retry after a failed push, and a change after sending. */
export class ApprovalEditor extends PageObject {
  readonly root = this.page.getByTestId("approval-editor");
  readonly caseManagerName = this.root.getByLabel("Name", { exact: true });
  /** What the agency's form said, beside the fields it fills. */
  readonly formHints = this.root.getByTestId("form-hints");
  readonly rulePreview = this.root.getByTestId("rule-preview");
  /** The draft as a whole: drafted in full (data-complete="true") or what is left to do. */
  readonly draftStatus = this.root.getByTestId("draft-status");

  /** Where a drafted value came from, under its field (by the field's path: "funderId", "caseManager.name"). */
  source(path: string) {
    return this.root.getByTestId(`source-${path}`);
  }

  field(label: EditorFieldLabel) {
    return this.root.getByLabel(label);
  }

  /**
   * What the prefilled reference form lacks for ACCloud to take it: dates in the future, a
   * funder (the form's insurer is not an ACCloud funder) and the case manager's name.
   */
  async fillSendable({ start, end }: { start: string; end: string }): Promise<void> {
    await this.field("Start date").fill(start);
    await this.field("End date").fill(end);
    await this.field("Funder (single funder, 100%)").selectOption({ label: "OptionCare CSI" });
    await this.caseManagerName.fill("Casey Manager");
  }

  async approve(): Promise<void> {
    await this.root.getByRole("button", { name: "Approve and send to ACCloud" }).click();
  }
}
