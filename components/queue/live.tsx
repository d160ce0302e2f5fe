"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { formatCount } from "@/lib/format";
import type { QueueRowPatch } from "@/lib/referrals/queue-rows";
import type { QueueTab } from "@/lib/validations/queue-view";

type Counts = Record<QueueTab, number>;
type Updates = { newCount: number; counts: Counts; rows?: QueueRowPatch[] };

const POLL_MS = 15_000;

/** One poll per view (same key for the tabs and the notice). Polling never extends an idle session. */
export function useQueueUpdates(pollUrl: string, initialCounts: Counts) {
  return useQuery<Updates>({
    queryKey: ["queue-updates", pollUrl],
    queryFn: async () => {
      const res = await fetch(pollUrl, { cache: "no-store" });
      if (res.status === 401) {
        window.location.replace(`/sign-in?reason=idle&next=${encodeURIComponent(location.pathname + location.search)}`);
      }
      if (!res.ok) throw new Error(`poll failed: ${res.status}`);
      return (await res.json()) as Updates;
    },
    initialData: { newCount: 0, counts: initialCounts },
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function StatusTabs({
  tabs,
  current,
  pollUrl,
  initialCounts,
}: {
  tabs: Array<{ key: QueueTab; label: string; href: string }>;
  current: QueueTab;
  pollUrl: string;
  initialCounts: Counts;
}) {
  const { data } = useQueueUpdates(pollUrl, initialCounts);
  return (
    // Wrapped, never scrolled sideways: every tab stays in sight at any width.
    <nav aria-label="Status">
      <ul className="flex flex-wrap gap-x-1 border-b border-slate-200">
        {tabs.map((t) => {
          const active = t.key === current;
          return (
            <li key={t.key}>
              <Link
                href={t.href}
                aria-current={active ? "page" : undefined}
                data-tab={t.key}
                className={`-mb-px inline-flex items-center gap-1.5 border-b-2 px-2 py-2 text-sm font-medium sm:gap-2 sm:px-3 ${
                  active
                    ? "border-blue-800 text-blue-900"
                    : "border-transparent text-slate-700 hover:border-slate-400 hover:text-slate-900"
                }`}
              >
                {t.label}
                <span
                  className={`rounded-full px-2 py-0.5 text-xs tabular-nums ${active ? "bg-blue-800 text-white" : "bg-slate-200 text-slate-800"}`}
                  data-count={t.key}
                >
                  {formatCount(data.counts[t.key] ?? 0)}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** "N new" without moving the list under the reviewer's cursor; showing them is one click. */
export function NewRequestsNotice({
  pollUrl,
  initialCounts,
  firstPageHref,
  showLabel = "Show",
}: {
  pollUrl: string;
  initialCounts: Counts;
  firstPageHref: string;
  /** the button's words ("Show, newest first" when showing them changes the order) */
  showLabel?: string;
}) {
  const { data } = useQueueUpdates(pollUrl, initialCounts);
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const n = data.newCount;
  const show = () => {
    const here = `${pathname}${search.size ? `?${search.toString()}` : ""}`;
    if (here === firstPageHref) router.refresh();
    else router.push(firstPageHref);
  };
  return (
    <div role="status" aria-live="polite" className="min-h-0">
      {n > 0 ? (
        <div
          className="flex flex-wrap items-center gap-3 rounded-md border border-blue-300 bg-blue-50 px-3 py-2 text-sm text-blue-950"
          data-testid="new-requests"
        >
          <span>
            {n > 50 ? "50+" : n} new referral request{n === 1 ? "" : "s"} in this view
          </span>
          <button
            type="button"
            onClick={show}
            className="rounded-md bg-blue-800 px-2.5 py-1 font-medium text-white hover:bg-blue-900"
          >
            {showLabel}
          </button>
        </div>
      ) : null}
    </div>
  );
}
