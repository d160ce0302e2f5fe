"use client";

import { useEffect, useRef } from "react";

/** A native <dialog> opened as a modal while `open` holds (focus moves in; Escape closes it). */
export function useModal(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return ref;
}
