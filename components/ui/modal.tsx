"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import { useModal } from "@/components/use-modal";
import type { ActionResult } from "@/lib/validations/action-result";

/** The look of a confirmation: a card in the middle of the screen over a dimmed page. */
const DIALOG = "w-[min(32rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40";

/**
 * A native <dialog>, modal while `open` holds (focus moves in; Escape closes it and calls
 * `onClose`), named by the heading whose id is `labelledBy`.
 */
export function Modal({
  open,
  onClose,
  labelledBy,
  testId,
  className = DIALOG,
  children,
}: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  testId: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useModal(open);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby={labelledBy} className={className} data-testid={testId}>
      {children}
    </dialog>
  );
}

/**
 * A confirmation in a Modal that runs an action: whether it is open, pending while the action runs,
 * and what was refused. A success closes it and reads the page's server data again; a refusal
 * leaves it open, saying what `refused` makes of the answer.
 */
export function useConfirmedAction() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<ActionResult<unknown>>, refused: (r: ActionResult<unknown>) => string) =>
    start(async () => {
      setError(null);
      const r = await action();
      if (r.status === "success") {
        setOpen(false);
        router.refresh();
      } else setError(refused(r));
    });
  return { open, setOpen, pending, error, run };
}

/** What a confirmation's action refused, read out at once; nothing while there is nothing. */
export function RefusedAlert({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="rounded-md bg-red-50 p-2 text-red-900">
      {message}
    </p>
  ) : null;
}
