"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";

/** Segment error UI: says what failed without details (they may carry PHI) and retries. */
export function RouteError({
  error,
  reset,
  what,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  what: string;
}) {
  const router = useRouter();
  useEffect(() => {
    console.error(`${what} failed${error.digest ? ` (digest ${error.digest})` : ""}`);
  }, [error.digest, what]);
  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg border border-red-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold text-red-900">Could not load the {what}</h1>
      <p className="mt-2 text-sm text-slate-700">
        This may be a temporary problem. Nothing you saved is lost.{error.digest ? ` Reference: ${error.digest}.` : ""}
      </p>
      <button
        type="button"
        className="mt-4 rounded-md bg-blue-800 px-3 py-2 text-sm font-medium text-white hover:bg-blue-900"
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        Try again
      </button>
    </div>
  );
}
