import { STATUS_LABELS } from "@/lib/format";

const COLORS: Record<string, string> = {
  new: "bg-blue-100 text-blue-900 border-blue-300",
  in_review: "bg-indigo-100 text-indigo-900 border-indigo-300",
  pending_info: "bg-amber-100 text-amber-950 border-amber-300",
  approved: "bg-teal-100 text-teal-900 border-teal-300",
  pushing: "bg-teal-100 text-teal-900 border-teal-300",
  sent: "bg-green-100 text-green-900 border-green-300",
  push_failed: "bg-red-100 text-red-900 border-red-300",
  rejected: "bg-rose-100 text-rose-900 border-rose-300",
  cancelled: "bg-slate-100 text-slate-800 border-slate-300",
  processed: "bg-emerald-100 text-emerald-900 border-emerald-300",
  cancelling: "bg-slate-100 text-slate-800 border-slate-300",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${COLORS[status] ?? COLORS.cancelled}`}
    >
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

export function AmendedBadge({ title, afterDecision }: { title?: string; afterDecision?: boolean }) {
  return afterDecision ? (
    <span
      title={title}
      className="inline-flex items-center rounded-full border border-purple-800 bg-purple-800 px-2 py-0.5 text-xs font-semibold text-white"
      data-testid="amended-after-decision"
    >
      Amended after decision
    </span>
  ) : (
    <span
      title={title}
      className="inline-flex items-center rounded-full border border-purple-300 bg-purple-100 px-2 py-0.5 text-xs font-semibold text-purple-900"
    >
      Amended
    </span>
  );
}

/** The physician's order disagrees with the form on `count` fields: it asks for a look, it blocks nothing. */
export function OrderDisagreesBadge({ count }: { count: number }) {
  return (
    <span
      className="inline-flex items-center rounded-full border border-amber-400 bg-amber-50 px-2 py-0.5 text-xs font-semibold text-amber-950"
      data-order-mismatches={count}
    >
      Order disagrees: {count}
    </span>
  );
}
