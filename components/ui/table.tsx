/** A table's header row: one `<th scope="col">` per column, in the app's header style unless told otherwise. */
export type Column = string | { label: React.ReactNode; className?: string };

export const HEAD_ROW = "border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700";

export function TableHead({
  columns,
  cellClassName = "px-4 py-2",
  rowClassName = HEAD_ROW,
  className,
}: {
  columns: Column[];
  cellClassName?: string;
  rowClassName?: string;
  className?: string;
}) {
  return (
    <thead className={className}>
      <tr className={rowClassName || undefined}>
        {columns.map((c, i) => {
          const col = typeof c === "string" ? { label: c } : c;
          return (
            <th key={i} scope="col" className={col.className ?? cellClassName}>
              {col.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/**
 * A table that scrolls sideways on a narrow screen inside a focusable region (so a keyboard can
 * scroll it), named by `label`; the caption says what the table holds (read by screen readers).
 */
export function ScrollTable({
  label,
  caption,
  captionClassName = "sr-only",
  className = "",
  tableClassName,
  head,
  children,
}: {
  label: string;
  /** what the table holds, for screen readers (the label unless said otherwise) */
  caption?: React.ReactNode;
  captionClassName?: string;
  className?: string;
  tableClassName: string;
  head: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div
      className={`overflow-x-auto ${className}`}
      tabIndex={0}
      role="region"
      aria-label={`${label} (scrolls sideways)`}
    >
      <table className={tableClassName}>
        <caption className={captionClassName}>{caption ?? label}</caption>
        {head}
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
