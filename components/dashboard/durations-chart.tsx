/**
 * The dashboard's chart of the time to decision and to sent per week (medians and 90th
 * percentiles) against the review SLA.
 */
import { scaleLinear, scalePoint } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { Frame, innerH, innerW, Legend, SERIES_COLORS, WeekPlot, weekRows, type Week } from "./chart-parts";

export function DurationsChart({ weeks, slaHours }: { weeks: Week[]; slaHours: number }) {
  const series = (
    [
      ["d", "decision", SERIES_COLORS.decided, (w: Week) => w.toDecision],
      ["s", "sent", SERIES_COLORS.sent, (w: Week) => w.toSent],
    ] as const
  ).flatMap(([k, to, color, of]) => [
    { key: `${k}50`, label: `Median time to ${to}`, color, get: (w: Week) => of(w).p50, dashed: false },
    { key: `${k}90`, label: `90th percentile to ${to}`, color, get: (w: Week) => of(w).p90, dashed: true },
  ]);
  const x = scalePoint<string>({ domain: weeks.map((w) => w.week), range: [0, innerW], padding: 0.5 });
  const max = Math.max(slaHours, 1, ...weeks.flatMap((w) => series.map((s) => s.get(w) ?? 0)));
  const y = scaleLinear<number>({ domain: [0, max], range: [innerH, 0], nice: true });
  return (
    <Frame
      id="durations"
      title="Time to decision and to sent, per week"
      desc={`Medians and 90th percentiles in hours from receipt, per week; the dotted line is the ${slaHours}-hour review SLA. The table below lists every week.`}
      legend={
        <Legend
          items={[
            ...series.map((s) => ({ label: s.label, color: s.color, dashed: s.dashed })),
            { label: `SLA (${slaHours} h)`, color: "#64748b", dashed: true },
          ]}
        />
      }
      table={{
        minWidth: "min-w-[36rem]",
        columns: ["Week of", "d50", "d90", "s50", "s90", "sla"],
        rows: weekRows(weeks),
      }}
    >
      <WeekPlot weeks={weeks} y={y} format={(v) => `${v} h`} x={(i) => x(weeks[i]!.week) ?? 0}>
        <line
          x1={0}
          x2={innerW}
          y1={y(slaHours)}
          y2={y(slaHours)}
          stroke="#64748b"
          strokeDasharray="2 3"
          aria-hidden="true"
        />
        {series.map((s) => {
          const points = weeks.filter((w) => s.get(w) !== null);
          return (
            <g key={s.key} aria-hidden="true">
              <LinePath
                data={points}
                x={(w) => x(w.week) ?? 0}
                y={(w) => y(s.get(w) ?? 0)}
                stroke={s.color}
                strokeWidth={2.5}
                strokeDasharray={s.dashed ? "6 4" : undefined}
                fill="none"
              />
              {points.map((w) => (
                <circle key={w.week} cx={x(w.week) ?? 0} cy={y(s.get(w) ?? 0)} r={3} fill={s.color} />
              ))}
            </g>
          );
        })}
      </WeekPlot>
    </Frame>
  );
}
