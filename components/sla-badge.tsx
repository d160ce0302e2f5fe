import { formatDuration } from "@/lib/format";
import { slaState, slaView, type SlaInput, type SlaView } from "@/lib/referrals/sla";

export const SLA_CLASSES: Record<SlaView["kind"], string> = {
  overdue:
    "inline-flex items-center rounded border border-red-300 bg-red-50 px-1.5 py-0.5 text-sm font-semibold text-red-800",
  paused: "inline-flex items-center rounded border border-amber-300 bg-amber-50 px-1.5 py-0.5 text-sm text-amber-950",
  soon: "text-sm font-semibold text-amber-900",
  due: "text-sm text-slate-700",
  none: "text-sm text-slate-600",
};

/** Time against the review SLA: due in / overdue by / paused while pending information. */
export function SlaBadge({ row, now }: { row: SlaInput; now: Date }) {
  const v = slaView(slaState(row, now), formatDuration);
  return (
    <span className={SLA_CLASSES[v.kind]} data-sla={v.kind === "soon" ? "due" : v.kind}>
      {v.text}
    </span>
  );
}
