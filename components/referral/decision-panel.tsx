"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, type UseFormReturn } from "react-hook-form";
import { useActionForm } from "@/components/ui/use-action-form";
import {
  dismissAmendmentAction,
  pendingInfoAction,
  rejectReferralAction,
  reopenReferralAction,
} from "@/app/(app)/referrals/[id]/actions";
import { FormField, Select } from "@/components/ui/form-field";
import { btnDanger, btnPrimary, btnSecondary } from "@/components/ui/styles";
import type { ReferralSnapshot } from "@/lib/workflow/transitions";
import { STATUS_LABELS, formatDateTime } from "@/lib/format";
import type { ConflictData } from "@/lib/workflow/decisions";
import type { ActionResult } from "@/lib/validations/action-result";
import { TableHead } from "@/components/ui/table";
import { lazyZodResolver } from "@/components/ui/lazy-schema";
import type {
  TDismissAmendmentInput,
  TPendingInfoInput,
  TRejectInput,
  TReopenInput,
} from "@/lib/validations/decisions";

const decisions = () => import("@/lib/validations/decisions");
const rejectResolver = lazyZodResolver(() => decisions().then((m) => m.ZRejectInput));
const pendingInfoResolver = lazyZodResolver(() => decisions().then((m) => m.ZPendingInfoInput));
const reopenResolver = lazyZodResolver(() => decisions().then((m) => m.ZReopenInput));
const dismissAmendmentResolver = lazyZodResolver(() => decisions().then((m) => m.ZDismissAmendmentInput));

type Reason = { code: string; label: string };
type Outcome = ActionResult<unknown> | null;

/** What changed between the version this page showed and the current one. */
function ConflictNotice({
  seen,
  data,
  message,
  reasons,
}: {
  seen: ReferralSnapshot;
  data: ConflictData;
  message?: string;
  reasons: Reason[];
}) {
  const router = useRouter();
  const cur = data.current;
  const reasonLabel = (code: string | null) => (code ? (reasons.find((r) => r.code === code)?.label ?? code) : "—");
  const rows: Array<[string, string, string]> = [];
  if (seen.status !== cur.status)
    rows.push(["Status", STATUS_LABELS[seen.status] ?? seen.status, STATUS_LABELS[cur.status] ?? cur.status]);
  if (seen.assigneeName !== cur.assigneeName)
    rows.push(["Assignee", seen.assigneeName ?? "Nobody", cur.assigneeName ?? "Nobody"]);
  if (seen.pendingInfoNote !== cur.pendingInfoNote)
    rows.push(["Information requested", seen.pendingInfoNote ?? "—", cur.pendingInfoNote ?? "—"]);
  if (seen.decisionReasonCode !== cur.decisionReasonCode)
    rows.push(["Rejection reason", reasonLabel(seen.decisionReasonCode), reasonLabel(cur.decisionReasonCode)]);
  if (seen.decisionComment !== cur.decisionComment)
    rows.push(["Decision comment", seen.decisionComment ?? "—", cur.decisionComment ?? "—"]);
  if (seen.submissionCount !== cur.submissionCount)
    rows.push(["Submissions", String(seen.submissionCount), `${cur.submissionCount} (amended by the agency)`]);
  return (
    <div
      role="alert"
      className="rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="conflict"
    >
      <p className="font-semibold">Not saved: {message ?? "this request changed since you opened it."}</p>
      {data.lastChange ? (
        <p className="mt-1">
          Last change by {data.lastChange.actorLabel} at {formatDateTime(data.lastChange.at)}.
        </p>
      ) : null}
      {rows.length ? (
        <table className="mt-2 w-full border-collapse text-left">
          <caption className="sr-only">What changed</caption>
          <TableHead
            columns={["What", "You saw", { label: "Now", className: "py-1" }]}
            cellClassName="py-1 pr-2"
            rowClassName="text-xs uppercase tracking-wide"
          />
          <tbody>
            {rows.map(([what, before, after]) => (
              <tr key={what} className="border-t border-amber-200 align-top">
                <th scope="row" className="py-1 pr-2 font-medium">
                  {what}
                </th>
                <td className="py-1 pr-2">{before}</td>
                <td className="py-1 font-semibold">{after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" className={`${btnSecondary} mt-3`} onClick={() => router.refresh()}>
        Load the latest version
      </button>
    </div>
  );
}

function Result({ outcome, seen, reasons }: { outcome: Outcome; seen: ReferralSnapshot; reasons: Reason[] }) {
  if (!outcome) return null;
  if (outcome.status === "conflict" && outcome.data)
    return (
      <ConflictNotice seen={seen} data={outcome.data as ConflictData} message={outcome.message} reasons={reasons} />
    );
  if (outcome.status === "success")
    return (
      <p role="status" className="text-sm text-green-800">
        {outcome.message}
      </p>
    );
  if (outcome.status === "invalid_data" && outcome.fieldErrors && !outcome.message) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900"
      data-testid="action-error"
    >
      {outcome.message ?? "Could not save."}
    </p>
  );
}

/**
 * One decision form: the schema's resolver and defaults, its action, and the fields. Field errors
 * the server names go back onto the fields; the outcome goes to the panel.
 */
function DecisionForm<T extends FieldValues>({
  label: name,
  resolver,
  defaultValues,
  action,
  onDone,
  submit,
  busy,
  danger,
  children,
}: {
  label: string;
  resolver: Resolver<T>;
  defaultValues: DefaultValues<T>;
  action: (values: T) => Promise<ActionResult<unknown>>;
  onDone: (o: Outcome) => void;
  submit: string;
  busy: string;
  danger?: boolean;
  children: (form: UseFormReturn<T>) => React.ReactNode;
}) {
  const { form, pending, onSubmit } = useActionForm<T>({ resolver, defaultValues, action, onResult: onDone });
  return (
    <form noValidate aria-label={name} className="space-y-3" onSubmit={onSubmit}>
      {children(form)}
      <button type="submit" className={danger ? btnDanger : btnPrimary} disabled={pending}>
        {pending ? busy : submit}
      </button>
    </form>
  );
}

type FormProps = { id: string; version: number; onDone: (o: Outcome) => void };

function RejectForm({ id, version, reasons, onDone }: FormProps & { reasons: Reason[] }) {
  return (
    <DecisionForm<TRejectInput>
      label="Reject"
      resolver={rejectResolver}
      defaultValues={{ referralId: id, version, reasonCode: "", comment: "" }}
      action={rejectReferralAction}
      onDone={onDone}
      submit="Reject request"
      busy="Rejecting…"
      danger
    >
      {({ register, formState: { errors } }) => (
        <>
          <FormField id="reject-reason" label="Reason" error={errors.reasonCode?.message}>
            {(c) => (
              <Select
                {...register("reasonCode")}
                {...c}
                items={[["", "Choose a reason…"], ...reasons.map((r) => [r.code, r.label] as const)]}
              />
            )}
          </FormField>
          <FormField id="reject-comment" label="Comment" error={errors.comment?.message}>
            {(c) => <textarea rows={3} {...register("comment")} {...c} />}
          </FormField>
        </>
      )}
    </DecisionForm>
  );
}

/** A decision whose form is one text: its words, and the field (a note or a comment) it sends. */
type TextDecision<T extends FieldValues> = {
  label: string;
  resolver: Resolver<T>;
  action: (values: T) => Promise<ActionResult<unknown>>;
  submit: string;
  busy: string;
  text: { name: "note" | "comment"; id: string; label: string; hint?: string; rows: number };
};

const TEXT_DECISIONS: {
  pending: TextDecision<TPendingInfoInput>;
  reopen: TextDecision<TReopenInput>;
  dismiss: TextDecision<TDismissAmendmentInput>;
} = {
  pending: {
    label: "Request information",
    resolver: pendingInfoResolver,
    action: pendingInfoAction,
    submit: "Mark pending information",
    busy: "Saving…",
    text: {
      name: "note",
      id: "pending-note",
      label: "What information is missing?",
      hint: "The SLA clock pauses until the request is reopened.",
      rows: 3,
    },
  },
  reopen: {
    label: "Reopen",
    resolver: reopenResolver,
    action: reopenReferralAction,
    submit: "Reopen for review",
    busy: "Reopening…",
    text: { name: "comment", id: "reopen-comment", label: "Comment (optional)", rows: 2 },
  },
  dismiss: {
    label: "No change needed",
    resolver: dismissAmendmentResolver,
    action: dismissAmendmentAction,
    submit: "Mark the amendment as answered",
    busy: "Saving…",
    text: {
      name: "note",
      id: "dismiss-note",
      label: "Why does the amendment need no change?",
      hint: "Nothing is sent to the agency; the note stays in the audit trail.",
      rows: 3,
    },
  },
};

function TextDecisionForm<T extends FieldValues>({
  id,
  version,
  onDone,
  decision: { text, ...words },
}: FormProps & { decision: TextDecision<T> }) {
  const name = text.name as Path<T>;
  return (
    <DecisionForm<T>
      {...words}
      defaultValues={{ referralId: id, version, [text.name]: "" } as DefaultValues<T>}
      onDone={onDone}
    >
      {({ register, formState: { errors } }) => (
        <FormField id={text.id} label={text.label} error={errors[name]?.message as string | undefined} hint={text.hint}>
          {(c) => <textarea rows={text.rows} {...register(name)} {...c} />}
        </FormField>
      )}
    </DecisionForm>
  );
}

type Choice = "reject" | "pending" | "reopen" | "dismiss";

/**
 * The decisions that need no ACCloud (approval has its own editor, which sends to ACCloud).
 * Each form sends the version it was rendered with; a stale one comes back as a conflict.
 */
export function DecisionPanel({
  referralId,
  snapshot,
  reasons,
}: {
  referralId: string;
  snapshot: ReferralSnapshot;
  reasons: Reason[];
}) {
  const { status, version } = snapshot;
  const choices: Array<{ key: Choice; label: string }> = [];
  if (status === "new" || status === "in_review")
    choices.push({ key: "reject", label: "Reject" }, { key: "pending", label: "Pending information" });
  if (status === "pending_info") choices.push({ key: "reopen", label: "Reopen" }, { key: "reject", label: "Reject" });
  if (status === "rejected") choices.push({ key: "reopen", label: "Reopen" });
  if (snapshot.amendedAfterDecision) choices.push({ key: "dismiss", label: "Amendment: no change needed" });
  const [choice, setChoice] = useState<Choice | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const form: FormProps = { id: referralId, version, onDone: setOutcome };

  if (!choices.length) {
    // A sent referral is changed or cancelled from its own controls (Change approval, Cancel referral).
    if (["sent", "processed", "push_failed"].includes(status)) return null;
    return (
      <p className="text-sm text-slate-700">
        No decision applies to a request that is {STATUS_LABELS[status]?.toLowerCase()}.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <div role="group" aria-label="Decision" className="flex flex-wrap gap-2">
        {choices.map((c) => (
          <button
            key={c.key}
            type="button"
            aria-pressed={choice === c.key}
            onClick={() => {
              setChoice(choice === c.key ? null : c.key);
              setOutcome(null);
            }}
            className={`rounded-md border px-3 py-1.5 text-sm font-medium ${choice === c.key ? "border-blue-800 bg-blue-800 text-white" : "border-slate-400 bg-white text-slate-900 hover:bg-slate-100"}`}
          >
            {c.label}
          </button>
        ))}
      </div>
      {choice === "reject" ? <RejectForm {...form} reasons={reasons} /> : null}
      {choice === "pending" ? <TextDecisionForm {...form} decision={TEXT_DECISIONS.pending} /> : null}
      {choice === "reopen" ? <TextDecisionForm {...form} decision={TEXT_DECISIONS.reopen} /> : null}
      {choice === "dismiss" ? <TextDecisionForm {...form} decision={TEXT_DECISIONS.dismiss} /> : null}
      <div aria-live="polite">
        <Result outcome={outcome} seen={snapshot} reasons={reasons} />
      </div>
    </div>
  );
}
