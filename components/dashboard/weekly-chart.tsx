/** The dashboard's chart of requests per week: received, decided, sent and cancelled, side by side. */
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { TableHead } from "@/components/ui/table";
import {
  FigureRow,
  Frame,
  innerH,
  innerW,
  Legend,
  M,
  SERIES_COLORS,
  th,
  weekText,
  XLabels,
  YAxis,
  type Week,
} from "./chart-parts";

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
      table={
        <table className="w-full min-w-[28rem] border-collapse">
          <caption className="sr-only">Requests per week</caption>
          <TableHead
            columns={["Week of", "Received", "Decided", "Sent", "Cancelled"]}
            cellClassName={th}
            rowClassName="border-b border-slate-300"
          />
          <tbody>
            {weeks.map((w) => (
              <FigureRow key={w.week} head={weekText(w.week)} cells={[w.received, w.decided, w.sent, w.cancelled]} />
            ))}
          </tbody>
        </table>
      }
    >
      <Group left={M.left} top={M.top}>
        <YAxis scale={y} format={(v) => String(v)} />
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
        <XLabels
          labels={weeks.map((w) => weekText(w.week))}
          x={(i) => (x0(weeks[i]!.week) ?? 0) + x0.bandwidth() / 2}
        />
      </Group>
    </Frame>
  );
}
