"use client";

import { useState } from "react";
import { refreshFromAccloudAction } from "@/app/(app)/referrals/[id]/after-sending-actions";
import { ActionButton } from "@/components/ui/action-button";
import { formatDateTime } from "@/lib/format";

/** Reads the referral's revisions and the agency's status from ACCloud now (the worker does it every few minutes). */
export function RefreshFromAccloud({ referralId, lastSyncedAt }: { referralId: string; lastSyncedAt: string | null }) {
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
      <span aria-live="polite">{msg ?? (lastSyncedAt ? `Read from ACCloud ${formatDateTime(lastSyncedAt)}` : "")}</span>
      <ActionButton
        action={() => refreshFromAccloudAction({ referralId })}
        busy="Reading…"
        refresh
        onResult={(r) => setMsg(r.message ?? null)}
      >
        Refresh from ACCloud
      </ActionButton>
    </div>
  );
}
