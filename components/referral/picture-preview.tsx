"use client";

import { useEffect, useState } from "react";

/**
 * A picture field points at the agency's AlayaCare; the preview appears only once the browser
 * has actually loaded it (never a broken-image box), and gives up after a few seconds.
 */
export function PicturePreview({ src, alt }: { src: string; alt: string }) {
  const [state, setState] = useState<"loading" | "ok" | "failed">("loading");
  useEffect(() => {
    const t = window.setTimeout(() => setState((s) => (s === "loading" ? "failed" : s)), 8000);
    return () => window.clearTimeout(t);
  }, []);
  return (
    <>
      {/* eslint-disable-next-line @next/next/no-img-element -- external, unknown size, may fail: a plain img is right here */}
      <img
        src={src}
        alt={alt}
        referrerPolicy="no-referrer"
        onLoad={() => setState("ok")}
        onError={() => setState("failed")}
        className={state === "ok" ? "mt-2 max-h-48 max-w-full rounded border border-slate-200 bg-slate-50 object-contain" : "hidden"}
      />
      {state === "failed" ? <p className="mt-1 text-xs text-slate-700">No preview: the image is not reachable from this browser.</p> : null}
    </>
  );
}
