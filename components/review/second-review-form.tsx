"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useWatch } from "react-hook-form";
import { acknowledgeDisagreementAction, recordSecondReviewAction } from "@/app/(app)/reviews/actions";
import { ActionButton } from "@/components/ui/action-button";
import { useActionForm } from "@/components/ui/use-action-form";
import { FormField, ResultMessage, SubmitButton } from "@/components/ui/form-field";
import { errorText, label } from "@/components/ui/styles";
import { lazyZodResolver } from "@/components/ui/lazy-schema";
import type { TSecondReviewInput } from "@/lib/validations/supervisors";

const resolver = lazyZodResolver(() => import("@/lib/validations/supervisors").then((m) => m.ZSecondReview));

/** A supervisor's verdict on one drawn approval: agree, or disagree with a note. */
export function SecondReviewForm({ reviewId, referralId }: { reviewId: string; referralId: string }) {
  const router = useRouter();
  const id = useId();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { form, pending, onSubmit } = useActionForm<TSecondReviewInput>({
    resolver,
    defaultValues: { reviewId, note: "" },
    action: (values) => recordSecondReviewAction({ ...values, referralId }),
    onResult: (res) => {
      setMessage({ ok: res.status === "success", text: res.message ?? "" });
      if (res.status === "success" || res.status === "conflict") router.refresh();
    },
  });
  const { errors } = form.formState;
  const verdict = useWatch({ control: form.control, name: "verdict" });
  return (
    <form noValidate aria-label="Record the second review" className="space-y-3" onSubmit={onSubmit}>
      <fieldset aria-describedby={errors.verdict ? `${id}-verdict-error` : undefined}>
        <legend className={label}>Your verdict</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {(["agree", "disagree"] as const).map((v) => (
            <label key={v} className="flex items-center gap-2 text-sm">
              <input type="radio" value={v} {...form.register("verdict")} className="h-4 w-4 accent-blue-800" />
              {v === "agree" ? "I agree with this approval" : "I disagree"}
            </label>
          ))}
        </div>
        {errors.verdict ? (
          <p id={`${id}-verdict-error`} className={errorText}>
            {errors.verdict.message}
          </p>
        ) : null}
      </fieldset>
      <FormField
        id={`${id}-note`}
        label={`Note ${verdict === "disagree" ? "(required: the reviewer reads it)" : "(optional)"}`}
        error={errors.note?.message}
      >
        {(c) => <textarea rows={3} maxLength={2000} {...form.register("note")} {...c} />}
      </FormField>
      <SubmitButton pending={pending} busy="Recording…">
        Record second review
      </SubmitButton>
      <ResultMessage message={message} />
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
