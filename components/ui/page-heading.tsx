import type { ReactNode } from "react";

/**
 * A page's title over a line about the page (`children`), with what stands beside them (`aside`,
 * such as a search box) on the right, below them on a narrow screen.
 */
export function PageHeading({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        <p className="text-sm text-slate-700">{children}</p>
      </div>
      {aside}
    </div>
  );
}
