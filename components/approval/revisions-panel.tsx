import { diffRevisions, type RevisionHistory } from "@/lib/approval/history";
import { formatDateTime } from "@/lib/format";
import { CANCEL_REASON_LABELS, type CancelReasonCode } from "@/lib/approval/after-sending-constants";
import { btnSecondary, card, input, label } from "@/components/ui/styles";
import { ChangeRows } from "@/components/referral/change-rows";
import { RefreshFromAccloud } from "./refresh-from-accloud";
import { ScrollTable, TableHead } from "@/components/ui/table";

const KIND_WORDS = {
  approve: "Approval",
  correction: "Correction (retry)",
  update: "Update",
  accloud: "Made in ACCloud",
} as const;
const STATUS_WORDS: Record<string, string> = {
  assigned: "Waiting for the agency",
  processed: "Processed by the agency",
  cancelled: "Cancelled",
};

/**
 * Every revision of the referral, the app's and ACCloud's, and a field-level diff of what the
 * agency received between two of them (chosen in the URL: ?from=1&to=2, a plain GET form).
 */
export function RevisionsPanel({
  referralId,
  history,
  from,
  to,
}: {
  referralId: string;
  history: RevisionHistory;
  from?: number;
  to?: number;
}) {
  const numbered = history.rows
    .filter((r) => r.revision !== null && history.snapshots.has(r.revision))
    .map((r) => r.revision!);
  if (!history.rows.length) return null;
  const a = from ?? numbered.at(-2);
  const b = to ?? numbered.at(-1);
  const changes = a !== undefined && b !== undefined && a !== b ? diffRevisions(history, a, b) : null;
  return (
    <section aria-labelledby="revisions-title" className={card} data-testid="revisions" id="revisions">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <h2 id="revisions-title" className="text-base font-semibold">
          Revisions
        </h2>
        <RefreshFromAccloud referralId={referralId} lastSyncedAt={history.lastSyncedAt} />
      </div>
      <ScrollTable
        label="Revisions"
        caption="Revisions of this referral"
        tableClassName="w-full min-w-[40rem] border-collapse text-left text-sm"
        head={
          <TableHead
            columns={[{ label: "Revision", className: "px-4 py-2" }, "When, who", "Why", "In ACCloud"]}
            cellClassName="px-2 py-2"
            rowClassName="border-b border-slate-300 text-xs uppercase tracking-wide text-slate-700"
          />
        }
      >
        {history.rows.map((r, i) => (
          <tr
            key={`${r.revision ?? "x"}-${r.accloud?.revisionNumber ?? i}`}
            className="border-b border-slate-100 align-top"
            data-revision={r.revision ?? undefined}
            data-accloud-revision={r.accloud?.revisionNumber}
          >
            <th scope="row" className="px-4 py-2 font-medium">
              {r.revision !== null ? `Revision ${r.revision}` : "—"}
              <span className="block text-xs font-normal text-slate-700">
                {KIND_WORDS[r.kind]}
                {r.state === "superseded" ? " · replaced" : ""}
                {r.push && r.push.status !== "sent" ? ` · push ${r.push.status}` : ""}
              </span>
            </th>
            <td className="px-2 py-2">
              {r.at ? <time dateTime={r.at}>{formatDateTime(r.at)}</time> : "—"}
              <span className="block text-xs text-slate-700">
                {r.by ?? (r.kind === "accloud" ? "outside this app" : "")}
              </span>
            </td>
            <td className="px-2 py-2">
              {r.reasons.length ? r.reasons.join("; ") : r.kind === "approve" ? "First approval" : "—"}
              {r.revisionComment ? <span className="block text-xs text-slate-700">“{r.revisionComment}”</span> : null}
            </td>
            <td className="px-2 py-2">
              {r.accloud ? (
                <>
                  ACCloud revision {r.accloud.revisionNumber}
                  {r.accloud.isLatest ? (
                    <strong className="ml-1 rounded bg-blue-100 px-1.5 py-0.5 text-xs text-blue-900">latest</strong>
                  ) : null}
                  <span className="block text-xs text-slate-700">
                    {STATUS_WORDS[r.accloud.status] ?? r.accloud.status}
                    {r.accloud.cancelReasonCode
                      ? ` (${CANCEL_REASON_LABELS[r.accloud.cancelReasonCode as CancelReasonCode] ?? r.accloud.cancelReasonCode})`
                      : ""}
                  </span>
                  <span className="block break-all font-mono text-xs text-slate-700">{r.accloud.referralId}</span>
                </>
              ) : (
                <span className="text-slate-700">not sent</span>
              )}
            </td>
          </tr>
        ))}
      </ScrollTable>
      {numbered.length >= 2 ? (
        <div className="space-y-3 border-t border-slate-200 px-4 py-3">
          <form
            method="get"
            action={`/referrals/${referralId}#revisions`}
            className="flex flex-wrap items-end gap-3"
            aria-label="Compare two revisions"
          >
            {(
              [
                ["from", "Compare", a],
                ["to", "with", b],
              ] as const
            ).map(([name, text, value]) => (
              <div key={name}>
                <label htmlFor={`rev-${name}`} className={label}>
                  {text}
                </label>
                <select id={`rev-${name}`} name={name} defaultValue={value} className={`${input} mt-1`}>
                  {numbered.map((n) => (
                    <option key={n} value={n}>
                      Revision {n}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <button type="submit" className={btnSecondary}>
              Show the differences
            </button>
          </form>
          {changes ? (
            <div
              className="overflow-x-auto"
              tabIndex={0}
              role="region"
              aria-label={`What changed for the agency from revision ${a} to ${b}`}
              data-testid="revision-diff"
            >
              <table className="w-full min-w-[28rem] border-collapse text-sm">
                <caption className="mb-1 text-left font-medium">
                  What the agency received: revision {a} → revision {b}
                </caption>
                <TableHead
                  columns={["Field", `Revision ${a}`, { label: `Revision ${b}`, className: "py-1.5" }]}
                  cellClassName="py-1.5 pr-3"
                />
                <tbody>
                  {changes.length ? (
                    <ChangeRows changes={changes} absent="(none)" />
                  ) : (
                    <tr>
                      <td colSpan={3} className="py-1.5 text-slate-700">
                        Nothing the agency sees differs.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
