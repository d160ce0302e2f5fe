/**
 * The dashboard's chart of the time to decision by agency (a bar for the median, a mark for the
 * 90th percentile), busiest agencies first.
 */
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { Frame, Legend, M, SERIES_COLORS, W, type Agency } from "./chart-parts";

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
    <Frame
      id="agencies"
      title="Time to decision by agency"
      desc={`Median and 90th percentile hours from receipt to decision for the ${shown.length} agencies with decisions, busiest first. The table below lists every agency.`}
      height={h}
      legend={
        <Legend
          items={[
            { label: "Median", color: SERIES_COLORS.decided },
            { label: "90th percentile", color: "#334155", dashed: true },
          ]}
        />
      }
      table={{
        minWidth: "min-w-[44rem]",
        caption: "Turnaround by agency",
        label: "By agency: the numbers",
        columns: ["Agency", "received", "decided", "sent", "cancelled", "d50", "d90", "s50", "sla"],
        rows: agencies.map((a) => [a.orgId, a.name, a]),
      }}
    >
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
    </Frame>
  );
}
