"use client";

import type { Source } from "@/lib/documents/types";
import { showOnOrder } from "./order-target";

/** "See the order": opens the order at the value's page with its words highlighted. */
export function SeeTheOrder({ source, label }: { source: Source; label: string }) {
  return (
    <button
      type="button"
      onClick={() => showOnOrder({ fileId: source.file_id, page: source.page, box: source.box, label })}
      className="font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950"
      data-see-order={label}
    >
      See the order<span className="sr-only"> for {label}</span>
    </button>
  );
}
