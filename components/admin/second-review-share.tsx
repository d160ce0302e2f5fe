"use client";

import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { useState } from "react";
import type { z } from "zod";
import { setSecondReviewPercentAction } from "@/app/(app)/admin/actions";
import { useActionForm } from "@/components/ui/use-action-form";
import { FormField } from "@/components/ui/form-field";
import { btnPrimary } from "@/components/ui/styles";
import type { ZSecondReviewPercent } from "@/lib/validations/supervisors";

const resolver = lazyZodResolver(() => import("@/lib/validations/supervisors").then((m) => m.ZSecondReviewPercent));

type Values = z.input<typeof ZSecondReviewPercent>;

/** The share of approvals drawn at random for a supervisor's second review. */
export function SecondReviewShare({ percent }: { percent: number }) {
  const [message, setMessage] = useState<string | null>(null);
  const { form, pending, onSubmit } = useActionForm<Values, z.output<typeof ZSecondReviewPercent>>({
    resolver,
    defaultValues: { percent: String(percent) },
    action: setSecondReviewPercentAction,
    onResult: (res) => {
      setMessage(res.status === "success" ? (res.message ?? null) : null);
    },
  });
  return (
    <form
      noValidate
      aria-label="Share of approvals drawn for a second review"
      className="flex flex-wrap items-start gap-3"
      onSubmit={onSubmit}
    >
      <FormField
        id="second-review-percent"
        label="Share of approvals drawn (%)"
        error={form.formState.errors.percent?.message}
        hint="Each approval is drawn with this chance when it is approved; supervisors see the drawn ones under Second reviews."
        controlClassName="mt-1 block h-10 w-28 rounded-md border border-slate-500 bg-white px-2 text-sm"
      >
        {(c) => <input inputMode="numeric" {...form.register("percent")} {...c} />}
      </FormField>
      <div className="pt-6">
        <button type="submit" className={btnPrimary} disabled={pending}>
          Save
        </button>
      </div>
      <p aria-live="polite" className="w-full text-sm text-green-800">
        {message}
      </p>
    </form>
  );
}
