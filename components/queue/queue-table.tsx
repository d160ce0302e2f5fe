import Link from "next/link";
import { AmendedBadge, StatusBadge } from "@/components/status-badge";
import { SlaBadge } from "@/components/sla-badge";
import type { Actor } from "@/lib/auth/scopes";
import { hasScope } from "@/lib/auth/scopes";
import { formatCalendarDate, formatDuration, formatShortDateTime } from "@/lib/referrals/format";
import { slaState } from "@/lib/referrals/sla";
import type { QueueRow } from "@/lib/referrals/queue";
import { BULK_FORM_ID } from "./bulk-assign";
import { ClaimButton } from "./claim-button";

const WORKABLE = new Set(["new", "in_review", "pending_info"]);
/** On narrow screens each row is a card and every cell says what it is. */
const cellLabel = "mr-1 font-medium text-slate-600 md:hidden";
const td = "block px-3 py-0.5 md:table-cell md:py-2.5 md:align-top";

function Assignee({ row, actor }: { row: QueueRow; actor: Actor }) {
  if (!row.assignee) return <span className="text-slate-600">Unassigned</span>;
  if (!row.assignee.active) return <span className="text-slate-600">Unassigned <span className="text-xs">(claim by {row.assignee.name} lapsed)</span></span>;
  return <span className="font-medium text-slate-900">{row.assignee.id === actor.id ? "You" : row.assignee.name}</span>;
}

function RowAction({ row, actor }: { row: QueueRow; actor: Actor }) {
  if (!WORKABLE.has(row.status)) return null;
  const live = row.assignee?.active ? row.assignee : null;
  if (hasScope(actor.role, "referral:claim")) {
    if (!live) return <ClaimButton id={row.id} mode="claim" clientName={row.clientName} />;
    if (live.id === actor.id) return <ClaimButton id={row.id} mode="release" clientName={row.clientName} />;
    return null;
  }
  if (hasScope(actor.role, "referral:assign") && live) return <ClaimButton id={row.id} mode="unassign" clientName={row.clientName} />;
  return null;
}

/** `showStatus` when the tab covers several statuses (approved / pushing). */
export function QueueTable({ rows, actor, now, caption, showStatus }: { rows: QueueRow[]; actor: Actor; now: Date; caption: string; showStatus: boolean }) {
  const canAssign = hasScope(actor.role, "referral:assign");
  return (
    <table className="w-full border-collapse text-sm" data-testid="queue-table">
      <caption className="sr-only">{caption}</caption>
      <thead className="hidden border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700 md:table-header-group">
        <tr>
          {canAssign ? (
            <th scope="col" className="w-8 px-3 py-2">
              <span className="sr-only">Select</span>
            </th>
          ) : null}
          <th scope="col" className="px-3 py-2">Client</th>
          <th scope="col" className="px-3 py-2">Agency</th>
          <th scope="col" className="px-3 py-2">Service</th>
          <th scope="col" className="px-3 py-2">Requested dates</th>
          <th scope="col" className="px-3 py-2">Received</th>
          <th scope="col" className="px-3 py-2">SLA</th>
          <th scope="col" className="px-3 py-2">Assignee</th>
          <th scope="col" className="px-3 py-2">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.id}
            data-queue-row
            data-request-id={r.requestId}
            data-overdue={slaState(r, now).kind === "overdue" ? "" : undefined}
            className="relative block border-b border-l-4 border-b-slate-200 border-l-transparent py-2 hover:bg-slate-50 data-[overdue]:border-l-red-600 data-[overdue]:bg-red-50/40 data-[selected]:bg-blue-50 data-[selected]:outline-2 data-[selected]:outline-blue-700 md:table-row md:py-0"
          >
            {canAssign ? (
              <td className="absolute right-2 top-2 md:static md:table-cell md:px-3 md:py-2.5 md:align-top">
                <input type="checkbox" name="ids" value={r.id} form={BULK_FORM_ID} aria-label={`Select the request for ${r.clientName}`} className="h-4 w-4 accent-blue-800" />
              </td>
            ) : null}
            <td className={`${td} pr-10 md:pr-3`}>
              <Link data-row-link href={`/referrals/${r.id}`} className="font-semibold text-blue-900 underline-offset-2 hover:underline">
                {r.clientName}
              </Link>
              <div className="mt-0.5 flex flex-wrap items-center gap-1.5">
                {showStatus ? <StatusBadge status={r.status} /> : null}
                {r.amended ? <AmendedBadge title="An amended submission arrived" /> : null}
                <span className="font-mono text-xs text-slate-600" title={r.requestId}>
                  {r.requestId.slice(0, 8)}
                </span>
              </div>
            </td>
            <td className={td}>
              <span className={cellLabel}>Agency:</span>
              {r.agencyName}
            </td>
            <td className={td}>
              <span className={cellLabel}>Service:</span>
              {r.service ?? <span className="text-slate-600">—</span>}
            </td>
            <td className={`${td} md:whitespace-nowrap`}>
              <span className={cellLabel}>Dates:</span>
              {r.serviceStart ? formatCalendarDate(r.serviceStart) : "?"} – {r.serviceEnd ? formatCalendarDate(r.serviceEnd) : "?"}
            </td>
            <td className={`${td} md:whitespace-nowrap`}>
              <span className={cellLabel}>Received:</span>
              <time dateTime={r.receivedAt}>{formatShortDateTime(r.receivedAt)}</time>
              <span className="text-slate-600"> · {formatDuration(now.getTime() - new Date(r.receivedAt).getTime())} ago</span>
            </td>
            <td className={`${td} md:whitespace-nowrap`}>
              <span className={cellLabel}>SLA:</span>
              <SlaBadge row={r} now={now} />
            </td>
            <td className={td}>
              <span className={cellLabel}>Assignee:</span>
              <Assignee row={r} actor={actor} />
            </td>
            <td className={`${td} pt-1.5`}>
              <RowAction row={r} actor={actor} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
