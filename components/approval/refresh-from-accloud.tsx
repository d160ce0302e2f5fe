"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { refreshFromAccloudAction } from "@/app/(app)/referrals/[id]/lifecycle-actions";
import { btnSmall } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/referrals/format";

/** Reads the referral's revisions and the agency's status from ACCloud now (the worker does it every few minutes). */
export function RefreshFromAccloud({ referralId, lastSyncedAt }: { referralId: string; lastSyncedAt: string | null }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
      <span aria-live="polite">{msg ?? (lastSyncedAt ? `Read from ACCloud ${formatDateTime(lastSyncedAt)}` : "")}</span>
      <button
        type="button"
        className={btnSmall}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await refreshFromAccloudAction({ referralId });
            setMsg(r.message ?? null);
            if (r.status === "success") router.refresh();
          })
        }
      >
        {pending ? "Reading…" : "Refresh from ACCloud"}
      </button>
    </div>
  );
}
