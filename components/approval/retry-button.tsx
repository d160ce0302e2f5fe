"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { retryPushAction } from "@/app/(app)/referrals/[id]/approval-actions";
import { btnPrimary } from "@/components/ui/styles";

/** Retries a failed push as it is (a cancel, or documents added after sending). */
export function RetryButton({ referralId, version, label }: { referralId: string; version: number; label: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={btnPrimary}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await retryPushAction({ referralId, version });
            setMsg(r.status === "success" ? null : (r.message ?? "Not retried."));
            if (r.status === "success") router.refresh();
          })
        }
      >
        {pending ? "Retrying…" : label}
      </button>
      <p role="alert" className="text-sm text-red-800">
        {msg ?? ""}
      </p>
    </div>
  );
}
