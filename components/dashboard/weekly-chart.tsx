/** The dashboard's chart of requests per week: received, decided, sent and cancelled, side by side. */
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { Frame, innerH, innerW, Legend, SERIES_COLORS, WeekPlot, weekRows, weekText, type Week } from "./chart-parts";

export function WeeklyCountsChart({ weeks }: { weeks: Week[] }) {
  const keys = ["received", "decided", "sent", "cancelled"] as const;
  const x0 = scaleBand<string>({ domain: weeks.map((w) => w.week), range: [0, innerW], padding: 0.2 });
  const x1 = scaleBand<string>({ domain: [...keys], range: [0, x0.bandwidth()], padding: 0.08 });
  const max = Math.max(1, ...weeks.flatMap((w) => keys.map((k) => w[k])));
  const y = scaleLinear<number>({ domain: [0, max], range: [innerH, 0], nice: true });
  const total = (k: (typeof keys)[number]) => weeks.reduce((s, w) => s + w[k], 0);
  return (
    <Frame
      id="weekly"
      title="Requests per week"
      desc={`${weeks.length} weeks from ${weekText(weeks[0]?.week ?? "")}: ${total("received")} received, ${total("decided")} decided, ${total("sent")} sent, ${total("cancelled")} cancelled. The table below lists every week.`}
      legend={
        <Legend items={keys.map((k) => ({ label: k[0]!.toUpperCase() + k.slice(1), color: SERIES_COLORS[k] }))} />
      }
      table={{ minWidth: "min-w-[28rem]", columns: ["Week of", ...keys], rows: weekRows(weeks) }}
    >
      <WeekPlot weeks={weeks} y={y} format={(v) => String(v)} x={(i) => (x0(weeks[i]!.week) ?? 0) + x0.bandwidth() / 2}>
        {weeks.map((w) => (
          <Group key={w.week} left={x0(w.week) ?? 0}>
            {keys.map((k) => (
              <Bar
                key={k}
                x={x1(k) ?? 0}
                y={y(w[k])}
                width={x1.bandwidth()}
                height={innerH - y(w[k])}
                fill={SERIES_COLORS[k]}
              />
            ))}
          </Group>
        ))}
      </WeekPlot>
    </Frame>
  );
}
