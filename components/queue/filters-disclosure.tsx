"use client";

import { useState } from "react";

/** Filters fold away on narrow screens; always shown from md up. */
export function FiltersDisclosure({ activeCount, children }: { activeCount: number; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="queue-filters"
        onClick={() => setOpen((o) => !o)}
        className="inline-flex items-center gap-2 rounded-md border border-slate-400 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100 md:hidden"
      >
        Filters{activeCount ? ` (${activeCount} active)` : ""}
        <span aria-hidden="true">{open ? "▴" : "▾"}</span>
      </button>
      <div id="queue-filters" className={`${open ? "block" : "hidden"} mt-3 md:mt-0 md:block`}>
        {children}
      </div>
    </div>
  );
}
