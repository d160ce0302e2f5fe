/**
 * What the dashboard's charts share: the drawing area and its margins, the series colours, the
 * number formats, and the pieces each chart is built of (the figure frame with its caption, SVG
 * title and description and the table of its numbers; the legend; the axes). Each chart kind has
 * its own file beside this one; they are SVG rendered on the server with visx (scales and shapes,
 * no client JavaScript). The table under each chart ("Show the numbers", `numbers-table.tsx`) is
 * what a screen reader or a keyboard user reads; it is drawn when opened.
 */
import { Group } from "@visx/group";
import type { scaleLinear } from "@visx/scale";
import type { Dashboard, Figures } from "@/lib/dashboard/turnaround";
import { formatDuration } from "@/lib/format";
import { NumbersTable } from "./numbers-table";

export const SERIES_COLORS = {
  received: "#1d4ed8",
  decided: "#b45309",
  sent: "#047857",
  cancelled: "#be185d",
} as const;

export const W = 800;
const H = 280;
export const M = { top: 16, right: 16, bottom: 40, left: 56 };
export const innerW = W - M.left - M.right;
export const innerH = H - M.top - M.bottom;

export const hoursText = (h: number | null) => (h === null ? "—" : formatDuration(h * 3_600_000));
export const weekText = (ymd: string) =>
  new Date(`${ymd}T12:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
export const percentText = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

export function Legend({ items }: { items: Array<{ label: string; color: string; dashed?: boolean }> }) {
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

/** The figures a chart's table shows of a week or an agency: each one's column heading and its cell. */
const FIGURES = {
  received: ["Received", (f) => f.received],
  decided: ["Decided", (f) => f.decided],
  sent: ["Sent", (f) => f.sent],
  cancelled: ["Cancelled", (f) => f.cancelled],
  d50: ["Decision, median", (f) => hoursText(f.toDecision.p50)],
  d90: ["Decision, 90th pct.", (f) => hoursText(f.toDecision.p90)],
  s50: ["Sent, median", (f) => hoursText(f.toSent.p50)],
  s90: ["Sent, 90th pct.", (f) => hoursText(f.toSent.p90)],
  sla: ["Within SLA", (f) => percentText(f.slaCompliance)],
} satisfies Record<string, readonly [string, (f: Figures) => string | number]>;

/** The table of a chart's numbers: the first column's heading, then the figures it shows; a row per week or agency. */
export type FigureTable = {
  /** the table's least width before the region scrolls (a Tailwind min-w-… class) */
  minWidth: string;
  columns: readonly [string, ...Array<keyof typeof FIGURES>];
  rows: ReadonlyArray<readonly [key: string, head: string, figures: Figures]>;
  /** what the table holds, for screen readers: the chart's title unless said */
  caption?: string;
  /** the name of its scrolling region: "<title>: the numbers" unless said */
  label?: string;
};

/** A table's rows of weeks, each headed by the week it starts. */
export const weekRows = (weeks: Week[]): FigureTable["rows"] => weeks.map((w) => [w.week, weekText(w.week), w]);

export function Frame({
  id,
  title,
  desc,
  height = H,
  children,
  legend,
  table,
}: {
  id: string;
  title: string;
  desc: string;
  /** of the drawing, in the viewBox's units */
  height?: number;
  children: React.ReactNode;
  legend: React.ReactNode;
  table: FigureTable;
}) {
  const [head, ...figures] = table.columns;
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
          viewBox={`0 0 ${W} ${height}`}
          className="h-auto w-full min-w-[34rem] max-w-[56rem]"
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{desc}</desc>
          {children}
        </svg>
      </div>
      <NumbersTable
        label={table.label ?? `${title}: the numbers`}
        caption={table.caption ?? title}
        minWidth={table.minWidth}
        columns={[head, ...figures.map((f) => FIGURES[f][0])]}
        rows={table.rows.map(([key, rowHead, f]) => ({
          key,
          head: rowHead,
          cells: figures.map((k) => FIGURES[k][1](f)),
        }))}
      />
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

/** The drawing of a chart by week inside the margins: the value axis, the marks (`children`), and the weeks below. */
export function WeekPlot({
  weeks,
  y,
  format,
  x,
  children,
}: {
  weeks: Week[];
  y: ReturnType<typeof scaleLinear<number>>;
  format: (v: number) => string;
  /** where the label of the i-th week stands */
  x: (i: number) => number;
  children: React.ReactNode;
}) {
  return (
    <Group left={M.left} top={M.top}>
      <YAxis scale={y} format={format} />
      {children}
      <XLabels labels={weeks.map((w) => weekText(w.week))} x={x} />
    </Group>
  );
}

export type Week = Dashboard["byWeek"][number];
export type Agency = Dashboard["byAgency"][number];
