"use client";

import { Link } from "@/components/ui/link";
import { useState } from "react";
import { markNotDuplicateAction } from "@/app/(app)/referrals/[id]/actions";
import { ActionButton, resultMsg } from "@/components/ui/action-button";
import type { DuplicateView } from "@/lib/referrals/duplicates";

type Msg = { ok: boolean; text: string } | null;

/** What the answer is when the action never came back. */
const CONNECTION_FAILED = {
  status: "failed",
  message: "The connection failed; nothing was saved. Try again.",
} as const;

function NotDuplicate({ id, other, onDone }: { id: string; other: DuplicateView; onDone: (m: Msg) => void }) {
  return (
    <ActionButton
      aria-label={`Not a duplicate of ${other.requestId.slice(0, 8)}`}
      action={() => markNotDuplicateAction({ referralId: id, otherId: other.id }).catch(() => CONNECTION_FAILED)}
      onResult={(r) => onDone(resultMsg(r))}
      refresh
      busy="Saving…"
    >
      Not a duplicate
    </ActionButton>
  );
}

/**
 * "Possibly the same request as …": the requests this one looks like (lib/referrals/duplicates.ts),
 * each with a link, why, and for reviewers "Not a duplicate" (audited; the pair is not shown again).
 */
export function PossibleDuplicates({
  id,
  duplicates,
  canDecide,
}: {
  id: string;
  duplicates: DuplicateView[];
  canDecide: boolean;
}) {
  const [msg, setMsg] = useState<Msg>(null);
  if (!duplicates.length && !msg) return null;
  return (
    <section
      aria-labelledby="duplicates-title"
      className="rounded-lg border-2 border-amber-600 bg-white shadow-sm"
      data-testid="possible-duplicates"
    >
      <h2
        id="duplicates-title"
        className="border-b border-amber-200 bg-amber-50 px-4 py-2.5 text-base font-semibold text-amber-950"
      >
        Possible duplicate{duplicates.length === 1 ? "" : "s"}
      </h2>
      <div className="space-y-3 px-4 py-3 text-sm">
        {duplicates.length ? (
          <ul className="space-y-3">
            {duplicates.map((d) => (
              <li key={d.id} className="flex flex-wrap items-start justify-between gap-2" data-duplicate-of={d.id}>
                <div className="min-w-0 space-y-0.5">
                  <p className="text-slate-900">
                    Possibly the same request as{" "}
                    <Link
                      href={`/referrals/${d.id}`}
                      className="font-mono font-semibold text-blue-800 underline underline-offset-2"
                    >
                      {d.requestId.slice(0, 8)}
                    </Link>{" "}
                    <span className="text-slate-700">
                      ({d.agencyName}, {d.statusLabel}, received {d.received})
                    </span>
                  </p>
                  <p className="text-slate-700">{d.why}.</p>
                </div>
                {canDecide ? <NotDuplicate id={id} other={d} onDone={setMsg} /> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {msg ? (
          <p
            role={msg.ok ? "status" : "alert"}
            className={`rounded-md p-2 ${msg.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
          >
            {msg.text}
          </p>
        ) : null}
      </div>
    </section>
  );
}
