import { formatDuration } from "@/lib/format";
import { slaState, slaView, type SlaInput, type SlaView } from "@/lib/referrals/sla";

/** The SLA's looks (app/globals.css: short names, since the queue repeats them on every row). */
export const SLA_CLASSES: Record<SlaView["kind"], string> = {
  overdue: "sla-overdue",
  paused: "sla-paused",
  soon: "sla-soon",
  due: "sla-due",
  none: "sla-none",
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
