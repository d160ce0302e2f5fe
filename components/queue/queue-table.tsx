"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { claimReferralAction, unassignReferralAction } from "@/app/(app)/queue/actions";
import { SLA_CLASSES } from "@/components/sla-badge";
import { AmendedBadge, OrderDisagreesBadge, StatusBadge } from "@/components/status-badge";
import type { QueueRowView } from "@/lib/referrals/queue-rows";
import type { QueueTab } from "@/lib/validations/queue-view";
import { useQueueUpdates } from "./live";
import { BULK_FORM_ID } from "./bulk-assign";
import { TableHead, type Column } from "@/components/ui/table";

const LABELS = { claim: "Claim", release: "Release", unassign: "Unassign" } as const;

/** A header cell's padding; from lg each column but the client's has a fixed width before it. */
const HEAD_CELL = "px-2.5 py-2";
const sized = (label: React.ReactNode, width: string): Column => ({ label, className: `${width} ${HEAD_CELL}` });

/**
 * The queue's rows. A client component fed with display strings: the server renders the HTML
 * once (no separate server-component tree per row), and the row buttons run server actions.
 * `c` on a selected row presses its [data-claim] button.
 */
/**
 * A row's cell; below lg it shows its column's name (data-label) since the header is hidden.
 * `lines`: from lg its lines are the ones its `<br>` or blocks make, never cut in a word.
 */
function Cell({ label, lines, children }: { label: string; lines?: boolean; children: React.ReactNode }) {
  return (
    <td className={lines ? "q-cell q-lines" : "q-cell"} data-label={label}>
      {children}
    </td>
  );
}

/** A name that may be long: cut to its column from lg (one line, or two), whole in its title and for screen readers. */
function Long({ text, lines = 1 }: { text: string; lines?: 1 | 2 }) {
  return (
    <span className={lines === 1 ? "q-long" : "q-clamp"} title={text}>
      {text}
    </span>
  );
}

/** Spaces that do not break: each part stays on one line. */
const unbroken = (text: string) => text.replaceAll(" ", "\u00a0");

/**
 * "Nov 24, 2026 – Dec 24, 2026": on a card one line (or two, at the dash), from lg two lines
 * ("Nov 24, 2026 –" / "Dec 24, 2026"). Non-breaking spaces keep each date whole, and the break is
 * a `<br>` shown from lg (q-br): 50 rows of these cells are hydrated on every load.
 */
function DateRange({ text }: { text: string }) {
  const at = text.indexOf(" – ");
  if (at < 0) return unbroken(text);
  return (
    <>
      {`${unbroken(text.slice(0, at))}\u00a0– `}
      <br className="q-br" />
      {unbroken(text.slice(at + 3))}
    </>
  );
}

/** "Dec 3, 4:59 AM · 3 d ago" on a card; from lg "Dec 3, 4:59 AM" / "3 d ago" (q-ago: the dot only below lg). */
function Received({ text }: { text: string }) {
  const at = text.indexOf(" · ");
  if (at < 0) return unbroken(text);
  return (
    <>
      {unbroken(text.slice(0, at))}
      <span className="q-ago">{unbroken(text.slice(at + 3))}</span>
    </>
  );
}

/** "Possibly the same request as 3f2a9c1b" (and how many more), linking to the other request. */
function PossibleDuplicate({ duplicates }: { duplicates: QueueRowView["duplicates"] }) {
  const [first, ...more] = duplicates;
  if (!first) return null;
  return (
    <p className="mt-1 text-xs text-amber-950" data-possible-duplicate>
      <span className="rounded bg-amber-100 px-1 py-0.5 font-semibold">Possibly the same request as</span>{" "}
      <a
        data-duplicate-link
        href={`/referrals/${first.id}`}
        className="font-mono font-semibold text-blue-900 underline underline-offset-2"
      >
        {first.requestId}
      </a>
      {more.length ? ` and ${more.length} more` : null}
    </p>
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
    const a = (e.target as HTMLElement).closest<HTMLAnchorElement>("a[data-row-link], a[data-duplicate-link]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    router.push(a.getAttribute("href")!);
  };
  const run = async (r: QueueRowView) => {
    if (!r.action) return;
    setBusy(r.id);
    try {
      const res =
        r.action === "claim"
          ? await claimReferralAction({ referralId: r.id })
          : await unassignReferralAction({ referralId: r.id });
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
        <table
          className="w-full border-collapse text-sm lg:table-fixed"
          data-testid="queue-table"
          onClick={onTableClick}
        >
          <caption className="sr-only">{caption}</caption>
          {/* Fixed layout: these widths hold whatever the names; the client's column takes the rest. */}
          <TableHead
            columns={[
              ...(canAssign ? [sized(<span className="sr-only">Select</span>, "w-10")] : []),
              "Client",
              sized("Agency", "w-[14%]"),
              sized("Service", "w-[11%]"),
              sized("Requested dates", "w-[10%]"),
              sized("Received", "w-[10%]"),
              sized("SLA", "w-[11%]"),
              sized("Assignee", "w-[10%]"),
              sized(<span className="sr-only">Actions</span>, "w-28"),
            ]}
            cellClassName={HEAD_CELL}
            rowClassName=""
            className="hidden border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700 lg:table-header-group"
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
                  <td className="absolute right-2 top-2 lg:static lg:table-cell lg:px-2.5 lg:py-2.5 lg:align-top">
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
                <td className="q-cell pr-10 lg:pr-2.5">
                  <a data-row-link href={`/referrals/${r.id}`} className="q-link q-clamp" title={r.client}>
                    {r.client}
                  </a>
                  <div className="q-tags">
                    {r.status ? <StatusBadge status={r.status.key} /> : null}
                    {r.amended ? <AmendedBadge afterDecision={r.amendedAfterDecision} /> : null}
                    {r.orderMismatches > 0 ? <OrderDisagreesBadge count={r.orderMismatches} /> : null}
                    {r.changed ? (
                      <span className="rounded bg-yellow-100 px-1.5 py-0.5 text-xs font-medium text-yellow-950">
                        changed just now
                      </span>
                    ) : null}
                    <span className="q-id">{r.requestId.slice(0, 8)}</span>
                  </div>
                  <PossibleDuplicate duplicates={r.duplicates} />
                </td>
                <Cell label="Agency">
                  <Long text={r.agency} lines={2} />
                </Cell>
                <Cell label="Service">
                  <Long text={r.service} />
                </Cell>
                <Cell label="Dates" lines>
                  <DateRange text={r.dates} />
                </Cell>
                <Cell label="Received" lines>
                  <Received text={r.received} />
                </Cell>
                <Cell label="SLA">
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
