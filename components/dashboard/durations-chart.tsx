/**
 * The dashboard's chart of the time to decision and to sent per week (medians and 90th
 * percentiles) against the review SLA.
 */
import { Group } from "@visx/group";
import { scaleLinear, scalePoint } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { TableHead } from "@/components/ui/table";
import {
  FigureRow,
  Frame,
  hoursText,
  innerH,
  innerW,
  Legend,
  M,
  percentText,
  SERIES_COLORS,
  th,
  weekText,
  XLabels,
  YAxis,
  type Week,
} from "./chart-parts";

export function DurationsChart({ weeks, slaHours }: { weeks: Week[]; slaHours: number }) {
  const series = [
    {
      key: "d50",
      label: "Median time to decision",
      color: SERIES_COLORS.decided,
      get: (w: Week) => w.toDecision.p50,
      dashed: false,
    },
    {
      key: "d90",
      label: "90th percentile to decision",
      color: SERIES_COLORS.decided,
      get: (w: Week) => w.toDecision.p90,
      dashed: true,
    },
    {
      key: "s50",
      label: "Median time to sent",
      color: SERIES_COLORS.sent,
      get: (w: Week) => w.toSent.p50,
      dashed: false,
    },
    {
      key: "s90",
      label: "90th percentile to sent",
      color: SERIES_COLORS.sent,
      get: (w: Week) => w.toSent.p90,
      dashed: true,
    },
  ];
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
      table={
        <table className="w-full min-w-[36rem] border-collapse">
          <caption className="sr-only">Time to decision and to sent, per week</caption>
          <TableHead
            columns={[
              "Week of",
              "Decision, median",
              "Decision, 90th pct.",
              "Sent, median",
              "Sent, 90th pct.",
              "Within SLA",
            ]}
            cellClassName={th}
            rowClassName="border-b border-slate-300"
          />
          <tbody>
            {weeks.map((w) => (
              <FigureRow
                key={w.week}
                head={weekText(w.week)}
                cells={[
                  hoursText(w.toDecision.p50),
                  hoursText(w.toDecision.p90),
                  hoursText(w.toSent.p50),
                  hoursText(w.toSent.p90),
                  percentText(w.slaCompliance),
                ]}
              />
            ))}
          </tbody>
        </table>
      }
    >
      <Group left={M.left} top={M.top}>
        <YAxis scale={y} format={(v) => `${v} h`} />
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
        <XLabels labels={weeks.map((w) => weekText(w.week))} x={(i) => x(weeks[i]!.week) ?? 0} />
      </Group>
    </Frame>
  );
}
