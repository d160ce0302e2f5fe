"use client";

import { Modal } from "@/components/ui/modal";
import { useWatch, type Control, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { ACTION_WORDS, describeChanges, planAuthorizations, type AuthorizationPlan } from "@/lib/approval/plan";
import { lazySchema, useLazySchema } from "@/components/ui/lazy-schema";
import type { TApproval, TApprovalInput, ZApproval } from "@/lib/approval/schema";
import type { ZUpdateReasons } from "@/lib/approval/after-sending-schema";
import { btnPrimary, btnSecondary, errorText, input, label } from "@/components/ui/styles";

export type ReasonsForm = UseFormReturn<z.input<typeof ZUpdateReasons>, unknown, z.infer<typeof ZUpdateReasons>>;

/** The editor's schema, loaded with its first validation or with the live plan. */
export const approvalSchema = lazySchema(() => import("@/lib/approval/schema").then((m) => m.ZApproval));

/** The plan of an update, or null while the form does not validate yet (or the schema is still loading). */
function planOf(schema: typeof ZApproval | null, sent: TApproval, values: unknown): AuthorizationPlan[] | null {
  const next = schema?.safeParse(values);
  return next?.success ? planAuthorizations(sent, next.data) : null;
}

/** The plan as the reviewer types: the only part of the editor that watches every field. */
export function LiveUpdatePlan({ control, sent }: { control: Control<TApprovalInput>; sent: TApproval }) {
  const values = useWatch({ control });
  const schema = useLazySchema(approvalSchema);
  return <UpdatePlan plan={planOf(schema, sent, values)} loading={!schema} />;
}

/** What happens to each authorization in ACCloud (the contract decides between a PUT and delete-and-recreate). */
export function UpdatePlan({ plan, loading }: { plan: AuthorizationPlan[] | null; loading?: boolean }) {
  return (
    <section
      aria-labelledby="plan-title"
      className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm"
      data-testid="update-plan"
    >
      <h3 id="plan-title" className="font-semibold">
        What happens in ACCloud
      </h3>
      {plan ? (
        <ul className="mt-1 space-y-1">
          {plan.map((p) => (
            <li key={p.index} data-action={p.action}>
              <span className="font-medium">Authorization {p.index + 1}</span>: {ACTION_WORDS[p.action]}
              {p.changed.length && p.action !== "keep" ? ` (${describeChanges(p.changed)})` : ""}.
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-slate-700">
          {loading ? "Working out the plan…" : "Fix the fields above to see what will happen."}
        </p>
      )}
    </section>
  );
}

/** Why the referral changes: the agency reads these with the new revision. */
export function UpdateReasons({
  form,
  reasons,
}: {
  form: ReasonsForm;
  reasons: Array<{ code: string; label: string }>;
}) {
  const { register, formState } = form;
  const reasonError =
    formState.errors.reasonCodes?.message ??
    (formState.errors.reasonCodes as { root?: { message?: string } } | undefined)?.root?.message;
  return (
    <fieldset className="space-y-3" data-testid="update-reasons">
      <legend className="mb-1 text-base font-semibold">Why it changes (the agency reads this)</legend>
      <div className="grid gap-1.5 sm:grid-cols-2">
        {reasons.map((r) => (
          <label key={r.code} className="flex items-center gap-2 text-sm">
            <input type="checkbox" value={r.code} {...register("reasonCodes")} aria-describedby="reasonCodes-error" />{" "}
            {r.label}
          </label>
        ))}
      </div>
      <div>
        <label htmlFor="otherReason" className={label}>
          Another reason (optional)
        </label>
        <input
          id="otherReason"
          className={`${input} mt-1`}
          {...register("otherReason")}
          aria-describedby="reasonCodes-error"
        />
      </div>
      <p id="reasonCodes-error" className={errorText} aria-live="polite">
        {reasonError ?? ""}
      </p>
      <div>
        <label htmlFor="revisionComment" className={label}>
          Comment with this revision (optional)
        </label>
        <textarea id="revisionComment" rows={2} className={`${input} mt-1`} {...register("revisionComment")} />
        <p className={errorText}>{formState.errors.revisionComment?.message ?? ""}</p>
      </div>
    </fieldset>
  );
}

/**
 * The confirmation before an update goes out: what the agency will receive. A native <dialog>
 * (focus moves into it and Escape closes it); "Send update" in it is what sends.
 */
export function ConfirmUpdate({
  open,
  onClose,
  onConfirm,
  pending,
  summary,
}: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
  pending: boolean;
  summary: {
    revision: number;
    dates: string;
    plan: AuthorizationPlan[];
    reasons: string[];
    comment: string | null;
    caseManager: string;
  };
}) {
  return (
    <Modal open={open} onClose={onClose} labelledBy="confirm-update-title" testId="confirm-update">
      <div className="space-y-3 p-4 text-sm">
        <h2 id="confirm-update-title" className="text-lg font-semibold">
          Send revision {summary.revision} to the agency?
        </h2>
        <p>The agency receives a new revision of the referral:</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="text-slate-700">Dates</dt>
          <dd className="font-medium">{summary.dates}</dd>
          <dt className="text-slate-700">Case manager</dt>
          <dd className="font-medium">{summary.caseManager}</dd>
          <dt className="text-slate-700">Reasons</dt>
          <dd className="font-medium">{summary.reasons.join("; ") || "—"}</dd>
          {summary.comment ? (
            <>
              <dt className="text-slate-700">Comment</dt>
              <dd className="font-medium">{summary.comment}</dd>
            </>
          ) : null}
        </dl>
        <UpdatePlan plan={summary.plan} />
        <div className="flex flex-wrap justify-end gap-2 pt-1">
          <button type="button" className={btnSecondary} onClick={onClose} disabled={pending}>
            Back to editing
          </button>
          <button type="button" className={btnPrimary} onClick={onConfirm} disabled={pending} autoFocus>
            {pending ? "Sending…" : "Send update"}
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** The same day one month later (the end of a shorter month when it has no such day). */
export function plusOneMonth(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, mo, Math.min(d, last))).toISOString().slice(0, 10);
}

export type { TApprovalInput };
