"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, useTransition } from "react";
import { setNameSearchAction } from "@/app/(app)/queue/actions";
import { btnSecondary, input } from "@/components/ui/styles";
import { looksLikeRequestId } from "@/lib/validations/queue-view";

/**
 * Request ids go in the URL (shareable, not PHI). Client names go to an httpOnly cookie
 * through a server action, so they never reach a URL, a log line or the browser history.
 */
export function SearchBox({ nameSearch, rid }: { nameSearch: string | null; rid: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [term, setTerm] = useState(rid ?? nameSearch ?? "");
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);

  const go = (q: string) => {
    const next = new URLSearchParams(params.toString());
    next.delete("after");
    next.delete("before");
    next.delete("rid");
    const trimmed = q.trim();
    const isId = trimmed !== "" && looksLikeRequestId(trimmed);
    if (isId) next.set("rid", trimmed);
    startTransition(async () => {
      const res = await setNameSearchAction({ q: isId ? "" : trimmed });
      if (res.status !== "success") {
        setMessage(res.message ?? "Search failed.");
        return;
      }
      setMessage(null);
      const qs = next.toString();
      router.push(`${pathname}${qs ? `?${qs}` : ""}`);
      router.refresh();
    });
  };

  return (
    <form
      role="search"
      aria-label="Search referral requests"
      className="flex w-full flex-wrap items-end gap-2 sm:w-auto"
      onSubmit={(e) => {
        e.preventDefault();
        go(term);
      }}
    >
      <div className="min-w-0 flex-1 sm:w-72 sm:flex-none">
        <label htmlFor="queue-search" className="block text-sm font-medium text-slate-800">
          Client name or request id{" "}
          <kbd className="ml-1 rounded border border-slate-300 bg-slate-50 px-1 text-xs text-slate-700">/</kbd>
        </label>
        <input
          id="queue-search"
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          placeholder="e.g. Smithers or 0e1d5e34"
          className={`${input} mt-1`}
          maxLength={100}
        />
      </div>
      <button type="submit" className={btnSecondary} disabled={pending}>
        Search
      </button>
      {nameSearch || rid ? (
        <button
          type="button"
          className={btnSecondary}
          disabled={pending}
          onClick={() => {
            setTerm("");
            go("");
          }}
        >
          Clear search
        </button>
      ) : null}
      {message ? (
        <p role="alert" className="w-full text-sm text-red-800">
          {message}
        </p>
      ) : null}
    </form>
  );
}
