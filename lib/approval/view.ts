/**
 * What the detail page shows of the approval, read once per page: the push's live progress, and
 * the approval panel: the editor (approve, retry with corrections, or change what was sent), a
 * retry of a cancel or documents push as it is, a notice that approvals are paused, the "sent"
 * summary, or nothing. The page renders; it reads nothing itself.
 */
import "server-only";
import { type PushStepName } from "./push-steps";
import { getReferenceData } from "../accloud/reference-data";
import { assertScope, hasScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { sentState } from "./sent-state";
import { listActiveReasons } from "../workflow/reasons";
import { readDifferentPerson } from "../workflow/different-person";
import { WORKABLE } from "../workflow/transitions";
import { draftApproval } from "./draft-view";
import { readApprovalRow } from "./read-draft";
import { draftedSummary, type DraftedSummary } from "./drafted-summary";
import type { EditorSources } from "./prefill";
import type { Draft } from "../draft/types";
import { lockedFields } from "./retry-locks";
import { STEP_LABELS } from "./push-steps";
import { ZApproval, type TApproval, type TApprovalInput } from "./schema";
import { getLatestApproval, getPushProgress, type PushProgress } from "./progress";

type Option = { id: number | string; name: string };

/** Everything the editor needs (its props, less the client-side handlers). */
export type ApprovalEditorData = {
  referralId: string;
  version: number;
  /** approve: the first decision; retry: fix a failed push; update: change what was sent */
  mode: "approve" | "retry" | "update";
  defaults: TApprovalInput;
  serviceCodes: Option[];
  funders: Option[];
  suppliers: Option[];
  agency: { orgId: string; name: string; inTrustedNetwork: boolean };
  /** where each starting value came from (approve, and an amendment after sending): null when the editor opens with saved values */
  draft: EditorDraft | null;
  clientTimezone: string;
  /** retry: fields a finished push step already sent (a retry cannot change them) */
  locked?: Array<{ field: string; step: string }>;
  /** update: what ACCloud has now, the reasons to choose from, the revision number it will become */
  update?: {
    sent: TApproval;
    reasons: Array<{ code: string; label: string }>;
    nextRevision: number;
    fixed: { serviceCode: string; funder: string; careType: string; agency: string };
    /** the referral is marked "different person": why "Send update" is refused (null: it is not) */
    differentPerson: string | null;
  };
};

/** What the editor shows of the draft: each value's source, how the frequency was read, what is missing. */
export type EditorDraft = {
  sources: EditorSources;
  frequency: Draft["frequency"];
  complete: boolean;
  missing: string[];
  invalid: Draft["invalid"];
  disagreements: number;
  duplicates: number;
  /** per field, how many other values past approvals (or ACCloud's names) offer: "Other choices" shows where there are some */
  others: Record<keyof Draft["alternatives"], number>;
  /** the draft as it is sent by "Approve as drafted" (offered when it is complete and nothing was saved over it) */
  asDrafted: { values: TApprovalInput; summary: DraftedSummary } | null;
};

export type ApprovalPanel =
  | { kind: "none" }
  /** a failed cancel or documents push: retried as it is */
  | { kind: "retry_as_is"; pushKind: "cancel" | "documents"; version: number }
  /** no reference data yet: nothing can be checked, so nothing can be approved */
  | { kind: "paused" }
  | { kind: "sent"; processed: boolean; differentPerson: string | null }
  | { kind: "editor"; editor: ApprovalEditorData };

export type ApprovalView = { progress: PushProgress | null; panel: ApprovalPanel };

const NONE: ApprovalPanel = { kind: "none" };

/** How many alternatives of each field differ from the drafted value. */
function othersOf(d: Draft): EditorDraft["others"] {
  const cm = d.case_manager.name?.value;
  const count = <T>(alts: Array<{ value: T }>, drafted: unknown, same = (v: T) => v === drafted) =>
    alts.filter((a) => !same(a.value)).length;
  return {
    funder_id: count(d.alternatives.funder_id, d.service.funder_id?.value),
    service_code_id: count(d.alternatives.service_code_id, d.service.service_code_id?.value),
    care_type: count(d.alternatives.care_type, d.service.care_type?.value),
    case_manager: count(d.alternatives.case_manager, cm, (v) => v.name === cm),
  };
}

export async function getApprovalView(
  db: Db,
  actor: Actor,
  input: { referralId: string; payload: unknown; editing: boolean },
): Promise<ApprovalView | null> {
  assertScope(actor, "referral:read");
  const { referralId } = input;
  const row = await readApprovalRow(db, referralId);
  if (!row) return null;
  const progress = await getPushProgress(db, actor, referralId);
  const view = (panel: ApprovalPanel): ApprovalView => ({ progress: progress?.push ? progress : null, panel });

  const canApprove = hasScope(actor, "referral:decide") && hasScope(actor, "referral:push");
  if (!canApprove) return view(NONE);
  const push = progress?.push ?? null;
  const approvable = WORKABLE.includes(row.status);
  const sentToAgency = row.status === "sent" || row.status === "processed";

  if (push?.status === "failed" && (push.kind === "cancel" || push.kind === "documents"))
    return view({ kind: "retry_as_is", pushKind: push.kind, version: row.version });
  const retryable = row.status === "push_failed";
  if (!approvable && !retryable && !sentToAgency) return view(NONE);
  const ref = await getReferenceData(db);
  if (!ref.lastSuccessfulRefresh) return view({ kind: "paused" });
  const differentPerson = sentToAgency ? ((await readDifferentPerson(db, row))?.reason ?? null) : null;
  if (sentToAgency && !input.editing)
    return view({ kind: "sent", processed: row.status === "processed", differentPerson });

  const latest = await getLatestApproval(db, referralId);
  // A retry resumes at the failed step: what finished steps sent stays as it is.
  const done = (push?.steps ?? []).filter((s) => s.status === "done").map((s) => s.name as PushStepName);
  const locked = retryable ? [...lockedFields(done)].map(([field, step]) => ({ field, step: STEP_LABELS[step] })) : [];
  // The draft: the editor's starting values and their sources, where the editor starts from them.
  const useDraft = (!sentToAgency && !retryable) || (sentToAgency && !!row.amendedAfterDecisionAt);
  const drafted = useDraft ? await draftApproval(db, referralId) : null;
  const savedDraft = latest && (latest.state === "draft" || retryable) ? latest.data : null;
  let defaults: TApprovalInput = savedDraft ?? drafted?.values ?? (latest?.data as TApprovalInput);
  let update: ApprovalEditorData["update"];
  if (sentToAgency) {
    const sent = await sentState(db, referralId);
    if (!sent) return view(NONE);
    // An amendment after sending: its dates and member number are the starting point of the update.
    defaults = row.amendedAfterDecisionAt
      ? {
          ...sent.approval,
          startDate: drafted?.values.startDate || sent.approval.startDate,
          endDate: drafted?.values.endDate || sent.approval.endDate,
          authorizations: sent.approval.authorizations.map((a) => ({
            ...a,
            memberNumber: drafted?.values.authorizations[0]?.memberNumber ?? a.memberNumber,
          })),
        }
      : sent.approval;
    update = {
      sent: ZApproval.parse(sent.approval),
      reasons: await listActiveReasons(db, "update"),
      nextRevision: (latest?.revision ?? 0) + 1,
      fixed: {
        careType: sent.approval.careType === "psw" ? "PSW" : "Nursing",
        serviceCode:
          ref.serviceCodes.find((c) => c.id === sent.approval.serviceCodeId)?.name ??
          String(sent.approval.serviceCodeId),
        funder: ref.funders.find((f) => f.id === sent.approval.funderId)?.name ?? String(sent.approval.funderId),
        agency: row.agencyName,
      },
      differentPerson,
    };
  }
  const agencyId = row.agencyOrgId.toLowerCase();
  const inTrustedNetwork = ref.suppliers.some((s) => s.id.toLowerCase() === agencyId);
  return view({
    kind: "editor",
    editor: {
      referralId,
      version: row.version,
      mode: sentToAgency ? "update" : retryable ? "retry" : "approve",
      defaults,
      serviceCodes: ref.serviceCodes.map((c) => ({ id: c.id, name: c.name })),
      funders: ref.funders.filter((f) => f.status !== "disabled").map((f) => ({ id: f.id, name: f.name })),
      suppliers: inTrustedNetwork
        ? ref.suppliers.filter((s) => s.id.toLowerCase() === agencyId)
        : [{ id: row.agencyOrgId, name: `${row.agencyName} (not in the trusted network)` }],
      agency: { orgId: row.agencyOrgId, name: row.agencyName, inTrustedNetwork },
      draft:
        drafted && !sentToAgency && !savedDraft
          ? {
              sources: drafted.sources,
              frequency: drafted.draft.frequency,
              complete: drafted.draft.complete,
              missing: drafted.draft.missing,
              invalid: drafted.draft.invalid,
              disagreements: drafted.draft.disagreements.length,
              duplicates: drafted.draft.duplicates.length,
              others: othersOf(drafted.draft),
              asDrafted: drafted.approval
                ? {
                    values: drafted.values,
                    summary: draftedSummary(drafted.approval, {
                      serviceCodes: ref.serviceCodes,
                      funders: ref.funders,
                      agencyName: row.agencyName,
                      clientTimezone: row.clientTimezone,
                      sources: drafted.sources,
                    }),
                  }
                : null,
            }
          : null,
      clientTimezone: row.clientTimezone,
      locked,
      update,
    },
  });
}
