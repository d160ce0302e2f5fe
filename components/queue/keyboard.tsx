"use client";

import { useEffect, useRef } from "react";

const SHORTCUTS: Array<[string, string]> = [
  ["j", "Next request"],
  ["k", "Previous request"],
  ["Enter", "Open the selected request"],
  ["c", "Claim the selected request"],
  ["/", "Search"],
  ["?", "Show this help"],
];

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

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
      <button type="button" onClick={() => dialog.current?.showModal()} className="text-sm font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950">
        Keyboard shortcuts
      </button>
      <dialog ref={dialog} aria-labelledby="kbd-title" className="m-auto w-[min(24rem,calc(100%-2rem))] rounded-lg border border-slate-300 p-5 shadow-xl backdrop:bg-slate-900/40">
        <h2 id="kbd-title" className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {SHORTCUTS.map(([k, v]) => (
            <div key={k} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{k}</kbd>
              </dt>
              <dd className="text-slate-800">{v}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog" className="mt-4 text-right">
          <button type="submit" className="rounded-md bg-blue-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-900">
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
