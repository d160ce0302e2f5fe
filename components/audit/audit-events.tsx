import { Link } from "@/components/ui/link";
import type { DetailItem } from "@/lib/audit-trail/describe";
import { groupLabel } from "@/db/schema/audit-groups";
import type { DescribedEvent, WhoSaw } from "@/lib/audit-trail/query";
import { formatDateTimeSeconds } from "@/lib/format";
import { ScrollTable, TableHead } from "@/components/ui/table";
import { Panel } from "@/components/ui/panel";

function Items({ items }: { items: DetailItem[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[minmax(8rem,auto)_1fr]">
      {items.map((i, n) => (
        <div key={`${i.label}-${n}`} className="contents">
          <dt className="font-medium text-slate-800">{i.label}</dt>
          <dd className="mb-1 break-words text-slate-900 sm:mb-0">
            {typeof i.value === "string" ? i.value : <Items items={i.value} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const actorKind: Record<string, string> = { user: "", api_client: " (API client)", system: " (system)" };

/**
 * The events of a page, newest first: a sentence each, its details one click away. Free text is
 * already left out for viewers who may not read referrals (lib/audit-trail/query.ts, describeRows).
 */
export function AuditEvents({ rows }: { rows: DescribedEvent[] }) {
  return (
    <ol
      className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm"
      aria-label="Audit events, newest first"
      data-testid="audit-events"
    >
      {rows.map((e) => {
        const items = e.items;
        return (
          <li key={e.id} className="px-4 py-3 text-sm" data-action={e.action} data-event-id={e.id}>
            <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:gap-4">
              <time dateTime={e.at} className="shrink-0 text-xs tabular-nums text-slate-700 sm:w-48">
                {formatDateTimeSeconds(e.at)}
              </time>
              <div className="min-w-0 flex-1">
                <p className="font-medium text-slate-900">{e.sentence}</p>
                <p className="mt-0.5 text-xs text-slate-700">
                  {e.actorName}
                  {actorKind[e.actorType] ?? ""} · {groupLabel(e.actionGroup)}
                  {e.entityType === "referral_request" && e.entityId ? (
                    <>
                      {" · "}
                      <Link
                        href={`/referrals/${e.entityId}`}
                        className="font-mono text-blue-800 underline underline-offset-2"
                      >
                        Request {(e.requestId ?? e.entityId).slice(0, 8)}
                      </Link>
                    </>
                  ) : null}
                </p>
                {items.length ? (
                  <details className="mt-1 group">
                    <summary className="w-fit cursor-pointer rounded text-xs font-medium text-blue-800 underline underline-offset-2">
                      Details<span className="sr-only"> of this event</span>
                    </summary>
                    <div className="mt-2 rounded-md bg-slate-50 p-3 text-xs">
                      <Items items={[{ label: "Action", value: e.action }, ...items]} />
                    </div>
                  </details>
                ) : null}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Everyone who read one referral's pages or files. */
export function WhoSawPanel({ rows }: { rows: WhoSaw }) {
  return (
    <Panel id="who-saw-title" title="Who saw this request" testId="who-saw">
      {rows.length ? (
        <ScrollTable
          label="Who saw this request"
          caption="Every view and download of this request’s pages and files, per person"
          tableClassName="w-full min-w-[36rem] border-collapse text-sm"
          head={
            <TableHead
              columns={[
                { label: "Person", className: "px-4 py-2" },
                "Page views",
                "Files viewed",
                "Downloads",
                { label: "First", className: "px-4 py-2" },
                { label: "Last", className: "px-4 py-2" },
              ]}
              cellClassName="px-4 py-2 text-right"
            />
          }
        >
          {rows.map((r) => (
            <tr key={`${r.actorId}-${r.label}`} className="border-b border-slate-100">
              <th scope="row" className="px-4 py-2 text-left font-medium">
                {r.name}
                {r.name !== r.label ? (
                  <span className="block text-xs font-normal text-slate-700">{r.label}</span>
                ) : null}
              </th>
              <td className="px-4 py-2 text-right tabular-nums">{r.views}</td>
              <td className="px-4 py-2 text-right tabular-nums">{r.fileViews}</td>
              <td className="px-4 py-2 text-right tabular-nums">{r.downloads}</td>
              <td className="whitespace-nowrap px-4 py-2">{formatDateTimeSeconds(r.first)}</td>
              <td className="whitespace-nowrap px-4 py-2">{formatDateTimeSeconds(r.last)}</td>
            </tr>
          ))}
        </ScrollTable>
      ) : (
        <p className="px-4 py-3 text-sm text-slate-700">Nobody has opened this request or its files yet.</p>
      )}
    </Panel>
  );
}
