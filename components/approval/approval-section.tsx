import Link from "next/link";
import { eq } from "drizzle-orm";
import { referralRequests, type PushStepName } from "@/db/schema";
import { getReferenceData } from "@/lib/accloud/reference-data";
import { prefillApproval } from "@/lib/approval/prefill";
import { lockedFields, STEP_LABELS } from "@/lib/approval/retry-locks";
import { ZApproval, type TApprovalInput } from "@/lib/approval/schema";
import { getLatestApproval, getPushProgress } from "@/lib/approval/service";
import { hasScope, type Actor } from "@/lib/auth/scopes";
import { getDb, getPool } from "@/lib/db";
import type { FormFieldLike } from "@/lib/form-mapping";
import { sentState } from "@/lib/push/run";
import { listActiveReasons } from "@/lib/referrals/detail";
import { WORKABLE } from "@/lib/referrals/transitions";
import { card } from "@/components/ui/styles";
import { ApprovalEditor } from "./approval-editor";
import { PushProgress } from "./push-progress";
import { RetryButton } from "./retry-button";

/**
 * The approval part of the detail page: the authorization editor while the request can be
 * approved, its failed push retried, or (once sent) its approval changed; and the push's live
 * progress once one exists.
 */
export async function ApprovalSection({ referralId, actor, payload, part, editing = false }: { referralId: string; actor: Actor; payload: unknown; part: "progress" | "editor"; editing?: boolean }) {
  const db = getDb();
  const [row] = await db
    .select({
      status: referralRequests.status,
      version: referralRequests.version,
      agencyOrgId: referralRequests.agencyOrgId,
      agencyName: referralRequests.agencyName,
      serviceStart: referralRequests.serviceStart,
      serviceEnd: referralRequests.serviceEnd,
      clientTimezone: referralRequests.clientTimezone,
      amendedAfterDecisionAt: referralRequests.amendedAfterDecisionAt,
    })
    .from(referralRequests)
    .where(eq(referralRequests.id, referralId));
  if (!row) return null;
  if (part === "progress") {
    const progress = await getPushProgress(db, referralId);
    return progress?.push ? <PushProgress referralId={referralId} initial={progress} /> : null;
  }
  const canApprove = hasScope(actor.role, "referral:decide") && hasScope(actor.role, "referral:push");
  if (!canApprove) return null;
  const [latest, ref, progress] = await Promise.all([getLatestApproval(db, referralId), getReferenceData(getPool()), getPushProgress(db, referralId)]);
  const push = progress?.push ?? null;
  const approvable = WORKABLE.includes(row.status);
  const sentToAgency = row.status === "sent" || row.status === "processed";

  // Pushes that are retried as they are: a cancel, and documents added after sending.
  if (push?.status === "failed" && (push.kind === "cancel" || push.kind === "documents")) {
    return (
      <div className={`${card} space-y-2 p-4`} id="approval">
        <h2 className="text-base font-semibold">{push.kind === "cancel" ? "The cancel did not reach ACCloud" : "Documents did not reach ACCloud"}</h2>
        <p className="text-sm text-slate-800">Fix what ACCloud reported (beside the failed step), then try again.</p>
        <RetryButton referralId={referralId} version={row.version} label={push.kind === "cancel" ? "Retry the cancel" : "Retry sending the documents"} />
      </div>
    );
  }
  const retryable = row.status === "push_failed";
  if (!approvable && !retryable && !sentToAgency) return null;
  if (!ref.lastSuccessfulRefresh) {
    return (
      <p className={`${card} p-4 text-sm`} role="status" id="approval">
        ACCloud reference data (service codes, funders, trusted network) has not been loaded yet, so approvals are paused. It loads at start and every hour.
      </p>
    );
  }
  if (sentToAgency && !editing) {
    return (
      <div className={`${card} flex flex-wrap items-center justify-between gap-3 p-4`} id="approval">
        <div className="text-sm">
          <h2 className="text-base font-semibold">Sent to the agency</h2>
          <p className="text-slate-800">
            {row.status === "processed" ? "The agency processed it." : "Waiting for the agency to process it."} Change the dates, limits or case manager with a new revision.
          </p>
        </div>
        <Link href={`/referrals/${referralId}?edit=1#approval`} className="inline-flex rounded-md bg-blue-800 px-3 py-2 text-sm font-medium text-white hover:bg-blue-900" data-shortcut="edit">
          Change approval
        </Link>
      </div>
    );
  }

  // A retry resumes at the failed step: what finished steps sent stays as it is.
  const done = (push?.steps ?? []).filter((s) => s.status === "done").map((s) => s.name as PushStepName);
  const locked = retryable ? [...lockedFields(done)].map(([field, step]) => ({ field, step: STEP_LABELS[step] })) : [];
  const fields = ((payload as { form_data?: { fields?: FormFieldLike[]; form_schema_id?: string } })?.form_data?.fields ?? []) as FormFieldLike[];
  const formSchemaId = (payload as { form_data?: { form_schema_id?: string } })?.form_data?.form_schema_id ?? null;
  const pre = prefillApproval({ fields, formSchemaId, agencyOrgId: row.agencyOrgId, serviceStart: row.serviceStart, serviceEnd: row.serviceEnd, serviceCodes: ref.serviceCodes, funders: ref.funders });

  let defaults: TApprovalInput = latest && (latest.state === "draft" || retryable) ? (latest.data as TApprovalInput) : pre.values;
  let update: React.ComponentProps<typeof ApprovalEditor>["update"];
  if (sentToAgency) {
    const sent = await sentState(db, referralId);
    if (!sent) return null;
    const [reasons, nextRevision] = [await listActiveReasons(db, "update"), (latest?.revision ?? 0) + 1];
    // An amendment after sending: its dates and member number are the starting point of the update.
    defaults = row.amendedAfterDecisionAt
      ? {
          ...sent.approval,
          startDate: pre.values.startDate || sent.approval.startDate,
          endDate: pre.values.endDate || sent.approval.endDate,
          authorizations: sent.approval.authorizations.map((a) => ({ ...a, memberNumber: pre.values.authorizations[0]?.memberNumber ?? a.memberNumber })),
        }
      : sent.approval;
    update = {
      sent: ZApproval.parse(sent.approval),
      reasons,
      nextRevision,
      fixed: {
        careType: sent.approval.careType === "psw" ? "PSW" : "Nursing",
        serviceCode: ref.serviceCodes.find((c) => c.id === sent.approval.serviceCodeId)?.name ?? String(sent.approval.serviceCodeId),
        funder: ref.funders.find((f) => f.id === sent.approval.funderId)?.name ?? String(sent.approval.funderId),
        agency: row.agencyName,
      },
    };
  }
  const inTrustedNetwork = ref.suppliers.some((s) => s.id.toLowerCase() === row.agencyOrgId.toLowerCase());
  const suppliers = inTrustedNetwork ? ref.suppliers.filter((s) => s.id.toLowerCase() === row.agencyOrgId.toLowerCase()) : [{ id: row.agencyOrgId, name: `${row.agencyName} (not in the trusted network)` }];

  return (
    <div className="space-y-4" id="approval">
      <ApprovalEditor
        referralId={referralId}
        version={row.version}
        mode={sentToAgency ? "update" : retryable ? "retry" : "approve"}
        defaults={defaults}
        serviceCodes={ref.serviceCodes.map((c) => ({ id: c.id, name: c.name }))}
        funders={ref.funders.filter((f) => f.status !== "disabled").map((f) => ({ id: f.id, name: f.name }))}
        suppliers={suppliers}
        agency={{ orgId: row.agencyOrgId, name: row.agencyName, inTrustedNetwork }}
        hints={{ frequencyText: pre.frequencyText, authorizationsText: pre.authorizationsText, suggestions: pre.suggestions }}
        clientTimezone={row.clientTimezone}
        locked={locked}
        update={update}
      />
    </div>
  );
}
