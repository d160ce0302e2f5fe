/**
 * The draft of a referral's approval with the source of every value (the contract of
 * `GET /api/referrals/{id}/draft`, lib/draft/types.ts): dates, member number and rules from the
 * form (or the physician's order where its stored check agrees), the funder, service code, care
 * type and case manager from what reviewers chose before (lib/draft/suggest.ts). Complete when
 * every required value has a source, no check of the order disagrees and no duplicate is flagged.
 * Pure: the reads are lib/draft/history/; the approval's own checks are added by
 * lib/approval/draft-view.ts.
 */
import { dateOf, indexFields, textOf, type FormFieldLike } from "../form/mapping";
import { draftRules } from "./rules";
import { quote, suggestCareType, suggestCaseManager, suggestFunder, suggestServiceCode, type Named } from "./suggest";
import type { Disagreement, Draft, DraftDuplicate, DraftHistory, Source, V } from "./types";

/** One stored check of the order against the form (lib/documents/types.ts Check, as stored in referral_checks). */
export type OrderCheck = {
  field: string;
  verdict: string;
  form: string | null;
  order: string | null;
  source: { file_id: string; page: number; box: [number, number, number, number] } | null;
};

export type DraftInput = {
  fields: FormFieldLike[];
  formSchemaId: string | null;
  /** the referral's own dates (the latest submission's, as the queue shows them) */
  serviceStart: string | null;
  serviceEnd: string | null;
  reference: { funders: readonly Named[]; serviceCodes: readonly Named[] };
  history: DraftHistory;
  /** the latest check of the order (null: none stored) */
  checks: readonly OrderCheck[] | null;
  duplicates: readonly DraftDuplicate[];
};

/** The form's text for a semantic field, and the label the agency's form gave it. */
function formValue(byKey: ReturnType<typeof indexFields>, key: keyof ReturnType<typeof indexFields>, fallback: string) {
  const f = byKey[key];
  return { label: f?.field_label ?? fallback, text: textOf(f?.field_value) };
}

const formSource = (label: string, value: string): Source => ({
  kind: "form",
  label,
  text: `the form's ${quote(label)}: ${value}`,
});

/** Where the order's check agrees with the form on `field`, the place it was read (else null). */
function orderAgreeing(checks: readonly OrderCheck[] | null, field: string, what: string): Source | null {
  const c = checks?.find((x) => x.field === field && x.verdict === "match" && x.source);
  if (!c?.source) return null;
  return {
    kind: "order",
    ...c.source,
    text: `the physician's order, page ${c.source.page}, where it agrees with the form's ${what}`,
  };
}

/** What the history is looked up by: the form's primary insurance name and "Service Requested", as written. */
export function draftKeys(
  fields: FormFieldLike[],
  formSchemaId: string | null,
): { insurerName: string | null; serviceRequested: string | null } {
  const byKey = indexFields(fields, formSchemaId);
  const text = (k: "primaryInsuranceName" | "serviceRequested") => textOf(byKey[k]?.field_value)?.trim() || null;
  return { insurerName: text("primaryInsuranceName"), serviceRequested: text("serviceRequested") };
}

const REQUIRED_SERVICE = ["care_type", "service_code_id", "funder_id", "start_date", "end_date"] as const;

export function buildDraft(input: DraftInput): Draft {
  const byKey = indexFields(input.fields, input.formSchemaId);
  const date = (key: "serviceStart" | "serviceEnd", own: string | null, field: string): V<string> => {
    const f = formValue(byKey, key, key === "serviceStart" ? "Service start date" : "Service end date");
    const value = own ?? dateOf(byKey[key]?.field_value);
    if (!value) return null;
    return { value, source: orderAgreeing(input.checks, field, quote(f.label)) ?? formSource(f.label, value) };
  };
  const start = date("serviceStart", input.serviceStart, "start_date");
  const end = date("serviceEnd", input.serviceEnd, "end_date");
  const member = formValue(byKey, "primarySubscriberId", "Primary subscriber ID");
  const frequency = formValue(byKey, "serviceFrequency", "Service frequency");

  // The keys are the form's, whatever the history was read for.
  const keys = draftKeys(input.fields, input.formSchemaId);
  const service = { ...input.history.service, requested: keys.serviceRequested };
  const funder = suggestFunder({ ...input.history.insurer, name: keys.insurerName }, input.reference.funders);
  const code = suggestServiceCode(service, input.reference.serviceCodes);
  const care = suggestCareType(service);
  const caseManager = suggestCaseManager(input.history);
  const rules = draftRules({
    frequency,
    authorizations: formValue(byKey, "serviceAuthorizations", "Service authorizations"),
    start,
    end,
    memberNumber: member.text ? { value: member.text, source: formSource(member.label, member.text) } : null,
    orderAgrees: orderAgreeing(input.checks, "frequency", quote(frequency.label)),
  });

  const values = {
    care_type: care.value,
    service_code_id: code.value,
    funder_id: funder.value,
    start_date: start,
    end_date: end,
  };
  const missing: string[] = REQUIRED_SERVICE.filter((k) => values[k] === null);
  if (rules.authorizations.some((a) => a.rule_type === null)) missing.push("rules");
  if (!caseManager.value.name) missing.push("case_manager.name");
  const disagreements: Disagreement[] = (input.checks ?? [])
    .filter((c) => c.verdict === "mismatch")
    .map((c) => ({ field: c.field, form: c.form, order: c.order }));
  return {
    complete: missing.length === 0 && disagreements.length === 0 && input.duplicates.length === 0,
    missing,
    service: values,
    authorizations: rules.authorizations,
    case_manager: caseManager.value,
    duplicates: [...input.duplicates],
    frequency: rules.frequency,
    disagreements,
    invalid: [],
    alternatives: {
      funder_id: funder.alternatives,
      service_code_id: code.alternatives,
      care_type: care.alternatives,
      case_manager: caseManager.alternatives,
    },
  };
}
