/**
 * The one place that knows what the "CSI New Referral Request" form's fields mean.
 * field_id differs per environment and form_id per version, so fields are matched by label
 * (case- and space-insensitive), per form_schema_id. A new form version needs an entry
 * here, not code.
 */

export type FieldGroup =
  "client" | "diagnoses" | "physician" | "service" | "primary_insurance" | "secondary_insurance" | "other";

export type SemanticKey =
  | "diagnoses"
  | "physicianFirstName"
  | "physicianLastName"
  | "physicianNpi"
  | "physicianPhone"
  | "physicianOrder"
  | "serviceRequested"
  | "serviceStart"
  | "serviceEnd"
  | "serviceFrequency"
  | "serviceAuthorizations"
  | "primaryInsuranceName"
  | "primaryInsurancePhone"
  | "primaryInsuranceGroup"
  | "primarySubscriberId"
  | "primarySubscriberName"
  | "primarySubscriberBirthday"
  | "secondaryInsuranceNeeded"
  | "secondaryInsuranceName"
  | "secondaryInsurancePhone"
  | "secondaryInsuranceGroup"
  | "secondarySubscriberId"
  | "secondarySubscriberName"
  | "secondarySubscriberBirthday"
  | "clientPhone"
  | "clientEmail"
  | "clientBirthday"
  | "clientGender"
  | "clientAddress"
  | "clientCity"
  | "clientState"
  | "clientZip";

export type FieldMeaning = { key: SemanticKey; group: FieldGroup; labels: string[] };

export const CSI_REFERRAL_FORM_SCHEMA_ID = "89a3b8ba-0009-464b-a2a0-06c49cbcd745";

/** The same six fields for the primary and the secondary insurance. */
function insurance(which: "primary" | "secondary", word: "Primary" | "Secondary"): FieldMeaning[] {
  const group = `${which}_insurance` as const;
  return [
    { key: `${which}InsuranceName`, group, labels: [`${word} insurance name`] },
    { key: `${which}InsurancePhone`, group, labels: [`${word} insurance phone number`] },
    { key: `${which}InsuranceGroup`, group, labels: [`${word} insurance group`] },
    { key: `${which}SubscriberId`, group, labels: [`${word} subscriber ID`] },
    { key: `${which}SubscriberName`, group, labels: [`${word} subscriber full name`] },
    { key: `${which}SubscriberBirthday`, group, labels: [`${word} subscriber birthday`] },
  ];
}

const CSI_NEW_REFERRAL_REQUEST: FieldMeaning[] = [
  { key: "diagnoses", group: "diagnoses", labels: ["ICD-10 Diagnosis"] },
  { key: "physicianFirstName", group: "physician", labels: ["Physician first name"] },
  { key: "physicianLastName", group: "physician", labels: ["Physician last name"] },
  { key: "physicianNpi", group: "physician", labels: ["Physician NPI"] },
  { key: "physicianPhone", group: "physician", labels: ["Physician phone number"] },
  { key: "physicianOrder", group: "physician", labels: ["Physician order (PDF)", "Physician order"] },
  { key: "serviceRequested", group: "service", labels: ["Service Requested"] },
  { key: "serviceStart", group: "service", labels: ["Service start date"] },
  { key: "serviceEnd", group: "service", labels: ["Service end date"] },
  { key: "serviceFrequency", group: "service", labels: ["Service frequency"] },
  { key: "serviceAuthorizations", group: "service", labels: ["Service authorizations"] },
  ...insurance("primary", "Primary"),
  { key: "secondaryInsuranceNeeded", group: "secondary_insurance", labels: ["Secondary insurance needed?"] },
  ...insurance("secondary", "Secondary"),
  { key: "clientPhone", group: "client", labels: ["Phone (Main)", "Phone"] },
  { key: "clientEmail", group: "client", labels: ["Email"] },
  { key: "clientBirthday", group: "client", labels: ["Date of Birth", "Birthday"] },
  { key: "clientGender", group: "client", labels: ["Gender"] },
  { key: "clientAddress", group: "client", labels: ["Address"] },
  { key: "clientCity", group: "client", labels: ["City"] },
  { key: "clientState", group: "client", labels: ["State", "Province"] },
  { key: "clientZip", group: "client", labels: ["Zip Code", "Postal code"] },
];

/** form_schema_id → meanings. Unknown schema ids fall back to the CSI form's labels. */
export const FORM_MAPPINGS: Record<string, FieldMeaning[]> = {
  [CSI_REFERRAL_FORM_SCHEMA_ID]: CSI_NEW_REFERRAL_REQUEST,
};

export const GROUP_TITLES: Record<FieldGroup, string> = {
  client: "Client",
  diagnoses: "Diagnoses",
  physician: "Physician",
  service: "Service",
  primary_insurance: "Primary insurance",
  secondary_insurance: "Secondary insurance",
  other: "Other fields",
};

const normalised = new Map<string, string>();
/** Case- and space-insensitive label; remembered, since every request repeats the same labels. */
const norm = (label: string) => {
  let n = normalised.get(label);
  if (n === undefined) {
    n = label.toLowerCase().replace(/\s+/g, " ").trim();
    if (normalised.size >= 5000) normalised.clear();
    normalised.set(label, n);
  }
  return n;
};

export type FormFieldLike = { field_label: string; field_type: string; field_value?: unknown; type?: unknown };

export function mappingFor(formSchemaId: string | null | undefined): FieldMeaning[] {
  return (formSchemaId && FORM_MAPPINGS[formSchemaId]) || CSI_NEW_REFERRAL_REQUEST;
}

/** Normalised label → meaning, built once per mapping (the webhook maps every field of every request). */
const labelIndexes = new WeakMap<FieldMeaning[], Map<string, FieldMeaning>>();
function labelIndex(mapping: FieldMeaning[]): Map<string, FieldMeaning> {
  let index = labelIndexes.get(mapping);
  if (!index) {
    index = new Map();
    for (const m of mapping) for (const l of m.labels) if (!index.has(norm(l))) index.set(norm(l), m);
    labelIndexes.set(mapping, index);
  }
  return index;
}

export function meaningOf(field: FormFieldLike, formSchemaId: string | null | undefined): FieldMeaning | undefined {
  return labelIndex(mappingFor(formSchemaId)).get(norm(field.field_label));
}

/** First field carrying each semantic key. */
export function indexFields<F extends FormFieldLike>(
  fields: F[],
  formSchemaId: string | null | undefined,
): Partial<Record<SemanticKey, F>> {
  const out: Partial<Record<SemanticKey, F>> = {};
  for (const f of fields) {
    const m = meaningOf(f, formSchemaId);
    if (m && !out[m.key]) out[m.key] = f;
  }
  return out;
}

/** Display text of a scalar or list value: list values carry { option: { name, value } }. */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object" && value && "option" in value) {
    const option = (value as { option?: { name?: unknown; value?: unknown } }).option;
    const name = option?.name ?? option?.value;
    return name === null || name === undefined ? null : String(name);
  }
  return null;
}

/** A calendar date "YYYY-MM-DD" when the value is one (and a real date), else null. */
export function dateOf(value: unknown): string | null {
  const text = textOf(value);
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text ? text : null;
}

export type Diagnosis = {
  code: string | null;
  description: string | null;
  treatment: string | null;
  startDate: string | null;
  endDate: string | null;
  notes: string | null;
};

/** medical_history rows: [{ values: [{ field_key, field_value }] }]; "A000=Cholera ..." splits into code and description. */
export function diagnosesOf(value: unknown): Diagnosis[] {
  if (!Array.isArray(value)) return [];
  return value.map((row) => {
    const values: Array<{ field_key?: unknown; field_value?: unknown }> =
      row && typeof row === "object" && Array.isArray((row as { values?: unknown }).values)
        ? (row as { values: [] }).values
        : [];
    const get = (k: string) => textOf(values.find((v) => v?.field_key === k)?.field_value);
    const diagnosis = get("diagnosis");
    const eq = diagnosis?.indexOf("=") ?? -1;
    return {
      code: diagnosis && eq > 0 ? diagnosis.slice(0, eq).trim() : null,
      description: diagnosis ? (eq > 0 ? diagnosis.slice(eq + 1).trim() : diagnosis) : null,
      treatment: get("treatment"),
      startDate: get("start_date"),
      endDate: get("end_date"),
      notes: get("notes"),
    };
  });
}
