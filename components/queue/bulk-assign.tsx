"use client";

import { useRef, useState, useTransition } from "react";
import { resultFieldErrors } from "@/lib/validations/action-result";
import { bulkAssignAction } from "@/app/(app)/queue/actions";
import { SubmitButton } from "@/components/ui/form-field";
import { btnSecondary } from "@/components/ui/styles";

export const BULK_FORM_ID = "bulk-assign";

/** Supervisors and admins: the row checkboxes belong to this form through their `form` attribute. */
export function BulkAssignBar({ reviewers }: { reviewers: Array<{ id: string; name: string }> }) {
  const form = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const boxes = () =>
    Array.from(document.querySelectorAll<HTMLInputElement>(`input[type=checkbox][form="${BULK_FORM_ID}"][name="ids"]`));
  return (
    <form
      id={BULK_FORM_ID}
      ref={form}
      aria-label="Bulk assignment"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const ids = data.getAll("ids").map(String);
        const assignee = String(data.get("assigneeId") ?? "");
        if (!ids.length) {
          setResult({ ok: false, text: "Select requests first (the checkboxes in the first column)." });
          return;
        }
        startTransition(async () => {
          const res = await bulkAssignAction({ ids, assigneeId: assignee === "none" ? null : assignee });
          setResult({
            ok: res.status === "success",
            text: res.message ?? (Object.values(resultFieldErrors(res)).flat().join(" ") || "Could not save."),
          });
          if (res.status === "success") for (const b of boxes()) b.checked = false;
        });
      }}
    >
      <div>
        <label htmlFor="bulk-assignee" className="block text-sm font-medium text-slate-800">
          Assign selected to
        </label>
        <select
          id="bulk-assignee"
          name="assigneeId"
          className="mt-1 rounded-md border border-slate-500 bg-white px-2 py-2 text-sm"
          defaultValue={reviewers[0]?.id ?? "none"}
        >
          {reviewers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
          <option value="none">Nobody (unassign)</option>
        </select>
      </div>
      <SubmitButton pending={pending} busy="Saving…">
        Apply to selected
      </SubmitButton>
      <button
        type="button"
        className={btnSecondary}
        onClick={() => {
          const all = boxes();
          const check = all.some((b) => !b.checked);
          for (const b of all) b.checked = check;
        }}
      >
        Select / clear page
      </button>
      <p aria-live="polite" className={`w-full text-sm ${result?.ok ? "text-green-800" : "text-red-800"}`}>
        {result?.text}
      </p>
    </form>
  );
}
