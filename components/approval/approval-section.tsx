import { Link } from "@/components/ui/link";
import type { ApprovalPanel } from "@/lib/approval/view";
import { card } from "@/components/ui/styles";
import { ApprovalEditor } from "./approval-editor";
import { ApproveAsDrafted } from "./approve-as-drafted";
import { RetryButton } from "./retry-button";

/**
 * The approval part of the detail page, as lib/approval/view.ts read it: the authorization editor
 * while the request can be approved, its failed push retried, or (once sent) its approval changed.
 */
export function ApprovalSection({ panel, referralId }: { panel: ApprovalPanel; referralId: string }) {
  switch (panel.kind) {
    case "none":
      return null;
    case "retry_as_is":
      return (
        <div className={`${card} space-y-2 p-4`} id="approval">
          <h2 className="text-base font-semibold">
            {panel.pushKind === "cancel" ? "The cancel did not reach ACCloud" : "Documents did not reach ACCloud"}
          </h2>
          <p className="text-sm text-slate-800">Fix what ACCloud reported (beside the failed step), then try again.</p>
          <RetryButton
            referralId={referralId}
            version={panel.version}
            label={panel.pushKind === "cancel" ? "Retry the cancel" : "Retry sending the documents"}
          />
        </div>
      );
    case "paused":
      return (
        <p className={`${card} p-4 text-sm`} role="status" id="approval">
          ACCloud reference data (service codes, funders, trusted network) has not been loaded yet, so approvals are
          paused. It loads at start and every hour.
        </p>
      );
    case "sent":
      return (
        <div className={`${card} flex flex-wrap items-center justify-between gap-3 p-4`} id="approval">
          <div className="text-sm">
            <h2 className="text-base font-semibold">Sent to the agency</h2>
            <p className="text-slate-800">
              {panel.processed ? "The agency processed it." : "Waiting for the agency to process it."} Change the dates,
              limits or case manager with a new revision.
            </p>
            {panel.differentPerson ? (
              <p
                className="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-red-900"
                data-testid="update-refused"
              >
                &ldquo;Send update&rdquo; is refused. {panel.differentPerson}
              </p>
            ) : null}
          </div>
          <Link
            href={`/referrals/${referralId}?edit=1#approval`}
            className="inline-flex rounded-md bg-blue-800 px-3 py-2 text-sm font-medium text-white hover:bg-blue-900"
            data-shortcut="edit"
          >
            Change approval
          </Link>
        </div>
      );
    case "editor":
      return (
        <div className="space-y-4" id="approval">
          {panel.editor.mode === "approve" && panel.editor.draft?.asDrafted ? (
            <ApproveAsDrafted
              referralId={referralId}
              version={panel.editor.version}
              values={panel.editor.draft.asDrafted.values}
              summary={panel.editor.draft.asDrafted.summary}
            />
          ) : null}
          <ApprovalEditor {...panel.editor} />
        </div>
      );
  }
}
