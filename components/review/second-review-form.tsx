"use client";

import { ActionButton } from "@/components/ui/action-button";
import { useRouter } from "next/navigation";
import { resultFieldErrors } from "@/lib/validations/action-result";
import { useId, useState, useTransition } from "react";
import { acknowledgeDisagreementAction, recordSecondReviewAction } from "@/app/(app)/reviews/actions";
import { btnPrimary, errorText, input, label } from "@/components/ui/styles";

/** A supervisor's verdict on one drawn approval: agree, or disagree with a note. */
export function SecondReviewForm({ reviewId, referralId }: { reviewId: string; referralId: string }) {
  const router = useRouter();
  const id = useId();
  const [pending, start] = useTransition();
  const [verdict, setVerdict] = useState<"agree" | "disagree" | "">("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <form
      noValidate
      aria-label="Record the second review"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const errs: Record<string, string> = {};
        if (!verdict) errs.verdict = "Choose agree or disagree";
        if (verdict === "disagree" && note.trim().length < 3) errs.note = "Say why you disagree (at least 3 characters)";
        setErrors(errs);
        if (Object.keys(errs).length) return;
        start(async () => {
          const res = await recordSecondReviewAction({ reviewId, referralId, verdict: verdict as "agree" | "disagree", note });
          setErrors(Object.fromEntries(Object.entries(resultFieldErrors(res)).map(([k, v]) => [k, v?.[0] ?? ""])));
          setMessage({ ok: res.status === "success", text: res.message ?? "" });
          if (res.status === "success" || res.status === "conflict") router.refresh();
        });
      }}
    >
      <fieldset aria-describedby={errors.verdict ? `${id}-verdict-error` : undefined}>
        <legend className={label}>Your verdict</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {(["agree", "disagree"] as const).map((v) => (
            <label key={v} className="flex items-center gap-2 text-sm">
              <input type="radio" name={`${id}-verdict`} value={v} checked={verdict === v} onChange={() => setVerdict(v)} className="h-4 w-4 accent-blue-800" />
              {v === "agree" ? "I agree with this approval" : "I disagree"}
            </label>
          ))}
        </div>
        {errors.verdict ? (
          <p id={`${id}-verdict-error`} className={errorText}>
            {errors.verdict}
          </p>
        ) : null}
      </fieldset>
      <div>
        <label htmlFor={`${id}-note`} className={label}>
          Note {verdict === "disagree" ? "(required: the reviewer reads it)" : "(optional)"}
        </label>
        <textarea
          id={`${id}-note`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={3}
          maxLength={2000}
          className={`${input} mt-1`}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={errors.note ? `${id}-note-error` : undefined}
        />
        {errors.note ? (
          <p id={`${id}-note-error`} className={errorText}>
            {errors.note}
          </p>
        ) : null}
      </div>
      <button type="submit" className={btnPrimary} disabled={pending}>
        {pending ? "Recording…" : "Record second review"}
      </button>
      <p aria-live="polite" className={`text-sm ${message?.ok ? "text-green-800" : "text-red-800"}`}>
        {message?.text}
      </p>
    </form>
  );
}

/** The approving reviewer marks a disagreement as read. */
export function AcknowledgeButton({ reviewId }: { reviewId: string }) {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <ActionButton
        action={() => acknowledgeDisagreementAction({ reviewId })}
        busy="Mark as read"
        refresh
        onResult={(res) => setMessage(res.status === "success" ? null : (res.message ?? "Not saved."))}
      >
        Mark as read
      </ActionButton>
      <span aria-live="polite" className="text-sm text-red-800">
        {message}
      </span>
    </span>
  );
}
