/**
 * The editor's starting values are the draft's (lib/draft: the form read through the label
 * mapping and the frequency grammar, the funder, codes and case manager from past approvals):
 * one source of truth. This maps the draft's values to the editor's fields, and each source to
 * the field it explains.
 */
import type { Draft, DraftAuthorization, Source, V } from "../draft/types";
import { DRAFT_WEEKDAYS } from "../draft/types";
import { emptyAuthorization } from "./constants";
import type { TApprovalInput } from "./schema";

/** A source as the editor shows it beside a field. */
export type FieldSource = { kind: Source["kind"]; text: string; guess?: true };
/** Editor field path ("funderId", "caseManager.name", "authorizations.0.ruleWeekly") → its source. */
export type EditorSources = Record<string, FieldSource>;

const val = <T>(v: V<T>): T | undefined => (v ? v.value : undefined);

/** One authorization's values; its own dates only where they are not the approval's (a phase). */
function authorizationValues(
  a: DraftAuthorization,
  approval: { start?: string; end?: string },
): TApprovalInput["authorizations"][number] {
  const weekdays = Object.fromEntries(
    DRAFT_WEEKDAYS.map((d) => [d, val(a[`rule_${d}`])]).filter(([, v]) => v !== undefined),
  );
  const daily = val(a.rule_daily);
  return {
    ...emptyAuthorization(),
    ruleType: val(a.rule_type) ?? "VISITS",
    ruleMode: daily !== undefined ? "daily" : "weekdays",
    ruleDaily: daily,
    weekdays,
    ruleWeekly: val(a.rule_weekly),
    ruleMonthly: val(a.rule_monthly),
    rulePeriod: val(a.rule_period),
    memberNumber: val(a.member_number),
    startAt: val(a.start_at) !== approval.start ? val(a.start_at) : undefined,
    endAt: val(a.end_at) !== approval.end ? val(a.end_at) : undefined,
  };
}

/** The editor's values from a draft; a value without a source is left empty for the reviewer. */
export function editorValues(draft: Draft, agencyOrgId: string): TApprovalInput {
  const s = draft.service;
  const cm = draft.case_manager;
  return {
    careType: val(s.care_type) ?? "nursing",
    serviceCodeId: val(s.service_code_id) ?? "",
    funderId: val(s.funder_id) ?? "",
    startDate: val(s.start_date) ?? "",
    endDate: val(s.end_date) ?? "",
    supplyPersonaId: agencyOrgId,
    comment: undefined,
    caseManager: { name: val(cm.name) ?? "", phone: val(cm.phone), fax: val(cm.fax), email: val(cm.email) },
    authorizations: draft.authorizations.map((a) =>
      authorizationValues(a, { start: val(s.start_date), end: val(s.end_date) }),
    ),
  };
}

const shown = (src: Source): FieldSource =>
  src.kind === "reference" ? { kind: src.kind, text: src.text, guess: true } : { kind: src.kind, text: src.text };

/** Where each drafted value came from, by the editor field it fills. */
export function editorSources(draft: Draft): EditorSources {
  const out: EditorSources = {};
  const put = (path: string, v: V<unknown>) => {
    if (v) out[path] = shown(v.source);
  };
  put("careType", draft.service.care_type);
  put("serviceCodeId", draft.service.service_code_id);
  put("funderId", draft.service.funder_id);
  put("startDate", draft.service.start_date);
  put("endDate", draft.service.end_date);
  for (const k of ["name", "phone", "fax", "email"] as const) put(`caseManager.${k}`, draft.case_manager[k]);
  draft.authorizations.forEach((a, i) => {
    put(`authorizations.${i}.ruleType`, a.rule_type);
    put(`authorizations.${i}.memberNumber`, a.member_number);
    put(`authorizations.${i}.startAt`, a.start_at);
    put(`authorizations.${i}.endAt`, a.end_at);
  });
  return out;
}
