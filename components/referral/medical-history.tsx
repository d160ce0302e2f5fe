import { diagnosesOf } from "@/lib/form/mapping";
import { formatCalendarDate } from "@/lib/format";
import { TableHead } from "@/components/ui/table";

const empty = <span className="text-slate-600">—</span>;
/** Below sm each diagnosis is a small card whose cells say what they are. */
const cellLabel = "mr-1 font-medium text-slate-700 sm:hidden";
const td = "block py-0.5 sm:table-cell sm:py-1.5 sm:pr-3";

/**
 * medical_history: one row per diagnosis, the ICD-10 code split from its description. A plain
 * function, built eagerly (see fieldValue in field-value.tsx).
 */
export function medicalHistoryTable(value: unknown, label: string) {
  const rows = diagnosesOf(value);
  if (!rows.length) return <span className="italic text-slate-600">No diagnoses given</span>;
  return (
    <div>
      <table className="w-full border-collapse text-sm" data-testid="medical-history">
        <caption className="sr-only">{label}</caption>
        <TableHead
          columns={["ICD-10", "Description", "Treatment", "Start", "End", { label: "Notes", className: "py-1.5" }]}
          cellClassName="py-1.5 pr-3"
          rowClassName="whitespace-nowrap border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700"
          className="hidden sm:table-header-group"
        />
        <tbody className="block sm:table-row-group">
          {rows.map((d, i) => (
            <tr
              key={i}
              className="block border-b border-slate-100 py-1.5 align-top sm:table-row sm:py-0"
              data-diagnosis={d.code ?? ""}
            >
              <td className={`${td} font-mono font-semibold`}>{d.code ?? empty}</td>
              <td className={td}>{d.description ?? empty}</td>
              <td className={td}>
                <span className={cellLabel}>Treatment:</span>
                {d.treatment ?? empty}
              </td>
              <td className={`${td} sm:whitespace-nowrap`}>
                <span className={cellLabel}>Start:</span>
                {d.startDate ? formatCalendarDate(d.startDate) : empty}
              </td>
              <td className={`${td} sm:whitespace-nowrap`}>
                <span className={cellLabel}>End:</span>
                {d.endDate ? formatCalendarDate(d.endDate) : empty}
              </td>
              <td className={td}>
                <span className={cellLabel}>Notes:</span>
                {d.notes ?? empty}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
