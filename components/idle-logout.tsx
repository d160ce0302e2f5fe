"use client";

import { useEffect, useRef, useState } from "react";
import { endIdleSessionAction } from "@/app/sign-in/actions";

const HEARTBEAT_MS = 60_000;
const WARN_BEFORE_MS = 60_000;
/** The server records page views at most every 30 s: a tab counts from the earliest it may have. */
const TOUCH_LAG_MS = 30_000;
const EVENTS = ["keydown", "pointerdown", "wheel", "touchstart", "scroll"] as const;
/** The tabs of one browser tell each other of activity, and of the session's end. */
const CHANNEL = "csi-session-activity";
type TabMessage = { type: "activity"; at: number } | { type: "ended" };

/**
 * HIPAA automatic logoff in the browser: `idleMinutes` after the last activity the page leaves
 * for the sign-in page, so PHI does not stay on an unattended screen. Input is reported to the
 * server at most once a minute (so a reviewer reading or typing a long comment is not signed
 * out), and to the browser's other tabs at once: a quiet tab waits while another is in use. When
 * a tab's time is up it asks the server, which decides from the session's last activity (all
 * tabs feed it): an idle session ends, one still in use does not, and the tab waits the time the
 * server says is left. A minute before the end a notice offers to stay.
 */
export function IdleLogout({ idleMinutes }: { idleMinutes: number }) {
  /** when this tab asks the server to end the session (moved by activity in any tab, or by the server's answer) */
  const deadline = useRef(0);
  /** when this tab last reported activity to the server */
  const lastBeat = useRef(0);
  const asking = useRef(false);
  const channel = useRef<BroadcastChannel | null>(null);
  const [warning, setWarning] = useState<number | null>(null);
  const stayButton = useRef<HTMLButtonElement>(null);
  const idleMs = idleMinutes * 60_000 - TOUCH_LAG_MS;

  const leave = () =>
    window.location.replace(`/sign-in?reason=idle&next=${encodeURIComponent(location.pathname + location.search)}`);

  const sawActivity = (at: number) => {
    deadline.current = Math.max(deadline.current, at + idleMs);
    setWarning(null);
  };

  const askServer = () => {
    if (asking.current) return;
    asking.current = true;
    endIdleSessionAction().then(
      (answer) => {
        asking.current = false;
        if (answer.ended) {
          channel.current?.postMessage({ type: "ended" } satisfies TabMessage);
          leave();
          return;
        }
        // Still in use (another tab, or activity the server heard of after this tab's count began).
        deadline.current = Date.now() + Math.max(answer.remainingMs, 1000);
        setWarning(null);
      },
      // No answer: the screen leaves anyway (PHI is not left up); the session ends on the server on its own clock.
      () => {
        asking.current = false;
        leave();
      },
    );
  };

  const beat = (force: boolean) => {
    if (!force && Date.now() - lastBeat.current < HEARTBEAT_MS) return;
    lastBeat.current = Date.now();
    sawActivity(lastBeat.current);
    channel.current?.postMessage({ type: "activity", at: lastBeat.current } satisfies TabMessage);
    void fetch("/api/session/activity", { method: "POST" })
      .then((r) => {
        if (r.status === 401) askServer();
      })
      .catch(() => undefined);
  };

  useEffect(() => {
    const now = Date.now();
    lastBeat.current = now;
    deadline.current = now + idleMs;
    const ch = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    channel.current = ch;
    ch?.addEventListener("message", (e: MessageEvent<TabMessage>) => {
      if (e.data?.type === "activity" && typeof e.data.at === "number") sawActivity(e.data.at);
      else if (e.data?.type === "ended") leave();
    });
    // This page's load reached the server: activity the other tabs count from too.
    ch?.postMessage({ type: "activity", at: now } satisfies TabMessage);
    const onInput = () => beat(false);
    for (const e of EVENTS) window.addEventListener(e, onInput, { passive: true });
    const timer = window.setInterval(() => {
      if (asking.current) return;
      const left = deadline.current - Date.now();
      if (left <= 0) askServer();
      else setWarning(left <= WARN_BEFORE_MS ? Math.ceil(left / 1000) : null);
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const e of EVENTS) window.removeEventListener(e, onInput);
      ch?.close();
      channel.current = null;
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
