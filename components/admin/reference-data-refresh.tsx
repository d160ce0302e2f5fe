"use client";

import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { refreshReferenceDataAction } from "@/app/(app)/admin/actions";
import { btnSecondary } from "@/components/ui/styles";

export function ReferenceDataRefresh() {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <ActionButton
        action={refreshReferenceDataAction}
        busy="Refreshing…"
        className={btnSecondary}
        onResult={(r) => setMsg({ ok: r.status === "success", text: r.message ?? r.status })}
      >
        Refresh now
      </ActionButton>
      <p role="status" className={msg?.ok === false ? "text-sm text-red-800" : "text-sm text-slate-800"}>
        {msg?.text ?? ""}
      </p>
    </div>
  );
}
