import { diffEnvelope, diffFields, type FieldChange } from "@/lib/form/diff";
import { formatDateTime } from "@/lib/format";
import type { ReferralDetail } from "@/lib/referrals/detail";
import { ChangeRows } from "./change-rows";
import { ScrollTable, TableHead } from "@/components/ui/table";
import { Panel } from "@/components/ui/panel";

function ChangeTable({ changes, beforeLabel }: { changes: FieldChange[]; beforeLabel: string }) {
  if (!changes.length) return <p className="mt-2 text-slate-700">No field differs.</p>;
  return (
    <ScrollTable
      label="Changed fields"
      className="mt-2"
      tableClassName="w-full min-w-[28rem] border-collapse"
      head={
        <TableHead
          columns={["Field", { label: beforeLabel }, { label: "Now", className: "py-1.5" }]}
          cellClassName="py-1.5 pr-3"
        />
      }
    >
      <ChangeRows
        changes={changes}
        absent="(absent)"
        beforeClassName="py-1.5 pr-3 text-slate-700 line-through decoration-slate-400"
      />
    </ScrollTable>
  );
}

const changesBetween = (before: unknown, after: unknown) => [
  ...diffFields(before, after),
  ...diffEnvelope(before, after),
];

/**
 * What the latest submission changed: against what was decided when the agency amended after
 * the decision (never absorbed: it waits for a reviewer), else against the original.
 */
export function Amendments({ d }: { d: ReferralDetail }) {
  if (d.decided) {
    return (
      <section
        aria-labelledby="amend-title"
        className="rounded-lg border-2 border-purple-700 bg-white shadow-sm"
        data-testid="amended-after-decision-panel"
      >
        <h2
          id="amend-title"
          className="border-b border-purple-200 bg-purple-50 px-4 py-2.5 text-base font-semibold text-purple-950"
        >
          Amended after the decision
        </h2>
        <div className="px-4 py-3 text-sm">
          <p className="text-slate-800">
            The agency sent submission {d.latest.seq} ({formatDateTime(d.latest.receivedAt)}) after the decision on
            submission {d.decided.seq}. Nothing of it reaches ACCloud until a reviewer acts: reopen or answer it in the
            review panel.
          </p>
          <ChangeTable
            changes={changesBetween(d.decided.payload, d.latest.payload)}
            beforeLabel={`Decided (submission ${d.decided.seq})`}
          />
        </div>
      </section>
    );
  }
  if (!d.original) return null;
  return (
    <Panel
      id="amend-title"
      title="Amendments"
      testId="amendments"
      className="rounded-lg border border-purple-200 bg-white shadow-sm"
      headingClassName="border-b border-purple-200"
    >
      <div className="px-4 py-3 text-sm">
        <p className="text-slate-700">
          Submission {d.latest.seq} ({formatDateTime(d.latest.receivedAt)}) against the original (
          {formatDateTime(d.original.receivedAt)}).
        </p>
        <ChangeTable changes={changesBetween(d.original.payload, d.latest.payload)} beforeLabel="Original" />
      </div>
    </Panel>
  );
}
