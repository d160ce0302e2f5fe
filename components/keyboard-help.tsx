"use client";

import { forwardRef, useEffect, useRef, type RefObject } from "react";

/** The "?" dialog listing a page's keyboard shortcuts (a native modal dialog: Escape closes it). */
export const KeyboardHelp = forwardRef<HTMLDialogElement, { shortcuts: Array<[string, string]> }>(function KeyboardHelp(
  { shortcuts },
  ref,
) {
  return (
    <dialog
      ref={ref}
      aria-labelledby="kbd-title"
      className="m-auto w-[min(24rem,calc(100%-2rem))] rounded-lg border border-slate-300 p-5 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id="kbd-title" className="text-lg font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {shortcuts.map(([k, v]) => (
          <div key={k} className="contents">
            <dt>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{k}</kbd>
            </dt>
            <dd className="text-slate-800">{v}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <button
          type="submit"
          className="rounded-md bg-blue-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-900"
        >
          Close
        </button>
      </form>
    </dialog>
  );
});

export const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

/**
 * A page's shortcuts: `onKey` gets each key pressed outside a text field and an open dialog,
 * without modifiers; "?" opens the help. `data-<flag>="ready"` on <html> tells tests that the
 * handler is listening. Returns the help dialog's ref for <ShortcutsHelp>.
 */
export function useShortcuts(
  flag: string,
  onKey: (e: KeyboardEvent) => void,
  deps: unknown[],
): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || dialog.current?.open || document.querySelector("dialog[open]")) return;
      if (isTyping(e.target)) return;
      if (e.key === "?") {
        e.preventDefault();
        dialog.current?.showModal();
        return;
      }
      onKey(e);
    };
    document.addEventListener("keydown", listener);
    document.documentElement.dataset[flag] = "ready";
    return () => {
      document.removeEventListener("keydown", listener);
      delete document.documentElement.dataset[flag];
    };
    // The caller lists what its handler reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return dialog;
}

/** The "Keyboard shortcuts" link and its dialog. */
export function ShortcutsHelp({
  dialog,
  shortcuts,
}: {
  dialog: RefObject<HTMLDialogElement | null>;
  shortcuts: Array<[string, string]>;
}) {
  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="text-sm font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950"
      >
        Keyboard shortcuts
      </button>
      <KeyboardHelp ref={dialog} shortcuts={shortcuts} />
    </>
  );
}
