import { STATUS_LABELS, formatDateTime } from "@/lib/format";
import { pushFailureWords } from "@/lib/audit-trail/describe";
import type { TimelineEntry } from "@/lib/referrals/detail";
import { Panel } from "@/components/ui/panel";
import { pushSentWords } from "@/lib/approval/push-steps";

const s = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));

function describe(e: TimelineEntry): { title: string; detail?: string } {
  const d = e.details;
  const to = STATUS_LABELS[s(d.to)] ?? s(d.to);
  switch (e.action) {
    case "referral.received":
      return { title: "Received" };
    case "referral.amended":
      return {
        title: `Amended (submission ${s(d.submission)})${d.afterDecision ? " after the decision" : ""}${Array.isArray(d.differentPerson) ? " · different person" : ""}`,
        detail: Array.isArray(d.changed)
          ? `${d.changed.length} change(s)${d.afterDecision ? "; waiting for a reviewer" : ""}`
          : undefined,
      };
    case "referral.same_person_confirmed":
      return { title: "Confirmed: the same person (a correction)", detail: s(d.note) };
    case "referral.continued_as_new_client":
      return { title: "The other person continues as a new client (a new request)" };
    case "referral.continues_as_new_client":
      return { title: "Started as a new client: the agency named another person in the request this one continues" };
    case "referral.amendment_dismissed":
      return { title: "Amendment answered: no change needed", detail: s(d.note) };
    case "referral.claimed":
      return { title: d.from !== d.to ? `Claimed · ${to}` : "Claimed" };
    case "referral.assigned":
      return { title: `Assigned to ${s(d.assignee)}${d.from !== d.to ? ` · ${to}` : ""}` };
    case "referral.unassigned":
      return { title: "Unassigned" };
    case "referral.pending_info":
      return { title: "Pending information", detail: s(d.note) };
    case "referral.rejected":
      return { title: `Rejected: ${s(d.reason) || s(d.reasonCode)}`, detail: s(d.comment) };
    case "referral.reopened":
      return { title: "Reopened · In review", detail: s(d.comment) || undefined };
    case "referral.approved":
      return {
        title: `Approved (revision ${s(d.revision)}) · sending to ACCloud`,
        detail: `${s(d.startDate)} to ${s(d.endDate)}, ${s(d.authorizations)} authorization(s)`,
      };
    case "approval.draft_saved":
      return { title: "Approval draft saved" };
    case "referral.update_requested":
      return {
        title: `Update approved (revision ${s(d.revision)}) · sending to ACCloud`,
        detail:
          [...(Array.isArray(d.reasons) ? d.reasons.map(s) : []), s(d.otherReason), s(d.revisionComment)]
            .filter(Boolean)
            .join("; ") || undefined,
      };
    case "referral.cancel_requested":
      return {
        title: "Cancel requested · sending to ACCloud",
        detail: [s(d.reason), s(d.comment)].filter(Boolean).join(" · ") || undefined,
      };
    case "referral.cancelled":
      return {
        title: "Cancelled (ACCloud never received it)",
        detail: [s(d.reason), s(d.comment)].filter(Boolean).join(" · ") || undefined,
      };
    case "referral.agency_processed":
      return { title: `Processed by the agency (ACCloud revision ${s(d.revision)})` };
    case "referral.agency_cancelled":
      return {
        title: "Cancelled in ACCloud by the agency",
        detail: [s(d.reasonCode), s(d.comment)].filter(Boolean).join(" · ") || undefined,
      };
    case "referral.document_added":
      return { title: "Document added · sending to ACCloud" };
    case "referral.documents_resent":
      return { title: "Latest submission's files · sending to ACCloud" };
    case "referral.sync_requested":
      return { title: "Read back from ACCloud" };
    case "push.started":
      return { title: d.resumed ? `Push resumed (attempt ${s(d.attempt)})` : `Push started (attempt ${s(d.attempt)})` };
    case "push.retrying":
      return {
        title: `ACCloud answered with an error; retrying in ${s(d.retryInSeconds)} s`,
        detail: pushFailureWords(d, true),
      };
    case "push.sent":
      return { title: pushSentWords(d.kind).title };
    case "push.failed":
      return { title: "Push to ACCloud failed", detail: pushFailureWords(d, true) };
    case "push.retried":
      return { title: d.corrected ? `Approval corrected (revision ${s(d.revision)}), push retried` : "Push retried" };
    default:
      return { title: e.action.replace(/^referral\./, "").replace(/_/g, " "), detail: d.to ? `→ ${to}` : undefined };
  }
}

/** The request's history from audit_events (reads are listed apart, for audit:read). */
export function Timeline({
  entries,
  title = "Timeline",
  id = "timeline",
}: {
  entries: TimelineEntry[];
  title?: string;
  id?: string;
}) {
  return (
    <Panel id={`${id}-title`} title={title} testId={id}>
      {entries.length ? (
        <ol className="space-y-3 px-4 py-3">
          {entries.map((e) => {
            const { title: t, detail } = describe(e);
            return (
              <li key={e.id} className="border-l-2 border-slate-300 pl-3 text-sm" data-action={e.action}>
                <p className="font-medium text-slate-900">{t}</p>
                {detail ? <p className="whitespace-pre-wrap text-slate-800">{detail}</p> : null}
                <p className="text-xs text-slate-700">
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {e.actorLabel}
                </p>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="px-4 py-3 text-sm text-slate-700">Nothing yet.</p>
      )}
    </Panel>
  );
}
