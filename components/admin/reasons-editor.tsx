"use client";

import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { FormField, ResultMessage } from "@/components/ui/form-field";
import { useActionForm } from "@/components/ui/use-action-form";
import type { z } from "zod";
import { addReasonAction, setReasonActiveAction } from "@/app/(app)/admin/actions";
import { btnPrimary } from "@/components/ui/styles";
import type { ZAddReason } from "@/lib/validations/users";

const resolver = lazyZodResolver(() => import("@/lib/validations/users").then((m) => m.ZAddReason));

type Reason = { code: string; label: string; active: boolean };

export function ReasonsEditor({ reasons, kind }: { reasons: Reason[]; kind: "rejection" | "update" }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { form, pending, onSubmit } = useActionForm<z.input<typeof ZAddReason>, z.infer<typeof ZAddReason>>({
    resolver,
    defaultValues: { kind, code: "", label: "" },
    action: (values) => addReasonAction({ ...values, kind }),
    onResult: (res) => {
      setMessage({ ok: res.status === "success", text: res.message ?? "" });
      if (res.status === "success") form.reset();
    },
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
            <ActionButton
              action={() => setReasonActiveAction({ kind, code: r.code, active: !r.active })}
              busy={r.active ? "Disable" : "Enable"}
              onResult={(res) => setMessage({ ok: res.status === "success", text: res.message ?? "" })}
            >
              {r.active ? "Disable" : "Enable"}
              <span className="sr-only"> {r.label}</span>
            </ActionButton>
          </li>
        ))}
      </ul>
      <form
        noValidate
        aria-label={kind === "update" ? "Add an update reason" : "Add a rejection reason"}
        className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start"
        onSubmit={onSubmit}
      >
        <FormField id={`${kind}-reason-code`} label="Code" error={errors.code?.message}>
          {(c) => <input {...form.register("code")} {...c} />}
        </FormField>
        <FormField id={`${kind}-reason-label`} label="Label" error={errors.label?.message}>
          {(c) => <input {...form.register("label")} {...c} />}
        </FormField>
        <div className="sm:pt-6">
          <button type="submit" className={btnPrimary} disabled={pending}>
            Add reason
          </button>
        </div>
      </form>
      <ResultMessage message={message} />
    </div>
  );
}
