"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useState } from "react";
import { isTyping } from "@/components/keyboard-help";
import type { ViewerFile } from "@/lib/referrals/order-checks";
import { SHOW_ORDER_EVENT, type OrderTarget, type Place } from "./order-target";

/** The viewer's code loads when it is first shown (on a phone: when asked for), not with the page. */
const OrderViewer = dynamic(() => import("./order-viewer").then((m) => m.OrderViewer), {
  ssr: false,
  loading: () => <ViewerSkeleton />,
});

/** The viewer's frame while its code loads: the same box, so nothing moves when it arrives. */
function ViewerSkeleton() {
  return (
    <div className="flex h-full min-h-0 flex-col" aria-busy="true">
      <div className="h-11 shrink-0 border-b border-slate-200 bg-slate-50" />
      <div className="min-h-0 flex-1 bg-slate-100" />
    </div>
  );
}

/** The width from which the referral page has two panes (Tailwind's xl). */
const WIDE = "(min-width: 80rem)";

/**
 * The documents' pane: on wide screens beside the form (open unless `o` closes it), on narrow
 * ones folded under "Show the order". Holds which file and page are shown, so the keyboard (`o`,
 * `[`, `]`) and the "See the order" links of the form work before the viewer's code has loaded.
 */
export function OrderPane({
  referralId,
  files,
  initialFileId,
  summary,
}: {
  referralId: string;
  files: ViewerFile[];
  initialFileId: string;
  summary: string;
}) {
  // null: as the width decides (open on wide screens, folded on narrow ones).
  const [open, setOpen] = useState<boolean | null>(null);
  const [wide, setWide] = useState(false);
  const [place, setPlace] = useState<Place>({ fileId: initialFileId, page: 1, highlight: null, seq: 0 });
  useEffect(() => {
    const mq = window.matchMedia(WIDE);
    const update = () => setWide(mq.matches);
    update();
    mq.addEventListener("change", update);
    return () => mq.removeEventListener("change", update);
  }, []);
  const shown = open ?? wide;

  const pagesOf = useCallback((fileId: string) => files.find((f) => f.fileId === fileId)?.pages.length ?? 0, [files]);
  const flip = useCallback(
    (by: number) =>
      setPlace((p) => {
        const page = Math.min(Math.max(1, p.page + by), Math.max(1, pagesOf(p.fileId)));
        return page === p.page ? p : { ...p, page, highlight: null, seq: p.seq + 1 };
      }),
    [pagesOf],
  );

  useEffect(() => {
    const onShow = (e: Event) => {
      const t = (e as CustomEvent<OrderTarget>).detail;
      setOpen(true);
      setPlace((p) => ({ fileId: t.fileId, page: t.page, highlight: t, seq: p.seq + 1 }));
    };
    window.addEventListener(SHOW_ORDER_EVENT, onShow);
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target) || document.querySelector("dialog[open]")) return;
      if (e.key === "o") {
        e.preventDefault();
        setOpen(!shown);
      } else if ((e.key === "[" || e.key === "]") && shown) {
        e.preventDefault();
        flip(e.key === "]" ? 1 : -1);
      }
    };
    document.addEventListener("keydown", onKey);
    document.documentElement.dataset.orderKeys = "ready";
    return () => {
      window.removeEventListener(SHOW_ORDER_EVENT, onShow);
      document.removeEventListener("keydown", onKey);
      delete document.documentElement.dataset.orderKeys;
    };
  }, [shown, flip]);

  const state = open === null ? "auto" : open ? "open" : "closed";
  return (
    <section
      aria-labelledby="order-pane-title"
      data-order-pane={state}
      className="relative min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm xl:flex xl:h-[calc(100dvh-2rem)] xl:flex-col xl:data-[order-pane=closed]:h-auto"
    >
      <div className="flex items-start justify-between gap-3 border-b border-slate-200 px-4 py-2.5">
        <div className="min-w-0">
          <h2 id="order-pane-title" className="font-semibold">
            Physician&apos;s order
          </h2>
          <p className="break-words text-xs text-slate-700">{summary}</p>
        </div>
        <button
          type="button"
          aria-expanded={shown}
          aria-controls="order-pane-body"
          onClick={() => setOpen(!shown)}
          className="shrink-0 rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100"
          data-order-toggle
        >
          {/* Before the width is known (the server's render), the words follow the CSS. */}
          {open === null ? (
            <>
              <span className="xl:hidden">Show the order</span>
              <span className="hidden xl:inline">Hide the order</span>
            </>
          ) : shown ? (
            "Hide the order"
          ) : (
            "Show the order"
          )}
          <span className="sr-only"> (keyboard: o)</span>
        </button>
      </div>
      <div
        id="order-pane-body"
        className={`${state === "auto" ? "hidden xl:flex" : state === "open" ? "flex" : "hidden"} h-[75dvh] min-h-0 flex-col xl:h-auto xl:flex-1`}
      >
        {shown ? (
          <OrderViewer
            referralId={referralId}
            files={files}
            place={place}
            onPlace={(fileId, page) => setPlace((p) => ({ fileId, page, highlight: null, seq: p.seq + 1 }))}
          />
        ) : (
          <ViewerSkeleton />
        )}
      </div>
    </section>
  );
}
