import { formatDuration } from "@/lib/referrals/format";
import { slaState, type SlaInput } from "@/lib/referrals/sla";

/** Time against the review SLA: due in / overdue by / paused while pending information. */
export function SlaBadge({ row, now }: { row: SlaInput; now: Date }) {
  const s = slaState(row, now);
  if (s.kind === "none") return <span className="text-sm text-slate-600">—</span>;
  if (s.kind === "overdue")
    return (
      <span className="inline-flex items-center rounded border border-red-300 bg-red-50 px-1.5 py-0.5 text-sm font-semibold text-red-800" data-sla="overdue">
        Overdue {formatDuration(s.overdueMs)}
      </span>
    );
  if (s.kind === "paused")
    return (
      <span className="inline-flex items-center rounded border border-amber-300 bg-amber-50 px-1.5 py-0.5 text-sm text-amber-950" data-sla="paused">
        Paused · {s.remainingMs >= 0 ? `${formatDuration(s.remainingMs)} left` : `over by ${formatDuration(-s.remainingMs)}`}
      </span>
    );
  const soon = s.remainingMs < 4 * 3_600_000;
  return (
    <span className={`text-sm ${soon ? "font-semibold text-amber-900" : "text-slate-700"}`} data-sla="due">
      Due in {formatDuration(s.remainingMs)}
    </span>
  );
}
