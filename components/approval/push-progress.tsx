"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { PushProgress as TPushProgress } from "@/lib/approval/progress";
import { card } from "@/components/ui/styles";
import { pushSentWords } from "@/lib/approval/push-steps";
import { STEP_LABELS } from "@/lib/approval/push-steps";
import { QueryProvider } from "@/components/providers";

const TITLES: Record<string, [string, string]> = {
  approve: ["Sending to ACCloud", "Sent to ACCloud"],
  update: ["Sending the update to ACCloud", "Update sent to ACCloud"],
  cancel: ["Cancelling in ACCloud", "Cancelled in ACCloud"],
  documents: ["Sending documents to ACCloud", "Documents sent to ACCloud"],
};
const TERMINAL = new Set(["sent", "failed"]);

export const pushQueryKey = (id: string) => ["referral", id, "push"] as const;

async function fetchProgress(id: string): Promise<TPushProgress> {
  const res = await fetch(`/api/referrals/${id}/push`, { cache: "no-store" });
  if (!res.ok) throw new Error(`progress ${res.status}`);
  return (await res.json()) as TPushProgress;
}

type PushProgressProps = {
  referralId: string;
  initial: TPushProgress;
  /** the referral's version the rest of the page shows (read before this panel's `initial`) */
  shownVersion: number;
};

/** The panel with its own react-query client (the referral page has no other poll). */
export function PushProgressWithQuery(props: PushProgressProps) {
  return (
    <QueryProvider>
      <PushProgress {...props} />
    </QueryProvider>
  );
}

/** The push as steps, live until it ends; a toast when it does. */
export function PushProgress({ referralId, initial, shownVersion }: PushProgressProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // The server's render is newer than the cache after a retry (router.refresh): take it, and the
  // polling below starts again for the new or re-queued push.
  useEffect(() => {
    queryClient.setQueryData(pushQueryKey(referralId), initial);
  }, [queryClient, referralId, initial]);
  const { data } = useQuery({
    queryKey: pushQueryKey(referralId),
    queryFn: () => fetchProgress(referralId),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.push && !TERMINAL.has(q.state.data.push.status) ? 1000 : false),
  });
  const push = data.push;
  const previous = useRef(push?.status);
  const [toast, setToast] = useState<string | null>(null);
  // The page is read again once per ended push and version: when this panel saw it end, and also
  // when it ended before the panel saw it running (a fast push) while the page still shows the
  // referral as it was. The page reads the referral before this panel's push, so a push that ends
  // between the two reads leaves the page a version behind the panel: that is stale too.
  const refreshedFor = useRef<string | null>(null);
  const stale =
    data.version !== initial.version || data.referralStatus !== initial.referralStatus || data.version !== shownVersion;
  useEffect(() => {
    const was = previous.current;
    previous.current = push?.status;
    if (!push || !TERMINAL.has(push.status)) return;
    const seenEnding = !!was && !TERMINAL.has(was);
    const key = `${push.id}:${push.status}:${data.version}`;
    if ((seenEnding || stale) && refreshedFor.current !== key) {
      refreshedFor.current = key;
      router.refresh();
    }
    if (seenEnding) {
      const sent = pushSentWords(push.kind);
      setToast(push.status !== "sent" ? "The push stopped: see the failed step." : `${sent.title}: ${sent.effect}.`);
      const t = setTimeout(() => setToast(null), 8000);
      return () => clearTimeout(t);
    }
  }, [push, router, stale, data.version]);

  if (!push) return null;
  return (
    <section aria-labelledby="push-title" className={`${card} p-4`} data-testid="push-progress">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="push-title" className="text-base font-semibold">
          {(TITLES[push.kind] ?? TITLES.approve!)[push.status === "sent" ? 1 : 0]}
        </h2>
        <p className="text-sm" data-testid="push-status">
          <PushStatusText status={push.status} />
        </p>
      </div>
      <ol className="mt-3 space-y-2">
        {push.steps.map((s, i) => (
          <li
            key={s.name}
            className="flex items-start gap-3 text-sm"
            data-testid={`push-step-${s.name}`}
            data-status={s.status}
          >
            <span
              aria-hidden="true"
              className={`mt-0.5 inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ${stepColor(s.status)}`}
            >
              {s.status === "done" ? "✓" : s.status === "failed" ? "!" : i + 1}
            </span>
            <div className="min-w-0">
              <p className="font-medium">
                {STEP_LABELS[s.name as keyof typeof STEP_LABELS] ?? s.name}:{" "}
                <span className="font-normal">{stepText(s.status)}</span>
                {s.attempts > 1 ? <span className="text-slate-700"> · attempt {s.attempts}</span> : null}
              </p>
              {s.status === "done" && s.accloudIds?.length ? (
                <p className="break-all text-xs text-slate-700">
                  ACCloud id{s.accloudIds.length > 1 ? "s" : ""}: {s.accloudIds.join(", ")}
                </p>
              ) : null}
              {s.error && s.status !== "done" ? <p className="text-xs text-red-800">{s.error}</p> : null}
            </div>
          </li>
        ))}
      </ol>
      {push.status === "failed" && push.lastError ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-900">
          {push.lastError}
        </p>
      ) : null}
      <div aria-live="polite" role="status" className="sr-only">
        {toast ?? ""}
      </div>
      {toast ? (
        <div
          className="fixed bottom-4 right-4 z-50 max-w-sm rounded-md bg-slate-900 px-4 py-3 text-sm text-white shadow-lg"
          data-testid="toast"
        >
          {toast}
        </div>
      ) : null}
    </section>
  );
}

function PushStatusText({ status }: { status: string }) {
  const text: Record<string, string> = {
    queued: "Waiting for a worker",
    running: "Sending…",
    retrying: "Retrying after an error",
    sent: "Sent",
    failed: "Failed",
  };
  return (
    <span
      className={
        status === "failed"
          ? "font-semibold text-red-800"
          : status === "sent"
            ? "font-semibold text-green-800"
            : "text-slate-800"
      }
    >
      {text[status] ?? status}
    </span>
  );
}

const stepText = (s: string) => ({ waiting: "waiting", running: "running…", done: "done", failed: "failed" })[s] ?? s;
const stepColor = (s: string) =>
  s === "done"
    ? "bg-green-700 text-white"
    : s === "failed"
      ? "bg-red-700 text-white"
      : s === "running"
        ? "bg-blue-800 text-white"
        : "bg-slate-200 text-slate-800";
