import { eq } from "drizzle-orm";
import { referralRequests } from "@/db/schema";
import { getReferenceData } from "@/lib/accloud/reference-data";
import { prefillApproval } from "@/lib/approval/prefill";
import { getLatestApproval, getPushProgress } from "@/lib/approval/service";
import { lockedFields, STEP_LABELS } from "@/lib/approval/retry-locks";
import type { TApprovalInput } from "@/lib/approval/schema";
import { hasScope, type Actor } from "@/lib/auth/scopes";
import { getDb, getPool } from "@/lib/db";
import { WORKABLE } from "@/lib/referrals/transitions";
import type { PushStepName } from "@/db/schema";
import type { FormFieldLike } from "@/lib/form-mapping";
import { card } from "@/components/ui/styles";
import { ApprovalEditor } from "./approval-editor";
import { PushProgress } from "./push-progress";

/**
 * The approval part of the detail page: the authorization editor while the request can be
 * approved (or its failed push retried), and the push's live progress once one exists.
 */
export async function ApprovalSection({ referralId, actor, payload, part }: { referralId: string; actor: Actor; payload: unknown; part: "progress" | "editor" }) {
  const db = getDb();
  const [row] = await db
    .select({ status: referralRequests.status, version: referralRequests.version, agencyOrgId: referralRequests.agencyOrgId, agencyName: referralRequests.agencyName, serviceStart: referralRequests.serviceStart, serviceEnd: referralRequests.serviceEnd, clientTimezone: referralRequests.clientTimezone })
    .from(referralRequests)
    .where(eq(referralRequests.id, referralId));
  if (!row) return null;
  if (part === "progress") {
    const progress = await getPushProgress(db, referralId);
    return progress?.push ? <PushProgress referralId={referralId} initial={progress} /> : null;
  }
  const [latest, ref, progress] = await Promise.all([getLatestApproval(db, referralId), getReferenceData(getPool()), getPushProgress(db, referralId)]);
  const canApprove = hasScope(actor.role, "referral:decide") && hasScope(actor.role, "referral:push");
  const approvable = WORKABLE.includes(row.status);
  const retryable = row.status === "push_failed";
  // A retry resumes at the failed step: what finished steps sent stays as it is.
  const done = (progress?.push?.steps ?? []).filter((s) => s.status === "done").map((s) => s.name as PushStepName);
  const locked = retryable ? [...lockedFields(done)].map(([field, step]) => ({ field, step: STEP_LABELS[step] })) : [];

  const fields = ((payload as { form_data?: { fields?: FormFieldLike[]; form_schema_id?: string } })?.form_data?.fields ?? []) as FormFieldLike[];
  const formSchemaId = (payload as { form_data?: { form_schema_id?: string } })?.form_data?.form_schema_id ?? null;
  const pre = prefillApproval({
    fields,
    formSchemaId,
    agencyOrgId: row.agencyOrgId,
    serviceStart: row.serviceStart,
    serviceEnd: row.serviceEnd,
    serviceCodes: ref.serviceCodes,
    funders: ref.funders,
  });
  const defaults = (latest && (latest.state === "draft" || retryable) ? (latest.data as TApprovalInput) : pre.values) satisfies TApprovalInput;
  const inTrustedNetwork = ref.suppliers.some((s) => s.id.toLowerCase() === row.agencyOrgId.toLowerCase());
  const suppliers = inTrustedNetwork ? ref.suppliers.filter((s) => s.id.toLowerCase() === row.agencyOrgId.toLowerCase()) : [{ id: row.agencyOrgId, name: `${row.agencyName} (not in the trusted network)` }];

  return (
    <div className="space-y-4" id="approval">
      {canApprove && (approvable || retryable) ? (
        ref.lastSuccessfulRefresh ? (
          <ApprovalEditor
            referralId={referralId}
            version={row.version}
            mode={retryable ? "retry" : "approve"}
            defaults={defaults}
            serviceCodes={ref.serviceCodes.map((c) => ({ id: c.id, name: c.name }))}
            funders={ref.funders.filter((f) => f.status !== "disabled").map((f) => ({ id: f.id, name: f.name }))}
            suppliers={suppliers}
            agency={{ orgId: row.agencyOrgId, name: row.agencyName, inTrustedNetwork }}
            hints={{ frequencyText: pre.frequencyText, authorizationsText: pre.authorizationsText, suggestions: pre.suggestions }}
            clientTimezone={row.clientTimezone}
            locked={locked}
          />
        ) : (
          <p className={`${card} p-4 text-sm`} role="status">
            ACCloud reference data (service codes, funders, trusted network) has not been loaded yet, so approvals are paused. It loads at start and every hour.
          </p>
        )
      ) : null}
    </div>
  );
}
