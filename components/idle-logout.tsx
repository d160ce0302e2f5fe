"use client";

import { useEffect, useRef, useState } from "react";
import { endIdleSessionAction } from "@/app/sign-in/actions";

const HEARTBEAT_MS = 60_000;
const WARN_BEFORE_MS = 60_000;
const EVENTS = ["keydown", "pointerdown", "wheel", "touchstart", "scroll"] as const;

/**
 * HIPAA automatic logoff in the browser: `idleMinutes` after the server last heard of
 * activity the page leaves for the sign-in page, so PHI does not stay on an unattended screen
 * (the server ends the session on the same clock). Input is reported at most once a minute,
 * so a reviewer reading or typing a long comment is not signed out; a minute before the end a
 * notice offers to stay.
 */
export function IdleLogout({ idleMinutes }: { idleMinutes: number }) {
  /** when the server last heard of activity (page load or heartbeat): the deadline counts from here */
  const lastBeat = useRef(0);
  const [warning, setWarning] = useState<number | null>(null);
  const stayButton = useRef<HTMLButtonElement>(null);
  const signInAgain = () => {
    const go = () => window.location.replace(`/sign-in?reason=idle&next=${encodeURIComponent(location.pathname + location.search)}`);
    endIdleSessionAction().then(go, go);
  };

  const beat = (force: boolean) => {
    if (!force && Date.now() - lastBeat.current < HEARTBEAT_MS) return;
    lastBeat.current = Date.now();
    setWarning(null);
    void fetch("/api/session/activity", { method: "POST" })
      .then((r) => {
        if (r.status === 401) signInAgain();
      })
      .catch(() => undefined);
  };

  useEffect(() => {
    // The server records page views at most every 30 s: count from the earliest it may have.
    const idleMs = idleMinutes * 60_000 - 30_000;
    lastBeat.current = Date.now();
    const onInput = () => beat(false);
    for (const e of EVENTS) window.addEventListener(e, onInput, { passive: true });
    const timer = window.setInterval(() => {
      const left = lastBeat.current + idleMs - Date.now();
      if (left <= 0) {
        window.clearInterval(timer);
        signInAgain();
      } else if (left <= WARN_BEFORE_MS) setWarning(Math.ceil(left / 1000));
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const e of EVENTS) window.removeEventListener(e, onInput);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idleMinutes]);

  const warned = warning !== null;
  useEffect(() => {
    if (warned) stayButton.current?.focus();
  }, [warned]);

  if (warning === null) return null;
  return (
    <div
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="idle-title"
      aria-describedby="idle-desc"
      className="fixed inset-x-0 bottom-4 z-50 mx-auto w-[min(28rem,calc(100%-2rem))] rounded-lg border border-amber-400 bg-amber-50 p-4 shadow-lg"
    >
      <h2 id="idle-title" className="font-semibold text-amber-950">
        Still there?
      </h2>
      <p id="idle-desc" className="mt-1 text-sm text-amber-950">
        For privacy you will be signed out in {warning} seconds.
      </p>
      <button
        ref={stayButton}
        type="button"
        className="mt-3 rounded-md bg-blue-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-900"
        onClick={() => beat(true)}
      >
        Stay signed in
      </button>
    </div>
  );
}
