"use client";

import { useState } from "react";

/** A picture field points at the agency's AlayaCare; the preview shows only if the browser can reach it. */
export function PicturePreview({ src, alt }: { src: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <p className="mt-1 text-xs text-slate-600">No preview: the image is not reachable from this browser.</p>;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- external, unknown size, may fail: a plain img is right here
    <img src={src} alt={alt} loading="lazy" referrerPolicy="no-referrer" onError={() => setFailed(true)} className="mt-2 max-h-48 max-w-full rounded border border-slate-200 bg-slate-50 object-contain" />
  );
}
