"use client";

import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { retryPushAction } from "@/app/(app)/referrals/[id]/approval-actions";
import { btnPrimary } from "@/components/ui/styles";

/** Retries a failed push as it is (a cancel, or documents added after sending). */
export function RetryButton({ referralId, version, label }: { referralId: string; version: number; label: string }) {
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <ActionButton
        action={() => retryPushAction({ referralId, version })}
        busy="Retrying…"
        className={btnPrimary}
        refresh
        onResult={(r) => setMsg(r.status === "success" ? null : (r.message ?? "Not retried."))}
      >
        {label}
      </ActionButton>
      <p role="alert" className="text-sm text-red-800">
        {msg ?? ""}
      </p>
    </div>
  );
}
