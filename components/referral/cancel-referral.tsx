"use client";

import { applyFieldErrors } from "@/components/ui/field-errors";
import { Modal, RefusedAlert, useConfirmedAction } from "@/components/ui/modal";
import { useForm, useWatch } from "react-hook-form";
import { cancelReferralAction } from "@/app/(app)/referrals/[id]/after-sending-actions";
import { FormField, Select, SubmitButton } from "@/components/ui/form-field";
import { btnDanger, btnSecondary } from "@/components/ui/styles";
import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { CANCEL_REASONS, CANCEL_REASON_LABELS } from "@/lib/approval/after-sending-constants";
import type { TCancelReferralInput } from "@/lib/approval/after-sending-schema";

const resolver = lazyZodResolver(() => import("@/lib/approval/after-sending-schema").then((m) => m.ZCancelReferral));

/**
 * "Cancel referral": a dialog that asks for the reason code (in words) and a comment, says what
 * the agency will see, and only then sends the cancel.
 */
export function CancelReferral({
  referralId,
  version,
  inAccloud,
}: {
  referralId: string;
  version: number;
  inAccloud: boolean;
}) {
  const { open, setOpen, pending, error, run } = useConfirmedAction();
  const form = useForm<TCancelReferralInput>({
    resolver,
    defaultValues: {
      referralId,
      version,
      reasonCode: undefined as unknown as TCancelReferralInput["reasonCode"],
      comment: "",
    },
  });
  const { errors } = form.formState;
  const reason = useWatch({ control: form.control, name: "reasonCode" });
  const comment = useWatch({ control: form.control, name: "comment" });

  return (
    <>
      <button type="button" className={btnSecondary} onClick={() => setOpen(true)} data-shortcut="cancel">
        Cancel referral
      </button>
      <Modal open={open} onClose={() => setOpen(false)} labelledBy="cancel-title" testId="cancel-dialog">
        <form
          noValidate
          className="space-y-3 p-4 text-sm"
          onSubmit={form.handleSubmit((values) =>
            run(
              () => cancelReferralAction(values),
              (r) => applyFieldErrors(form.setError, r) ?? r.message ?? "Not cancelled.",
            ),
          )}
        >
          <h2 id="cancel-title" className="text-lg font-semibold">
            Cancel this referral?
          </h2>
          <FormField id="cancel-reason" label="Reason" error={errors.reasonCode?.message}>
            {(c) => (
              <Select
                {...form.register("reasonCode")}
                defaultValue=""
                {...c}
                placeholder="Choose a reason…"
                items={CANCEL_REASONS.map((r) => [r.code, r.label] as const)}
              />
            )}
          </FormField>
          <FormField
            id="cancel-comment"
            label="Comment for the agency (optional, at most 1000 characters)"
            error={errors.comment?.message}
          >
            {(c) => <textarea rows={3} maxLength={1000} {...form.register("comment")} {...c} />}
          </FormField>
          <div
            className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950"
            data-testid="cancel-summary"
          >
            {inAccloud ? (
              <p>
                The agency sees the referral cancelled{reason ? ` (“${CANCEL_REASON_LABELS[reason]}”)` : ""}
                {comment ? " with your comment" : ""}. This cannot be undone: a new referral needs a new request.
              </p>
            ) : (
              <p>ACCloud never received this referral: it is cancelled here only.</p>
            )}
          </div>
          <RefusedAlert message={error} />
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={btnSecondary} onClick={() => setOpen(false)} disabled={pending}>
              Keep the referral
            </button>
            <SubmitButton pending={pending} busy="Cancelling…" className={btnDanger}>
              Cancel referral
            </SubmitButton>
          </div>
        </form>
      </Modal>
    </>
  );
}
