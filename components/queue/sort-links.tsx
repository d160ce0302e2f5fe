import { Link } from "@/components/ui/link";
import { QUEUE_SORTS, type QueueSort } from "@/lib/validations/queue-view";

/**
 * The view's order as one click each (on a phone too, where the filters are folded away): by SLA
 * due time, the default of the tabs an SLA runs in, with "Newest first" beside it.
 */
export function SortLinks({ current, hrefs }: { current: QueueSort; hrefs: Record<QueueSort, string> }) {
  return (
    <nav aria-label="Order" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium text-slate-700" aria-hidden="true">
        Order
      </span>
      <ul className="inline-flex overflow-hidden rounded-md border border-slate-400">
        {QUEUE_SORTS.map((s) => {
          const active = s.key === current;
          return (
            <li key={s.key} className="border-l border-slate-400 first:border-l-0">
              <Link
                href={hrefs[s.key]}
                aria-current={active ? "true" : undefined}
                data-sort={s.key}
                className={`block px-2.5 py-1.5 font-medium ${active ? "bg-slate-800 text-white" : "bg-white text-slate-900 hover:bg-slate-100"}`}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
