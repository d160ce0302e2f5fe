/**
 * The dashboard's chart of the time to decision by agency (a bar for the median, a mark for the
 * 90th percentile), busiest agencies first.
 */
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { ScrollTable, TableHead } from "@/components/ui/table";
import { FigureRow, hoursText, Legend, M, percentText, SERIES_COLORS, th, W, type Agency } from "./chart-parts";

export function AgencyChart({ agencies }: { agencies: Agency[] }) {
  const shown = agencies.filter((a) => a.toDecision.p50 !== null).slice(0, 12);
  const rowH = 22;
  const h = Math.max(80, shown.length * rowH + 40);
  const left = 230;
  const iw = W - left - M.right;
  const max = Math.max(1, ...shown.map((a) => a.toDecision.p90 ?? a.toDecision.p50 ?? 0));
  const x = scaleLinear<number>({ domain: [0, max], range: [0, iw], nice: true });
  const cut = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      aria-labelledby="agencies-caption"
      data-testid="chart-agencies"
    >
      <figcaption id="agencies-caption" className="text-base font-semibold text-slate-900">
        Time to decision by agency
      </figcaption>
      <div className="mt-2">
        <Legend
          items={[
            { label: "Median", color: SERIES_COLORS.decided },
            { label: "90th percentile", color: "#334155", dashed: true },
          ]}
        />
      </div>
      <div
        className="mt-2 overflow-x-auto"
        tabIndex={0}
        role="region"
        aria-label="Time to decision by agency (chart, scrolls sideways)"
      >
        <svg
          viewBox={`0 0 ${W} ${h}`}
          className="h-auto w-full min-w-[34rem] max-w-[56rem]"
          role="img"
          aria-labelledby="agencies-title agencies-desc"
        >
          <title id="agencies-title">Time to decision by agency</title>
          <desc id="agencies-desc">{`Median and 90th percentile hours from receipt to decision for the ${shown.length} agencies with decisions, busiest first. The table below lists every agency.`}</desc>
          <Group left={left} top={10}>
            {x.ticks(5).map((t) => (
              <g key={t} transform={`translate(${x(t)}, 0)`} aria-hidden="true">
                <line y1={0} y2={shown.length * rowH} stroke="#e2e8f0" />
                <text y={shown.length * rowH + 16} textAnchor="middle" fontSize={14} fill="#334155">
                  {t} h
                </text>
              </g>
            ))}
            {shown.map((a, i) => (
              <g key={a.orgId} transform={`translate(0, ${i * rowH})`} aria-hidden="true">
                <text x={-8} y={rowH / 2} dy="0.32em" textAnchor="end" fontSize={14} fill="#0f172a">
                  {cut(a.name)}
                </text>
                <Bar x={0} y={4} width={x(a.toDecision.p50 ?? 0)} height={rowH - 8} fill={SERIES_COLORS.decided} />
                {a.toDecision.p90 !== null ? (
                  <line
                    x1={x(a.toDecision.p90)}
                    x2={x(a.toDecision.p90)}
                    y1={2}
                    y2={rowH - 2}
                    stroke="#334155"
                    strokeWidth={2.5}
                  />
                ) : null}
              </g>
            ))}
          </Group>
        </svg>
      </div>
      <details className="mt-3 text-sm">
        <summary className="w-fit cursor-pointer rounded font-medium text-blue-800 underline underline-offset-2">
          Show the numbers
        </summary>
        <ScrollTable
          label="By agency: the numbers"
          caption="Turnaround by agency"
          className="mt-2"
          tableClassName="w-full min-w-[44rem] border-collapse"
          head={
            <TableHead
              columns={[
                "Agency",
                "Received",
                "Decided",
                "Sent",
                "Cancelled",
                "Decision, median",
                "Decision, 90th pct.",
                "Sent, median",
                "Within SLA",
              ]}
              cellClassName={th}
              rowClassName="border-b border-slate-300"
            />
          }
        >
          {agencies.map((a) => (
            <FigureRow
              key={a.orgId}
              head={a.name}
              cells={[
                a.received,
                a.decided,
                a.sent,
                a.cancelled,
                hoursText(a.toDecision.p50),
                hoursText(a.toDecision.p90),
                hoursText(a.toSent.p50),
                percentText(a.slaCompliance),
              ]}
            />
          ))}
        </ScrollTable>
      </details>
    </figure>
  );
}
