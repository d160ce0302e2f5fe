"use client";

import { previewRules, type RuleInput } from "@/lib/approval/preview";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAY_HEADS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/** What the rules mean: per week, in total, and on a small calendar of the first months. */
export function RulePreview({
  startDate,
  endDate,
  rules,
  unit,
}: {
  startDate: string;
  endDate: string;
  rules: RuleInput;
  unit: "HOURS" | "VISITS";
}) {
  const p = previewRules(startDate, endDate, rules);
  const word = unit === "HOURS" ? "hours" : "visits";
  if (!p) return <p className="text-sm text-slate-700">Enter the start and end dates to see what these rules allow.</p>;
  const byDate = new Map(p.days.map((d) => [d.date, d.allowed]));
  const months = [...new Set(p.days.map((d) => d.date.slice(0, 7)))].slice(0, 2);
  return (
    <div className="space-y-3" data-testid="rule-preview">
      <p className="text-sm text-slate-900" aria-live="polite">
        {p.unbounded ? (
          <>No limit applies on some days: add a daily, weekday, weekly, monthly or period limit.</>
        ) : (
          <>
            Up to <strong>{p.perWeek}</strong> {word} a week, <strong>{p.total}</strong> {word} in total over{" "}
            {Math.round(p.weeks * 10) / 10} weeks.
          </>
        )}
      </p>
      <div className="flex flex-wrap gap-3">
        {months.map((m) => {
          const [y, mo] = m.split("-").map(Number) as [number, number];
          const first = new Date(Date.UTC(y, mo - 1, 1));
          const lead = (first.getUTCDay() + 6) % 7;
          const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
          const cells: Array<string | null> = [
            ...Array(lead).fill(null),
            ...Array.from({ length: daysInMonth }, (_, i) => `${m}-${String(i + 1).padStart(2, "0")}`),
          ];
          return (
            <table key={m} className="border-collapse text-center text-xs">
              <caption className="mb-1 text-left text-xs font-semibold text-slate-800">
                {MONTHS[mo - 1]} {y}
              </caption>
              <thead>
                <tr>
                  {DAY_HEADS.map((h) => (
                    <th key={h} scope="col" className="h-6 w-7 font-medium text-slate-700">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: Math.ceil(cells.length / 7) }, (_, row) => (
                  <tr key={row}>
                    {cells.slice(row * 7, row * 7 + 7).map((date, i) => {
                      if (!date) return <td key={`e${i}`} />;
                      const allowed = byDate.get(date);
                      const inRange = allowed !== undefined;
                      const has = inRange && allowed! > 0;
                      // The day's number, then (for a screen reader, and on hover) what it allows: one
                      // cell and at most one span a day, since the two months are hydrated with the editor.
                      const says = inRange ? (allowed === Infinity ? "no limit" : `${allowed} ${word}`) : null;
                      return (
                        <td
                          key={date}
                          className={has ? "rp-day rp-has" : inRange ? "rp-day rp-in" : "rp-day"}
                          title={says ? `${date}: ${says}` : undefined}
                        >
                          {Number(date.slice(8))}
                          {says ? <span className="sr-only">{`: ${says}`}</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
      <p className="text-xs text-slate-700">
        Dark days are when {word} may be given (earliest first, within every limit).
      </p>
    </div>
  );
}
