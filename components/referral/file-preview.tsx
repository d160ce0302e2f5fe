"use client";

import { useState } from "react";

/** Inline preview on request only: opening one is a recorded file view. */
export function FilePreview({ href, contentType, name }: { href: string; contentType: string; name: string }) {
  const [open, setOpen] = useState(false);
  const isImage = contentType.startsWith("image/");
  const isPdf = contentType === "application/pdf";
  if (!isImage && !isPdf) return null;
  return (
    <div className="mt-2">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="text-sm font-medium text-blue-800 underline underline-offset-2"
      >
        {open ? "Hide preview" : "Show preview"}
      </button>
      {open ? (
        isImage ? (
          // eslint-disable-next-line @next/next/no-img-element -- an authenticated, audited route of unknown size
          <img
            src={href}
            alt={`Preview of ${name}`}
            className="mt-2 max-h-96 max-w-full rounded border border-slate-200 bg-slate-50 object-contain"
            data-testid="file-image-preview"
          />
        ) : (
          <iframe
            src={href}
            title={`Preview of ${name}`}
            className="mt-2 h-[32rem] w-full rounded border border-slate-200"
          />
        )
      ) : null}
    </div>
  );
}
