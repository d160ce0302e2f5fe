"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { claimReferralAction, unassignReferralAction } from "@/app/(app)/queue/actions";
import { SLA_CLASSES } from "@/components/sla-badge";
import { AmendedBadge, StatusBadge } from "@/components/status-badge";
import type { QueueRowView } from "@/lib/referrals/queue-rows";
import type { QueueTab } from "@/lib/validations/queue-view";
import { useQueueUpdates } from "./live";
import { BULK_FORM_ID } from "./bulk-assign";
import { TableHead } from "@/components/ui/table";

const LABELS = { claim: "Claim", release: "Release", unassign: "Unassign" } as const;

/**
 * The queue's rows. A client component fed with display strings: the server renders the HTML
 * once (no separate server-component tree per row), and the row buttons run server actions.
 * `c` on a selected row presses its [data-claim] button.
 */
/** A row's cell; below md it shows its column's name (data-label) since the header is hidden. */
function Cell({ label, nowrap, children }: { label: string; nowrap?: boolean; children: React.ReactNode }) {
  return (
    <td className={nowrap ? "q-cell q-nowrap" : "q-cell"} data-label={label}>
      {children}
    </td>
  );
}

export function QueueTable({
  rows: initialRows,
  caption,
  canAssign,
  pollUrl,
  initialCounts,
}: {
  rows: QueueRowView[];
  caption: string;
  canAssign: boolean;
  pollUrl: string;
  initialCounts: Record<QueueTab, number>;
}) {
  const router = useRouter();
  // Rows another reviewer claimed, decided or sent since the page was rendered show their new state in place.
  const { data } = useQueueUpdates(pollUrl, initialCounts);
  const fresh = new Map((data.rows ?? []).map((r) => [r.id, r]));
  const rows = initialRows.map((r) => {
    const now = fresh.get(r.id);
    // The poll sends only what changes (never the client's name): the rest stays as rendered.
    return now && now.version !== r.version ? { ...r, ...now, changed: true } : { ...r, changed: false };
  });
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // Plain links (50 next/link instances cost real server time per request), navigated
  // client-side by one listener; modified clicks keep the browser's behaviour (new tab...).
  const onTableClick = (e: React.MouseEvent) => {
    const a = (e.target as HTMLElement).closest<HTMLAnchorElement>("a[data-row-link]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    router.push(a.getAttribute("href")!);
  };
  const run = async (r: QueueRowView) => {
    if (!r.action) return;
    setBusy(r.id);
    try {
      const res =
        r.action === "claim" ? await claimReferralAction({ id: r.id }) : await unassignReferralAction({ id: r.id });
      setMessage(
        res.status === "success"
          ? null
          : `${LABELS[r.action]} (${r.client}) did not work: ${res.message ?? "could not save."}`,
      );
    } catch {
      setMessage("The connection failed; nothing was saved. Try again.");
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <div aria-live="polite">
        {message ? (
          <p role="alert" className="mb-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
            {message}
          </p>
        ) : null}
      </div>
      <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full border-collapse text-sm" data-testid="queue-table" onClick={onTableClick}>
          <caption className="sr-only">{caption}</caption>
          <TableHead
            columns={[
              ...(canAssign ? [{ label: <span className="sr-only">Select</span>, className: "w-8 px-3 py-2" }] : []),
              ...["Client", "Agency", "Service", "Requested dates", "Received", "SLA", "Assignee"],
              { label: <span className="sr-only">Actions</span> },
            ]}
            cellClassName="px-3 py-2"
            rowClassName=""
            className="hidden border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700 md:table-header-group"
          />
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                className="q-row"
                data-queue-row
                data-request-id={r.requestId}
                data-overdue={r.sla.kind === "overdue" ? "" : undefined}
                data-changed={r.changed ? "" : undefined}
              >
                {canAssign ? (
                  <td className="absolute right-2 top-2 md:static md:table-cell md:px-3 md:py-2.5 md:align-top">
                    <input
                      type="checkbox"
                      name="ids"
                      value={r.id}
                      form={BULK_FORM_ID}
                      aria-label={`Select the request for ${r.client}`}
                      className="h-4 w-4 accent-blue-800"
                    />
                  </td>
                ) : null}
                <td className="q-cell pr-10 md:pr-3">
                  <a data-row-link href={`/referrals/${r.id}`} className="q-link">
                    {r.client}
                  </a>
                  <div className="mt-0.5 flex flex-wrap items-center gap-1.5">
                    {r.status ? <StatusBadge status={r.status.key} /> : null}
                    {r.amended ? <AmendedBadge afterDecision={r.amendedAfterDecision} /> : null}
                    {r.changed ? (
                      <span className="rounded bg-yellow-100 px-1.5 py-0.5 text-xs font-medium text-yellow-950">
                        changed just now
                      </span>
                    ) : null}
                    <span className="q-id">{r.requestId.slice(0, 8)}</span>
                  </div>
                </td>
                <Cell label="Agency">{r.agency}</Cell>
                <Cell label="Service">{r.service}</Cell>
                <Cell label="Dates" nowrap>
                  {r.dates}
                </Cell>
                <Cell label="Received" nowrap>
                  {r.received}
                </Cell>
                <Cell label="SLA" nowrap>
                  <span className={SLA_CLASSES[r.sla.kind]} data-sla={r.sla.kind === "soon" ? "due" : r.sla.kind}>
                    {r.sla.text}
                  </span>
                </Cell>
                <Cell label="Assignee">
                  {r.assignee.strong ? (
                    <strong>{r.assignee.text}</strong>
                  ) : (
                    <span className="q-muted">{r.assignee.text}</span>
                  )}
                </Cell>
                <td className="q-cell pt-1.5">
                  {r.action ? (
                    <button
                      type="button"
                      className={r.action === "claim" ? "q-btn q-btn-primary" : "q-btn"}
                      data-claim={r.action === "claim" ? "" : undefined}
                      aria-label={`${LABELS[r.action]} the request for ${r.client}`}
                      disabled={busy === r.id}
                      onClick={() => void run(r)}
                    >
                      {LABELS[r.action]}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
