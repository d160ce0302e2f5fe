import { diagnosesOf } from "@/lib/form-mapping";
import { formatCalendarDate } from "@/lib/referrals/format";

const empty = <span className="text-slate-600">—</span>;

/** medical_history: one row per diagnosis, the ICD-10 code split from its description. */
export function MedicalHistoryTable({ value, label }: { value: unknown; label: string }) {
  const rows = diagnosesOf(value);
  if (!rows.length) return <span className="italic text-slate-600">No diagnoses given</span>;
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`${label} (scrolls sideways)`}>
      <table className="w-full min-w-[36rem] border-collapse text-sm" data-testid="medical-history">
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr className="border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700">
            <th scope="col" className="py-1.5 pr-3">ICD-10</th>
            <th scope="col" className="py-1.5 pr-3">Description</th>
            <th scope="col" className="py-1.5 pr-3">Treatment</th>
            <th scope="col" className="py-1.5 pr-3">Start</th>
            <th scope="col" className="py-1.5 pr-3">End</th>
            <th scope="col" className="py-1.5">Notes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => (
            <tr key={i} className="border-b border-slate-100 align-top" data-diagnosis={d.code ?? ""}>
              <td className="py-1.5 pr-3 font-mono font-semibold">{d.code ?? empty}</td>
              <td className="py-1.5 pr-3">{d.description ?? empty}</td>
              <td className="py-1.5 pr-3">{d.treatment ?? empty}</td>
              <td className="whitespace-nowrap py-1.5 pr-3">{d.startDate ? formatCalendarDate(d.startDate) : empty}</td>
              <td className="whitespace-nowrap py-1.5 pr-3">{d.endDate ? formatCalendarDate(d.endDate) : empty}</td>
              <td className="py-1.5">{d.notes ?? empty}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
