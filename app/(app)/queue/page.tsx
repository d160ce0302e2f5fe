import type { Metadata } from "next";
import { cookies } from "next/headers";
import { Link } from "@/components/ui/link";
import { BulkAssignBar } from "@/components/queue/bulk-assign";
import { QueueFilters } from "@/components/queue/filters";
import { QueueKeyboard } from "@/components/queue/keyboard";
import { NewRequestsNotice, StatusTabs } from "@/components/queue/live";
import { QueueTable } from "@/components/queue/queue-table";
import { toRowView } from "@/lib/referrals/queue-rows";
import { SearchBox } from "@/components/queue/search-box";
import { PageHeading } from "@/components/ui/page-heading";
import { QueryProvider } from "@/components/providers";
import { SortLinks } from "@/components/queue/sort-links";
import { requirePageActor } from "@/lib/auth/guards";
import { hasScope } from "@/lib/access/scopes";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { openQueue } from "@/lib/referrals/queue";
import {
  defaultSort,
  filterValues,
  parseQueueParams,
  QUEUE_SORTS,
  QUEUE_TABS,
  queueQuery,
  SEARCH_COOKIE,
  type QueueSort,
} from "@/lib/validations/queue";

export const metadata: Metadata = { title: "Review queue" };

export default async function QueuePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("referral:read");
  const params = parseQueueParams(await searchParams);
  const nameSearch = (await cookies()).get(SEARCH_COOKIE)?.value || null;
  const db = getDb();
  const canAssign = hasScope(actor, "referral:assign");
  const filters = filterValues(params);
  const { page, counts, options, reviewers } = await openQueue(db, actor, params, nameSearch);
  const now = new Date();
  // Another tab opens in its own order, unless the reviewer chose one other than this tab's.
  const chosenSort = params.sort === defaultSort(params.tab) ? undefined : params.sort;
  const tabs = QUEUE_TABS.map((t) => ({
    key: t.key,
    label: t.label,
    href: `/queue${queueQuery({ ...filters, tab: t.key, sort: chosenSort })}`,
  }));
  const sortHrefs = Object.fromEntries(
    QUEUE_SORTS.map((s) => [s.key, `/queue${queueQuery({ ...filters, sort: s.key })}`]),
  ) as Record<QueueSort, string>;
  // New requests are at the top only newest first: "Show" opens that order.
  const firstPageHref = sortHrefs.received_desc;
  const pollQuery = queueQuery(filters);
  // The poll also asks for the rows on screen (ids are not PHI), so their changes show in place.
  const pollUrl = `/api/queue/updates${pollQuery}${pollQuery ? "&" : "?"}since=${encodeURIComponent(page.snapshot)}&rows=${page.rows.map((r) => r.id).join(",")}`;
  const tab = QUEUE_TABS.find((t) => t.key === params.tab)!;
  const tabLabel = tab.label;
  const showStatus = tab.statuses.length > 1;
  const hasFilters = Boolean(
    params.agency ||
    params.service ||
    params.from ||
    params.to ||
    params.assigned ||
    params.overdue ||
    params.rid ||
    nameSearch,
  );
  const env = getEnv();

  return (
    <QueryProvider>
      <div className="space-y-4">
        <PageHeading
          title="Review queue"
          aside={
            <SearchBox
              key={`${nameSearch ?? ""}|${params.rid ?? ""}`}
              nameSearch={nameSearch}
              rid={params.rid ?? null}
            />
          }
        >
          SLA {env.REVIEW_SLA_HOURS} h from receipt, paused while information is pending. Claims lapse after{" "}
          {env.CLAIM_IDLE_MINUTES} min without activity.
        </PageHeading>
        <StatusTabs tabs={tabs} current={params.tab} pollUrl={pollUrl} initialCounts={counts} />
        <QueueFilters params={params} options={options} />
        <SortLinks current={params.sort} hrefs={sortHrefs} />
        {nameSearch ? (
          <p className="text-sm text-slate-700">
            Showing clients whose name starts with “{nameSearch}”. Names are kept out of the address bar for privacy, so
            a shared link does not include them.
          </p>
        ) : null}
        <NewRequestsNotice
          pollUrl={pollUrl}
          initialCounts={counts}
          firstPageHref={firstPageHref}
          showLabel={params.sort === "received_desc" ? "Show" : "Show, newest first"}
        />
        {canAssign ? <BulkAssignBar reviewers={reviewers} /> : null}
        {page.rows.length ? (
          <QueueTable
            rows={page.rows.map((r) => toRowView(r, actor, now, showStatus))}
            caption={`${tabLabel} referral requests`}
            canAssign={canAssign}
            pollUrl={pollUrl}
            initialCounts={counts}
          />
        ) : (
          <div
            className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center"
            data-testid="queue-empty"
          >
            <h2 className="text-lg font-semibold">No referral requests here</h2>
            <p className="mt-1 text-sm text-slate-700">
              {hasFilters
                ? "Nothing matches these filters. Clear them or try another status."
                : `There are no ${tabLabel.toLowerCase()} requests right now. New ones appear here on their own.`}
            </p>
          </div>
        )}
        <div className="flex flex-wrap items-center justify-between gap-3">
          <nav aria-label="Pages" className="flex gap-2">
            {page.prevCursor ? (
              <Link
                className="rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100"
                href={`/queue${queueQuery({ ...filters, before: page.prevCursor })}`}
              >
                ← Previous
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link
                className="rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100"
                href={`/queue${queueQuery({ ...filters, after: page.nextCursor })}`}
              >
                Next →
              </Link>
            ) : null}
          </nav>
          <QueueKeyboard />
        </div>
      </div>
    </QueryProvider>
  );
}
