"use client";

import { useEffect, useRef } from "react";
import { isTyping, KeyboardHelp } from "@/components/keyboard-help";

const SHORTCUTS: Array<[string, string]> = [
  ["j", "Next request"],
  ["k", "Previous request"],
  ["Enter", "Open the selected request"],
  ["c", "Claim the selected request"],
  ["/", "Search"],
  ["?", "Show this help"],
];

/** j/k/Enter/c/ / /? over the server-rendered rows (marked data-queue-row). */
export function QueueKeyboard() {
  const dialog = useRef<HTMLDialogElement>(null);
  const index = useRef(-1);

  useEffect(() => {
    const rows = () => Array.from(document.querySelectorAll<HTMLElement>("[data-queue-row]"));
    const select = (i: number) => {
      const all = rows();
      if (!all.length) return;
      const next = Math.max(0, Math.min(all.length - 1, i));
      all.forEach((r, k) => r.toggleAttribute("data-selected", k === next));
      index.current = next;
      const link = all[next]?.querySelector<HTMLElement>("[data-row-link]");
      link?.focus();
      link?.scrollIntoView({ block: "nearest" });
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || dialog.current?.open) return;
      if (isTyping(e.target)) return;
      const all = rows();
      const focusedRow = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>("[data-queue-row]");
      if (focusedRow) index.current = all.indexOf(focusedRow);
      switch (e.key) {
        case "j":
          e.preventDefault();
          select(index.current + 1);
          break;
        case "k":
          e.preventDefault();
          select(index.current < 0 ? 0 : index.current - 1);
          break;
        case "Enter":
          if (!focusedRow && index.current >= 0) all[index.current]?.querySelector<HTMLElement>("[data-row-link]")?.click();
          break;
        case "c": {
          const button = all[index.current]?.querySelector<HTMLButtonElement>("[data-claim]");
          if (button) {
            e.preventDefault();
            button.click();
          }
          break;
        }
        case "/":
          e.preventDefault();
          document.getElementById("queue-search")?.focus();
          break;
        case "?":
          e.preventDefault();
          dialog.current?.showModal();
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    document.documentElement.dataset.queueKeys = "ready";
    return () => {
      document.removeEventListener("keydown", onKey);
      delete document.documentElement.dataset.queueKeys;
    };
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="text-sm font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950"
      >
        Keyboard shortcuts
      </button>
      <KeyboardHelp ref={dialog} shortcuts={SHORTCUTS} />
    </>
  );
}
