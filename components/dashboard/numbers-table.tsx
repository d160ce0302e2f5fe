"use client";

import { useState } from "react";
import { ScrollTable, TableHead } from "@/components/ui/table";

/** A chart's numbers, worked out on the server: the column headings, then a row per week or agency. */
export type NumbersTableProps = {
  /** the name of the scrolling region (" (scrolls sideways)" is added) */
  label: string;
  /** what the table holds, for screen readers */
  caption: string;
  /** the table's least width before the region scrolls (a Tailwind min-w-… class) */
  minWidth: string;
  columns: string[];
  rows: Array<{ key: string; head: string; cells: Array<string | number> }>;
};

const th = "px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-700";
const td = "px-3 py-1.5 tabular-nums";

/**
 * "Show the numbers" under a chart: the table is drawn when the reader opens it. Closed, a closed
 * `<details>` shows nothing and a screen reader reads nothing of it, and the dashboard's three
 * tables were half its elements: every one of them hydrated on every load, on a slow laptop's
 * main thread, for tables most visits never open.
 */
export function NumbersTable({ label, caption, minWidth, columns, rows }: NumbersTableProps) {
  const [open, setOpen] = useState(false);
  return (
    <details className="mt-3 text-sm" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="w-fit cursor-pointer rounded font-medium text-blue-800 underline underline-offset-2">
        Show the numbers
      </summary>
      {open ? (
        <ScrollTable
          label={label}
          caption={caption}
          className="mt-2"
          tableClassName={`w-full ${minWidth} border-collapse`}
          head={<TableHead columns={columns} cellClassName={th} rowClassName="border-b border-slate-300" />}
        >
          {rows.map((r) => (
            <tr key={r.key} className="border-b border-slate-100">
              <th scope="row" className="px-3 py-1.5 text-left font-medium">
                {r.head}
              </th>
              {r.cells.map((c, i) => (
                <td key={i} className={td}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </ScrollTable>
      ) : null}
    </details>
  );
}
