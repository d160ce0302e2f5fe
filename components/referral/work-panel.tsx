import { ClaimButton } from "@/components/queue/claim-button";
import { hasScope } from "@/lib/access/scopes";
import { type Actor } from "@/lib/access/actors";
import { formatDateTime } from "@/lib/format";
import { CANCEL_REASON_LABELS, type CancelReasonCode } from "@/lib/approval/after-sending-constants";
import type { ReferralDetail } from "@/lib/referrals/detail";
import { CancelReferral } from "./cancel-referral";
import { DecisionPanel } from "./decision-panel";
import { Panel } from "@/components/ui/panel";

const WORKABLE = new Set(["new", "in_review", "pending_info"]);

/** Assignment and decisions; what a role may not do is not offered (the server refuses it anyway). */
export function WorkPanel({
  d,
  actor,
  reasons,
}: {
  d: ReferralDetail;
  actor: Actor;
  reasons: Array<{ code: string; label: string }>;
}) {
  const live = d.assignee?.active ? d.assignee : null;
  const s = d.snapshot;
  const reasonLabel = s.decisionReasonCode
    ? (reasons.find((r) => r.code === s.decisionReasonCode)?.label ?? s.decisionReasonCode)
    : null;
  return (
    <Panel id="work-title" title="Review" testId="work-panel">
      <div className="space-y-4 px-4 py-3">
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <p data-testid="assignee">
            <span className="text-slate-700">Assignee: </span>
            {live ? (
              <strong>{live.id === actor.id ? "You" : live.name}</strong>
            ) : d.assignee ? (
              <span>Nobody (claim by {d.assignee.name} lapsed)</span>
            ) : (
              <span>Nobody</span>
            )}
          </p>
          {WORKABLE.has(s.status) ? (
            hasScope(actor, "referral:claim") ? (
              !live ? (
                <ClaimButton id={d.id} mode="claim" clientName={d.client.name} />
              ) : live.id === actor.id ? (
                <ClaimButton id={d.id} mode="release" clientName={d.client.name} />
              ) : null
            ) : hasScope(actor, "referral:assign") && live ? (
              <ClaimButton id={d.id} mode="unassign" clientName={d.client.name} />
            ) : null
          ) : null}
        </div>
        {s.status === "pending_info" && s.pendingInfoNote ? (
          <div
            className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
            data-testid="pending-note"
          >
            <p className="font-semibold">Information requested</p>
            <p className="whitespace-pre-wrap">{s.pendingInfoNote}</p>
          </div>
        ) : null}
        {s.status === "rejected" ? (
          <div
            className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-950"
            data-testid="rejection"
          >
            <p className="font-semibold">Rejected: {reasonLabel}</p>
            {s.decisionComment ? <p className="whitespace-pre-wrap">{s.decisionComment}</p> : null}
            {d.decidedBy && d.decidedAt ? (
              <p className="mt-1 text-xs">
                by {d.decidedBy}, {formatDateTime(d.decidedAt)}
              </p>
            ) : null}
          </div>
        ) : null}
        {hasScope(actor, "referral:decide") &&
        hasScope(actor, "referral:push") &&
        (WORKABLE.has(s.status) || s.status === "push_failed") ? (
          <a
            href="#approval"
            className="inline-flex rounded-md bg-blue-800 px-3 py-2 text-sm font-medium text-white hover:bg-blue-900"
          >
            {s.status === "push_failed" ? "Fix and retry the approval" : "Go to the authorization and approval"}
          </a>
        ) : null}
        {hasScope(actor, "referral:decide") && ["sent", "processed", "push_failed"].includes(s.status) ? (
          <CancelReferral
            key={`cancel-${s.version}`}
            referralId={d.id}
            version={s.version}
            inAccloud={d.accloudReferralId !== null}
          />
        ) : null}
        {s.status === "cancelled" || s.status === "cancelling" ? (
          <div className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm" data-testid="cancellation">
            <p className="font-semibold">
              {s.status === "cancelling" ? "Cancel on its way to ACCloud" : "Cancelled"}
              {reasonLabel ? `: ${CANCEL_REASON_LABELS[s.decisionReasonCode as CancelReasonCode] ?? reasonLabel}` : ""}
            </p>
            {s.decisionComment ? <p className="whitespace-pre-wrap">{s.decisionComment}</p> : null}
          </div>
        ) : null}
        {hasScope(actor, "referral:decide") ? (
          <DecisionPanel key={s.version} referralId={d.id} snapshot={s} reasons={reasons} />
        ) : (
          <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
            Your role can read and audit this request, not decide on it.
          </p>
        )}
      </div>
    </Panel>
  );
}
