"use client";

import { useEffect, useRef } from "react";
import { approveReferralAction } from "@/app/(app)/referrals/[id]/approval-actions";
import type { DraftedSummary } from "@/lib/approval/drafted-summary";
import type { TApprovalInput } from "@/lib/approval/schema";
import { btnPrimary, btnSecondary, card } from "@/components/ui/styles";
import { Modal, RefusedAlert, useConfirmedAction } from "@/components/ui/modal";

/**
 * "Approve as drafted" (keyboard: a): one confirmation showing exactly what goes to ACCloud, each
 * value with its source, then the approval through the same server action as the editor's. Offered
 * only for a complete draft (lib/approval/draft-view.ts), so from the queue it is Enter, a, Enter.
 */
export function ApproveAsDrafted({
  referralId,
  version,
  values,
  summary,
}: {
  referralId: string;
  version: number;
  values: TApprovalInput;
  summary: DraftedSummary;
}) {
  const { open, setOpen, pending, error, run } = useConfirmedAction();
  const confirmButton = useRef<HTMLButtonElement>(null);
  // The dialog opens on "Approve and send", so Enter confirms (React's autoFocus acts on mount, not on showModal).
  useEffect(() => {
    if (open) confirmButton.current?.focus();
  }, [open]);
  const confirm = () =>
    run(
      () => approveReferralAction({ referralId, version, approval: values }),
      (r) => r.message ?? "Not approved: open the editor below to see why.",
    );
  return (
    <div
      className={`${card} flex flex-wrap items-center justify-between gap-3 border-green-300 p-4`}
      data-testid="approve-as-drafted"
    >
      <p className="min-w-0 flex-1 text-sm text-slate-800">
        <span className="font-semibold text-slate-900">The draft is complete.</span> Every value has a source; no check
        disagrees and no duplicate is flagged.
      </p>
      <button
        type="button"
        className={btnPrimary}
        data-shortcut="approve-drafted"
        aria-keyshortcuts="a"
        onClick={() => setOpen(true)}
      >
        Approve as drafted…
        <kbd className="rounded border border-blue-300 px-1 font-mono text-xs" aria-hidden>
          a
        </kbd>
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        labelledBy="as-drafted-title"
        testId="confirm-as-drafted"
        className="m-auto max-h-[calc(100dvh-2rem)] w-[min(40rem,calc(100vw-1rem))] overflow-y-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-3 p-4 text-sm">
          <h2 id="as-drafted-title" className="text-lg font-semibold">
            Send this approval to ACCloud?
          </h2>
          <p className="text-slate-800">
            Exactly this goes to ACCloud for the agency: the client, the service, its authorizations and the referral.
            Where each value came from is shown under it.
          </p>
          {summary.map((section) => (
            <section key={section.title} aria-label={section.title}>
              <h3 className="font-semibold text-slate-900">{section.title}</h3>
              <dl className="mt-1 grid grid-cols-1 gap-x-3 sm:grid-cols-[9rem_1fr]">
                {section.rows.map((row) => (
                  <div key={row.label} className="contents">
                    <dt className="pt-1 text-slate-700">{row.label}</dt>
                    <dd className="min-w-0 pt-1 break-words">
                      <span className="font-medium text-slate-900">{row.value}</span>
                      {row.source ? <span className="block text-xs text-slate-700">{row.source}</span> : null}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <RefusedAlert message={error} />
          <div className="sticky bottom-0 flex flex-wrap justify-end gap-2 bg-white pt-2">
            <button type="button" className={btnSecondary} onClick={() => setOpen(false)} disabled={pending}>
              Back
            </button>
            <button ref={confirmButton} type="button" className={btnPrimary} onClick={confirm} disabled={pending}>
              {pending ? "Sending…" : "Approve and send"}
            </button>
          </div>
        </div>
      </Modal>
    </div>
  );
}
