"use client";

import { useEffect, useRef, useState } from "react";
import type { ViewerFile } from "@/lib/referrals/order-checks";
import type { Place } from "./order-target";

const ZOOMS = [1, 1.25, 1.5, 2, 3] as const;
/** A checked value is shown on a page at least this wide (pixels on screen): its words legible. */
const READABLE_PX = 640;
const btn =
  "inline-flex h-8 min-w-8 items-center justify-center rounded-md border border-slate-400 bg-white px-2 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";

const STATE_TEXT: Record<ViewerFile["state"], string> = {
  read: "",
  skipped: "The same file as another of this request's files.",
  waiting: "Not read yet: it is being read in the background.",
  unreadable: "This file could not be read",
};

/**
 * The order's pages as the reader drew them (one image a page, through the audited file routes),
 * pages to flip and zoom, and the words of a checked value highlighted on its page. Its state
 * (file, page, highlight) is the pane's, so the keyboard and the form's links drive it.
 */
export function OrderViewer({
  referralId,
  files,
  place,
  onPlace,
}: {
  referralId: string;
  files: ViewerFile[];
  place: Place;
  onPlace: (fileId: string, page: number) => void;
}) {
  const [zoom, setZoom] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const mark = useRef<HTMLDivElement>(null);
  const file = files.find((f) => f.fileId === place.fileId) ?? files[0]!;
  const pageCount = file.pages.length;
  const page = file.pages.find((p) => p.page === place.page) ?? file.pages[0];
  const n = page?.page ?? 1;
  const box =
    place.highlight && place.highlight.fileId === file.fileId && place.highlight.page === n
      ? place.highlight.box
      : null;

  // A value asked for from the form: large enough to read (a page at least READABLE_PX wide), its
  // words in sight, the viewer in focus. Beside the form (wide screens) the page does not move;
  // above it (narrow ones) the viewer comes to the top.
  useEffect(() => {
    const area = scroller.current;
    if (!place.highlight || !area) return;
    if (zoom === 0) {
      const level = ZOOMS.findIndex((z) => z * (area.clientWidth - 16) >= READABLE_PX);
      const next = level < 0 ? ZOOMS.length - 1 : level;
      if (next > 0) return setZoom(next);
    }
    area.focus({ preventScroll: true });
    root.current?.scrollIntoView({ block: window.matchMedia("(min-width: 80rem)").matches ? "nearest" : "start" });
    const el = mark.current;
    if (!el) return;
    const a = area.getBoundingClientRect();
    const m = el.getBoundingClientRect();
    const left = m.width > a.width ? m.left - a.left - 16 : m.left - a.left - (a.width - m.width) / 2;
    area.scrollBy({ top: m.top - a.top - a.height / 3, left });
    // zoom is read, not a trigger: a zoom the reviewer changes later leaves the page where it is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [place.seq, place.highlight, zoom === 0]);

  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <div
      ref={root}
      className="flex h-full min-h-0 flex-col"
      data-order-viewer
      data-order-page={n}
      data-order-file={file.fileId}
    >
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5">
        {files.length > 1 ? (
          <label className="flex min-w-0 max-w-full items-center gap-1.5 text-sm">
            <span className="sr-only">File</span>
            <select
              value={file.fileId}
              onChange={(e) => onPlace(e.target.value, 1)}
              className="h-8 min-w-0 max-w-[14rem] truncate rounded-md border border-slate-500 bg-white px-1.5 text-sm"
            >
              {files.map((f) => (
                <option key={f.fileId} value={f.fileId}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="flex items-center gap-1" role="group" aria-label="Pages">
          <button
            type="button"
            className={btn}
            onClick={() => onPlace(file.fileId, n - 1)}
            disabled={n <= 1}
            data-order-prev
          >
            <span aria-hidden="true">‹</span>
            <span className="sr-only">Previous page (keyboard: [)</span>
          </button>
          <span className="min-w-[5.5rem] text-center text-sm tabular-nums" aria-live="polite">
            {pageCount ? `Page ${n} of ${pageCount}` : "No pages"}
          </span>
          <button
            type="button"
            className={btn}
            onClick={() => onPlace(file.fileId, n + 1)}
            disabled={n >= pageCount}
            data-order-next
          >
            <span aria-hidden="true">›</span>
            <span className="sr-only">Next page (keyboard: ])</span>
          </button>
        </div>
        <div className="flex items-center gap-1" role="group" aria-label="Zoom">
          <button
            type="button"
            className={btn}
            onClick={() => setZoom((z) => Math.max(0, z - 1))}
            disabled={zoom === 0}
          >
            <span aria-hidden="true">−</span>
            <span className="sr-only">Zoom out</span>
          </button>
          <span className="min-w-[3.5rem] text-center text-sm tabular-nums">
            {zoom === 0 ? "Fit" : `${ZOOMS[zoom]! * 100}%`}
          </span>
          <button
            type="button"
            className={btn}
            onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))}
            disabled={zoom === ZOOMS.length - 1}
          >
            <span aria-hidden="true">+</span>
            <span className="sr-only">Zoom in</span>
          </button>
        </div>
        <a
          href={`/api/referrals/${referralId}/files/${file.fileId}`}
          target="_blank"
          rel="noopener"
          className="ml-auto text-sm font-medium text-blue-800 underline underline-offset-2"
        >
          Open the file<span className="sr-only"> {file.name} (new tab)</span>
        </a>
      </div>
      <div
        ref={scroller}
        className="min-h-0 flex-1 overflow-auto bg-slate-200 p-2 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-blue-700"
        tabIndex={0}
        role="region"
        aria-label="Page image (scrolls when zoomed)"
        data-order-scroller
      >
        {page ? (
          <div
            className="relative mx-auto bg-white shadow outline-none"
            style={{ width: `${ZOOMS[zoom]! * 100}%`, aspectRatio: `${page.width} / ${page.height}` }}
            data-order-page={n}
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- an authenticated, audited route */}
            <img
              key={`${file.fileId}-${n}`}
              src={`/api/referrals/${referralId}/files/${file.fileId}/pages/${n}`}
              width={page.width}
              height={page.height}
              alt={`Page ${n} of ${pageCount} of ${file.name}`}
              className="block h-auto w-full"
              decoding="async"
            />
            {box ? (
              <div
                ref={mark}
                className="pointer-events-none absolute rounded-sm bg-yellow-300/40 outline outline-[3px] outline-offset-2 outline-amber-600"
                style={{
                  left: pct(box[0], page.width),
                  top: pct(box[1], page.height),
                  width: pct(box[2], page.width),
                  height: pct(box[3], page.height),
                }}
                data-order-highlight
                role="img"
                aria-label={`${place.highlight!.label} on the order`}
              />
            ) : null}
          </div>
        ) : (
          <div className="mx-auto max-w-md rounded-md bg-white p-4 text-sm text-slate-800">
            <p>
              {STATE_TEXT[file.state]}
              {file.state === "unreadable" && file.reason
                ? `: ${file.reason}.`
                : file.state === "unreadable"
                  ? "."
                  : ""}
            </p>
            <p className="mt-1">You can still open the file itself with the link above.</p>
          </div>
        )}
      </div>
    </div>
  );
}
