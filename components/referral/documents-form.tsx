"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { btnSecondary, btnSmall, errorText, label } from "@/components/ui/styles";
import { DOCUMENT_MAX_BYTES } from "@/lib/approval/after-sending-constants";

type Result = { status: string; message?: string; fieldErrors?: Record<string, string[] | undefined> };

/**
 * Documents after sending: add one (50 MB at most, checked here and on the server, which sniffs
 * its type), or send the latest submission's files ACCloud does not have. Each file is sent once.
 */
export function DocumentsForm({
  referralId,
  version,
  unsentLatest,
}: {
  referralId: string;
  version: number;
  unsentLatest: number;
}) {
  const router = useRouter();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const post = (file: File | null) =>
    start(async () => {
      setMsg(null);
      if (file && file.size > DOCUMENT_MAX_BYTES) {
        setMsg({ ok: false, text: `This file is larger than 50 MB (${(file.size / 1_000_000).toFixed(1)} MB).` });
        return;
      }
      const body = new FormData();
      body.set("version", String(version));
      if (file) body.set("file", file);
      const res = await fetch(`/api/referrals/${referralId}/documents`, { method: "POST", body });
      const r = (await res
        .json()
        .catch(() => ({ status: "failed", message: "The server did not answer clearly; try again." }))) as Result & {
        issues?: Array<{ message: string }>;
      };
      const text =
        r.fieldErrors?.file?.[0] ??
        r.fieldErrors?._form?.[0] ??
        r.issues?.[0]?.message ??
        r.message ??
        (res.ok ? "Done." : "Not sent.");
      setMsg({ ok: res.ok, text });
      if (res.ok) {
        if (fileInput.current) fileInput.current.value = "";
        router.refresh();
      }
    });

  return (
    <div className="space-y-3 border-t border-slate-200 px-4 py-3" data-testid="documents-form">
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          const file = fileInput.current?.files?.[0] ?? null;
          if (!file) {
            setMsg({ ok: false, text: "Choose a file first." });
            return;
          }
          post(file);
        }}
      >
        <label htmlFor="document-file" className={label}>
          Add a document for the agency
        </label>
        <input
          id="document-file"
          ref={fileInput}
          type="file"
          name="file"
          className="block w-full text-sm"
          aria-describedby="document-hint document-msg"
        />
        <p id="document-hint" className="text-xs text-slate-700">
          PDF, image, Word or text; at most 50 MB. ACCloud files it under the client&apos;s Marketplace documents.
        </p>
        <button type="submit" className={btnSecondary} disabled={pending}>
          {pending ? "Sending…" : "Send document"}
        </button>
      </form>
      {unsentLatest > 0 ? (
        <button type="button" className={btnSmall} disabled={pending} onClick={() => post(null)}>
          Send the latest submission&apos;s {unsentLatest === 1 ? "file" : `${unsentLatest} files`} to ACCloud
        </button>
      ) : null}
      <p
        id="document-msg"
        role="status"
        aria-live="polite"
        className={msg?.ok === false ? errorText : "text-sm text-green-800"}
      >
        {msg?.text ?? ""}
      </p>
    </div>
  );
}
