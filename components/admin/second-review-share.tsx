"use client";

import { useState, useTransition } from "react";
import { resultFieldErrors } from "@/lib/validations/action-result";
import { setSecondReviewPercentAction } from "@/app/(app)/admin/actions";
import { btnPrimary, errorText, label } from "@/components/ui/styles";

/** The share of approvals drawn at random for a supervisor's second review. */
export function SecondReviewShare({ percent }: { percent: number }) {
  const [value, setValue] = useState(String(percent));
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <form
      noValidate
      aria-label="Share of approvals drawn for a second review"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(value);
        if (!/^\d+$/.test(value) || n > 100) {
          setError("A whole number from 0 to 100");
          return;
        }
        setError(null);
        start(async () => {
          const res = await setSecondReviewPercentAction({ percent: n });
          setError(resultFieldErrors(res).percent?.[0] ?? null);
          setMessage(res.message ?? null);
        });
      }}
    >
      <div>
        <label htmlFor="second-review-percent" className={label}>
          Share of approvals drawn (%)
        </label>
        <input
          id="second-review-percent"
          inputMode="numeric"
          value={value}
          onChange={(e) => setValue(e.target.value.trim())}
          className="mt-1 block h-10 w-28 rounded-md border border-slate-500 bg-white px-2 text-sm"
          aria-invalid={error ? true : undefined}
          aria-describedby={`second-review-percent-hint${error ? " second-review-percent-error" : ""}`}
        />
      </div>
      <button type="submit" className={btnPrimary} disabled={pending}>
        Save
      </button>
      <p id="second-review-percent-hint" className="w-full text-sm text-slate-700">
        Each approval is drawn with this chance when it is approved; supervisors see the drawn ones under Second reviews.
      </p>
      {error ? (
        <p id="second-review-percent-error" className={`${errorText} w-full`}>
          {error}
        </p>
      ) : null}
      <p aria-live="polite" className="w-full text-sm text-green-800">
        {message}
      </p>
    </form>
  );
}
