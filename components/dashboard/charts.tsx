/**
 * The dashboard's charts: SVG rendered on the server with visx (scales and shapes, no client
 * JavaScript). Each chart is a figure with a caption, an SVG that names itself and says what
 * it shows (role="img", <title>, <desc>), and the table of its numbers right behind it, which
 * is what a screen reader or a keyboard user reads.
 */
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scalePoint } from "@visx/scale";
import { Bar, LinePath } from "@visx/shape";
import type { Dashboard } from "@/lib/dashboard/turnaround";
import { formatDuration } from "@/lib/format";
import { ScrollTable, TableHead } from "@/components/ui/table";

export const SERIES_COLORS = {
  received: "#1d4ed8",
  decided: "#b45309",
  sent: "#047857",
  cancelled: "#be185d",
} as const;

const W = 800;
const H = 280;
const M = { top: 16, right: 16, bottom: 40, left: 56 };
const innerW = W - M.left - M.right;
const innerH = H - M.top - M.bottom;

export const hoursText = (h: number | null) => (h === null ? "—" : formatDuration(h * 3_600_000));
export const weekText = (ymd: string) =>
  new Date(`${ymd}T12:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

function Legend({ items }: { items: Array<{ label: string; color: string; dashed?: boolean }> }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-800" aria-hidden="true">
      {items.map((i) => (
        <li key={i.label} className="flex items-center gap-1.5">
          <svg width="18" height="10" aria-hidden="true">
            <line
              x1="0"
              y1="5"
              x2="18"
              y2="5"
              stroke={i.color}
              strokeWidth={i.dashed ? 2 : 8}
              strokeDasharray={i.dashed ? "4 3" : undefined}
            />
          </svg>
          {i.label}
        </li>
      ))}
    </ul>
  );
}

function Frame({
  id,
  title,
  desc,
  children,
  legend,
  table,
}: {
  id: string;
  title: string;
  desc: string;
  children: React.ReactNode;
  legend: React.ReactNode;
  table: React.ReactNode;
}) {
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      aria-labelledby={`${id}-caption`}
      data-testid={`chart-${id}`}
    >
      <figcaption id={`${id}-caption`} className="text-base font-semibold text-slate-900">
        {title}
      </figcaption>
      <div className="mt-2">{legend}</div>
      <div
        className="mt-2 overflow-x-auto"
        tabIndex={0}
        role="region"
        aria-label={`${title} (chart, scrolls sideways)`}
      >
        <svg
          viewBox={`0 0 ${W} ${H}`}
          className="h-auto w-full min-w-[34rem] max-w-[56rem]"
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{desc}</desc>
          {children}
        </svg>
      </div>
      <details className="mt-3 text-sm">
        <summary className="w-fit cursor-pointer rounded font-medium text-blue-800 underline underline-offset-2">
          Show the numbers
        </summary>
        <div
          className="mt-2 overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label={`${title}: the numbers (scrolls sideways)`}
        >
          {table}
        </div>
      </details>
    </figure>
  );
}

function YAxis({ scale, format }: { scale: ReturnType<typeof scaleLinear<number>>; format: (v: number) => string }) {
  return (
    <g aria-hidden="true">
      {scale.ticks(5).map((t) => (
        <g key={t} transform={`translate(0, ${scale(t)})`}>
          <line x1={0} x2={innerW} stroke="#e2e8f0" />
          <text x={-8} dy="0.32em" textAnchor="end" fontSize={14} fill="#334155">
            {format(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

function XLabels({ labels, x }: { labels: string[]; x: (i: number) => number }) {
  const every = Math.max(1, Math.ceil(labels.length / 13));
  return (
    <g aria-hidden="true" transform={`translate(0, ${innerH})`}>
      <line x1={0} x2={innerW} stroke="#64748b" />
      {labels.map((l, i) =>
        i % every === 0 ? (
          <text key={`${i}-${l}`} x={x(i)} y={18} textAnchor="middle" fontSize={14} fill="#334155">
            {l}
          </text>
        ) : null,
      )}
    </g>
  );
}

const th = "px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-700";
const td = "px-3 py-1.5 tabular-nums";

/** One row of a chart's table: what it is about, then its numbers. */
function FigureRow({ head, cells }: { head: React.ReactNode; cells: React.ReactNode[] }) {
  return (
    <tr className="border-b border-slate-100">
      <th scope="row" className="px-3 py-1.5 text-left font-medium">
        {head}
      </th>
      {cells.map((c, i) => (
        <td key={i} className={td}>
          {c}
        </td>
      ))}
    </tr>
  );
}

type Week = Dashboard["byWeek"][number];

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
                  pct(w.slaCompliance),
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

type Agency = Dashboard["byAgency"][number];

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
                pct(a.slaCompliance),
              ]}
            />
          ))}
        </ScrollTable>
      </details>
    </figure>
  );
}

export { pct as percentText };
