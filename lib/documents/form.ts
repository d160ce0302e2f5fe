/**
 * The form's side of the checks, from the stored submission payload (the webhook's JSON with
 * the files' bytes replaced by digests): the same label-keyed mapping the review page uses.
 */
import { dateOf, diagnosesOf, indexFields, textOf, type FormFieldLike } from "../form/mapping";
import { parseDate } from "./normalise";
import type { CheckField } from "./types";

/** What the form says for each checked field, as written (null: the form does not say). */
export type FormValues = { [K in Exclude<CheckField, "diagnosis_codes">]: string | null } & {
  diagnosis_codes: string[] | null;
};

/** The part of a submission payload read here; anything else in it is ignored. */
export type SubmissionLike = {
  client?: { first_name?: unknown; last_name?: unknown; birthday?: unknown } | null;
  form_data?: { form_schema_id?: string | null; fields?: FormFieldLike[] | null } | null;
};

/** A date as the form holds it: ISO, or (a text field) any form normalise.ts reads. */
function formDate(value: unknown): string | null {
  return dateOf(value) ?? parseDate(textOf(value));
}

const joined = (...parts: Array<string | null>) =>
  parts.filter((p): p is string => !!p && p.trim() !== "").join(" ") || null;

export function formValuesOf(payload: SubmissionLike): FormValues {
  const fields = Array.isArray(payload.form_data?.fields) ? payload.form_data.fields : [];
  const f = indexFields(fields, payload.form_data?.form_schema_id);
  const client = payload.client ?? {};
  const codes = f.diagnoses ? diagnosesOf(f.diagnoses.field_value).map((d) => d.code ?? d.description ?? "") : [];
  return {
    client_name: joined(textOf(client.first_name), textOf(client.last_name)),
    client_birthday: formDate(client.birthday) ?? formDate(f.clientBirthday?.field_value),
    physician_name: joined(textOf(f.physicianFirstName?.field_value), textOf(f.physicianLastName?.field_value)),
    physician_npi: textOf(f.physicianNpi?.field_value)?.trim() ?? null,
    diagnosis_codes: codes.filter((c) => c.trim() !== "").length ? codes.filter((c) => c.trim() !== "") : null,
    service: textOf(f.serviceRequested?.field_value),
    frequency: textOf(f.serviceFrequency?.field_value),
    start_date: formDate(f.serviceStart?.field_value),
    end_date: formDate(f.serviceEnd?.field_value),
  };
}
