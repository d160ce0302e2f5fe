"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { applyFieldErrors } from "@/components/ui/field-errors";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { addReasonAction, setReasonActiveAction } from "@/app/(app)/admin/actions";
import { btnPrimary, btnSmall, errorText, input, label } from "@/components/ui/styles";
import { ZAddReason } from "@/lib/validations/users";

type Reason = { code: string; label: string; active: boolean };

export function ReasonsEditor({ reasons, kind }: { reasons: Reason[]; kind: "rejection" | "update" }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm<z.input<typeof ZAddReason>, unknown, z.infer<typeof ZAddReason>>({
    resolver: zodResolver(ZAddReason),
    defaultValues: { kind, code: "", label: "" },
  });
  const { errors } = form.formState;
  return (
    <div className="space-y-4">
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
        {reasons.map((r) => (
          <li key={r.code} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
            <span className={r.active ? "" : "text-slate-600 line-through"}>
              {r.label} <code className="ml-1 rounded bg-slate-100 px-1 text-xs">{r.code}</code>
            </span>
            <button
              type="button"
              className={btnSmall}
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const res = await setReasonActiveAction({ kind, code: r.code, active: !r.active });
                  setMessage({ ok: res.status === "success", text: res.message ?? "" });
                })
              }
            >
              {r.active ? "Disable" : "Enable"}
              <span className="sr-only"> {r.label}</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        noValidate
        aria-label={kind === "update" ? "Add an update reason" : "Add a rejection reason"}
        className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start"
        onSubmit={form.handleSubmit((values) =>
          start(async () => {
            const res = await addReasonAction({ ...values, kind });
            applyFieldErrors(form.setError, res, { only: (k) => k === "code" });
            setMessage({ ok: res.status === "success", text: res.message ?? "" });
            if (res.status === "success") form.reset();
          }),
        )}
      >
        <div>
          <label htmlFor={`${kind}-reason-code`} className={label}>
            Code
          </label>
          <input id={`${kind}-reason-code`} {...form.register("code")} className={`${input} mt-1`} aria-invalid={errors.code ? true : undefined} />
          {errors.code ? <p className={errorText}>{errors.code.message}</p> : null}
        </div>
        <div>
          <label htmlFor={`${kind}-reason-label`} className={label}>
            Label
          </label>
          <input id={`${kind}-reason-label`} {...form.register("label")} className={`${input} mt-1`} aria-invalid={errors.label ? true : undefined} />
          {errors.label ? <p className={errorText}>{errors.label.message}</p> : null}
        </div>
        <div className="sm:pt-6">
          <button type="submit" className={btnPrimary} disabled={pending}>
            Add reason
          </button>
        </div>
      </form>
      <p aria-live="polite" className={`text-sm ${message?.ok ? "text-green-800" : "text-red-800"}`}>
        {message?.text}
      </p>
    </div>
  );
}
