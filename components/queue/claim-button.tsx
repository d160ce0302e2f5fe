"use client";

import { useState, useTransition } from "react";
import { claimReferralAction, unassignReferralAction } from "@/app/(app)/queue/actions";

/** Claim / release from a queue row; `c` on a selected row presses the claim button. */
export function ClaimButton({
  id,
  mode,
  clientName,
}: {
  id: string;
  mode: "claim" | "release" | "unassign";
  clientName: string;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const label = mode === "claim" ? "Claim" : mode === "release" ? "Release" : "Unassign";
  return (
    <div>
      <button
        type="button"
        data-claim={mode === "claim" ? "" : undefined}
        aria-label={`${label} the request for ${clientName}`}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const res =
              mode === "claim"
                ? await claimReferralAction({ referralId: id })
                : await unassignReferralAction({ referralId: id });
            setError(res.status === "success" ? null : (res.message ?? "Could not save."));
          })
        }
        className={`inline-flex items-center rounded-md px-2.5 py-1 text-sm font-medium ${
          mode === "claim"
            ? "bg-blue-800 text-white hover:bg-blue-900"
            : "border border-slate-400 bg-white text-slate-900 hover:bg-slate-100"
        } disabled:opacity-60`}
      >
        {pending ? `${label}…` : label}
      </button>
      {error ? (
        <p role="alert" className="mt-1 max-w-56 text-xs text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
