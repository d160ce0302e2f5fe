"use client";

import { useRef } from "react";
import { ShortcutsHelp, useShortcuts } from "@/components/keyboard-help";

const SHORTCUTS: Array<[string, string]> = [
  ["j", "Next request"],
  ["k", "Previous request"],
  ["Enter", "Open the selected request (the first one when none is selected)"],
  ["c", "Claim the selected request"],
  ["/", "Search"],
  ["?", "Show this help"],
];

/** j/k/Enter/c/ / /? over the server-rendered rows (marked data-queue-row). */
export function QueueKeyboard() {
  const index = useRef(-1);
  const dialog = useShortcuts(
    "queueKeys",
    (e) => {
      const rows = Array.from(document.querySelectorAll<HTMLElement>("[data-queue-row]"));
      const select = (i: number) => {
        if (!rows.length) return;
        const next = Math.max(0, Math.min(rows.length - 1, i));
        rows.forEach((r, k) => r.toggleAttribute("data-selected", k === next));
        index.current = next;
        const link = rows[next]?.querySelector<HTMLElement>("[data-row-link]");
        link?.focus();
        link?.scrollIntoView({ block: "nearest" });
      };
      const focusedRow = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>("[data-queue-row]");
      if (focusedRow) index.current = rows.indexOf(focusedRow);
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
          // Nothing selected yet: the first request (the one due first), so a queue opens with Enter alone.
          if (!focusedRow) rows[Math.max(index.current, 0)]?.querySelector<HTMLElement>("[data-row-link]")?.click();
          break;
        case "c": {
          const button = rows[index.current]?.querySelector<HTMLButtonElement>("[data-claim]");
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
      }
    },
    [],
  );
  return <ShortcutsHelp dialog={dialog} shortcuts={SHORTCUTS} />;
}
