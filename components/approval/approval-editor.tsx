"use client";

import { resultFieldErrors } from "@/lib/validations/action-result";
import { applyFieldErrors } from "@/components/ui/field-errors";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { afterNextPaint } from "@/components/ui/after-paint";
import {
  approveReferralAction,
  retryPushAction,
  saveApprovalDraftAction,
} from "@/app/(app)/referrals/[id]/approval-actions";
import { changeApprovalAction } from "@/app/(app)/referrals/[id]/after-sending-actions";
import {
  approvalSchema,
  ConfirmUpdate,
  LiveUpdatePlan,
  plusOneMonth,
  UpdateReasons,
  type ReasonsForm,
} from "./update-parts";
import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { planAuthorizations } from "@/lib/approval/plan";
import { emptyAuthorization } from "@/lib/approval/constants";
import type { TApproval, TApprovalInput } from "@/lib/approval/schema";
import type { ApprovalEditorData } from "@/lib/approval/view";

import { btnPrimary, btnSecondary, btnSmall, card, input, label } from "@/components/ui/styles";
import { AuthorizationFieldset } from "./authorization-fieldset";
import { DraftStatus, FrequencyNote } from "./draft-notes";
import { CaseManagerFields, ServiceFields } from "./editor-service";
import { errorAt, FieldError } from "./fields";

export type ApprovalEditorProps = ApprovalEditorData;

const approvalResolver = lazyZodResolver(approvalSchema);
const reasonsResolver = lazyZodResolver(() =>
  import("@/lib/approval/after-sending-schema").then((m) => m.ZUpdateReasons),
);

type Msg = { kind: "error" | "info"; text: string } | null;

export function ApprovalEditor(p: ApprovalEditorProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [msg, setMsg] = useState<Msg>(null);
  const form = useForm<TApprovalInput, unknown, TApproval>({
    resolver: approvalResolver,
    defaultValues: p.defaults,
    mode: "onTouched",
  });
  const { register, control, handleSubmit, formState, setError, getValues, setValue } = form;
  const { fields, append, remove } = useFieldArray({ control, name: "authorizations" });
  const [endDateValue] = useWatch({ control, name: ["endDate"] });
  const err = (path: string) => errorAt(formState.errors, path);
  const reasonsForm: ReasonsForm = useForm({
    resolver: reasonsResolver,
    defaultValues: { reasonCodes: [], otherReason: "", revisionComment: "" },
  });
  const [confirming, setConfirming] = useState<TApproval | null>(null);
  const submitScheduled = useRef(false);

  const sendUpdate = (data: TApproval) =>
    startTransition(async () => {
      setMsg(null);
      const reasons = reasonsForm.getValues();
      const r = await changeApprovalAction({ referralId: p.referralId, version: p.version, approval: data, reasons });
      setConfirming(null);
      if (r.status === "success") {
        setMsg({ kind: "info", text: r.message ?? "Update sent" });
        router.refresh();
      } else {
        const formLevel = applyFieldErrors(setError, r, { only: (k) => !k.startsWith("reasons."), focus: true });
        const reasonError = resultFieldErrors(r)["reasons.reasonCodes"]?.[0];
        if (reasonError) reasonsForm.setError("reasonCodes", { message: reasonError });
        setMsg({ kind: "error", text: formLevel ?? r.message ?? "Not sent." });
      }
    });

  const submit = (kind: "approve" | "retry" | "update") =>
    kind === "update"
      ? handleSubmit(
          async (data) => {
            if (await reasonsForm.trigger()) setConfirming(data);
            else setMsg({ kind: "error", text: "Give at least one reason the agency will read." });
          },
          () => setMsg({ kind: "error", text: "Some fields need attention: see the messages beside them." }),
        )()
      : handleSubmit(
          (data) =>
            startTransition(async () => {
              setMsg(null);
              const action = kind === "approve" ? approveReferralAction : retryPushAction;
              const r = await action({ referralId: p.referralId, version: p.version, approval: data });
              if (r.status === "success") {
                setMsg({ kind: "info", text: r.message ?? "Done" });
                router.refresh();
              } else {
                const formLevel = applyFieldErrors(setError, r, { focus: true });
                setMsg({ kind: "error", text: formLevel ?? r.message ?? "Not saved." });
              }
            }),
          () => setMsg({ kind: "error", text: "Some fields need attention: see the messages beside them." }),
        )();

  const saveDraft = () =>
    startTransition(async () => {
      setMsg(null);
      const r = await saveApprovalDraftAction({ referralId: p.referralId, version: p.version, approval: getValues() });
      setMsg(
        r.status === "success"
          ? { kind: "info", text: "Draft saved." }
          : { kind: "error", text: r.message ?? "Not saved" },
      );
      // A draft is a change like any other: the page takes the new version.
      if (r.status === "success") router.refresh();
    });

  const endDate = String(endDateValue ?? "");
  const extendByAMonth = () => {
    setValue("endDate", plusOneMonth(endDate), { shouldDirty: true, shouldValidate: true });
    const codes = reasonsForm.getValues("reasonCodes") ?? [];
    if (
      p.update?.reasons.some((r) => r.code === "authorization_extended") &&
      !codes.includes("authorization_extended")
    ) {
      reasonsForm.setValue("reasonCodes", [...codes, "authorization_extended"]);
    }
  };

  return (
    <form
      aria-labelledby="approval-title"
      noValidate
      className={`${card} space-y-5 p-4`}
      data-testid="approval-editor"
      onSubmit={(e) => {
        e.preventDefault();
        // Validating re-renders the whole editor (about 0.1 s on a slow laptop): after the click's paint.
        // A second Enter or click before then is the same submission, not another one.
        if (submitScheduled.current) return;
        submitScheduled.current = true;
        void afterNextPaint().then(() => {
          submitScheduled.current = false;
          submit(p.mode);
        });
      }}
    >
      <div>
        <h2 id="approval-title" className="text-lg font-semibold">
          {p.mode === "retry"
            ? "Fix and retry the approval"
            : p.mode === "update"
              ? "Change approval"
              : "Authorization and approval"}
        </h2>
        <p className="text-sm text-slate-700">
          {p.mode === "update"
            ? `Prefilled with what the agency has now. Sending makes revision ${p.update?.nextRevision ?? ""} in ACCloud; the agency sees the reasons you give.`
            : p.draft
              ? "Drafted from the form and from what reviewers chose before. Every rule ACCloud checks is checked here first; nothing is sent until you approve."
              : "Every rule ACCloud checks is checked here first; nothing is sent until you approve."}
        </p>
        {p.draft && p.mode === "approve" ? <DraftStatus draft={p.draft} /> : null}
        {p.update?.differentPerson ? (
          <p
            className="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-900"
            data-testid="update-refused"
          >
            &ldquo;Send update&rdquo; is refused. {p.update.differentPerson}
          </p>
        ) : null}
        {p.locked?.length ? (
          <p
            className="mt-2 rounded-md border border-slate-300 bg-slate-50 p-2 text-sm text-slate-800"
            data-testid="retry-locked"
          >
            Already in ACCloud, so a retry cannot change:{" "}
            {p.locked.map((l) => `${FIELD_LABELS[l.field] ?? l.field} (${l.step})`).join(", ")}.
          </p>
        ) : null}
      </div>

      <ServiceFields
        p={p}
        register={register}
        control={control}
        setValue={setValue}
        err={err}
        after={
          p.update ? (
            <div className="sm:col-span-2">
              <button type="button" className={btnSmall} onClick={extendByAMonth}>
                Extend by a month
              </button>
            </div>
          ) : null
        }
      />

      {p.draft ? <FrequencyNote frequency={p.draft.frequency} /> : null}

      {fields.map((f, i) => (
        <AuthorizationFieldset
          key={f.id}
          index={i}
          count={fields.length}
          control={control}
          register={register}
          onRemove={() => remove(i)}
        />
      ))}
      <button
        type="button"
        className={btnSmall}
        onClick={() => append({ ...emptyAuthorization(), memberNumber: getValues("authorizations.0.memberNumber") })}
      >
        Add another authorization
      </button>
      <FieldError
        id="authorizations"
        message={err("authorizations") ?? errorAt(formState.errors, "authorizations.root")}
      />

      <CaseManagerFields p={p} register={register} control={control} setValue={setValue} err={err} />

      <div>
        <label htmlFor="comment" className={label}>
          Comment for the agency
        </label>
        <textarea
          id="comment"
          rows={3}
          className={`${input} mt-1`}
          {...register("comment")}
          aria-describedby="comment-error"
        />
        <FieldError id="comment" message={err("comment")} />
      </div>

      {p.update ? (
        <>
          <LiveUpdatePlan control={control} sent={p.update.sent} />
          <UpdateReasons form={reasonsForm} reasons={p.update.reasons} />
        </>
      ) : null}

      {msg ? (
        <p
          role={msg.kind === "error" ? "alert" : "status"}
          className={
            msg.kind === "error"
              ? "rounded-md bg-red-50 p-2 text-sm text-red-900"
              : "rounded-md bg-green-50 p-2 text-sm text-green-900"
          }
        >
          {msg.text}
        </p>
      ) : null}

      <div className="flex flex-wrap gap-3">
        <button type="submit" className={btnPrimary} disabled={pending}>
          {pending
            ? "Sending…"
            : p.mode === "retry"
              ? "Save and retry the push"
              : p.mode === "update"
                ? "Send update…"
                : "Approve and send to ACCloud"}
        </button>
        {p.mode === "approve" ? (
          <button type="button" className={btnSecondary} disabled={pending} onClick={saveDraft}>
            Save draft
          </button>
        ) : null}
      </div>
      {p.update && confirming ? (
        <ConfirmUpdate
          open
          pending={pending}
          onClose={() => setConfirming(null)}
          onConfirm={() => sendUpdate(confirming)}
          summary={{
            revision: p.update.nextRevision,
            dates: `${confirming.startDate} to ${confirming.endDate}`,
            plan: planAuthorizations(p.update.sent, confirming),
            reasons: [
              ...(reasonsForm.getValues("reasonCodes") ?? []).map(
                (c) => p.update!.reasons.find((r) => r.code === c)?.label ?? c,
              ),
              ...(reasonsForm.getValues("otherReason") ? [String(reasonsForm.getValues("otherReason"))] : []),
            ],
            comment: String(reasonsForm.getValues("revisionComment") ?? "") || null,
            caseManager: confirming.caseManager.name,
          }}
        />
      ) : null}
    </form>
  );
}

const FIELD_LABELS: Record<string, string> = {
  careType: "care type",
  serviceCodeId: "service code",
  funderId: "funder",
  startDate: "start date",
  endDate: "end date",
  supplyPersonaId: "agency",
  comment: "comment",
  caseManager: "case manager",
  authorizations: "authorizations",
};
