"use client";

import { useState, useTransition } from "react";
import { refreshReferenceDataAction } from "@/app/(app)/admin/actions";
import { btnSecondary } from "@/components/ui/styles";

export function ReferenceDataRefresh() {
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={btnSecondary}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await refreshReferenceDataAction();
            setMsg({ ok: r.status === "success", text: r.message ?? r.status });
          })
        }
      >
        {pending ? "Refreshing…" : "Refresh now"}
      </button>
      <p role="status" className={msg?.ok === false ? "text-sm text-red-800" : "text-sm text-slate-800"}>
        {msg?.text ?? ""}
      </p>
    </div>
  );
}
