/**
 * How a payload's form fields are laid out for a reviewer: grouped by meaning (client,
 * diagnoses, physician, service, insurances) through lib/form/mapping.ts, payload order
 * within a group, every field kept (unknown types and unmapped labels land in "Other fields").
 */
import { GROUP_TITLES, meaningOf, type FieldGroup, type SemanticKey } from "./mapping";

export type PayloadField = {
  field_id?: unknown;
  field_label: string;
  field_type: string;
  field_value?: unknown;
  type?: unknown;
};

export type ViewField = {
  /** position in form_data.fields */
  index: number;
  label: string;
  type: string;
  subtype: string | null;
  value: unknown;
  /** differs from the original submission (amendments) */
  changed: boolean;
  /** what the field means (lib/form/mapping.ts); null for a label the mapping does not know */
  key: SemanticKey | null;
};

export type ViewGroup = { group: FieldGroup; title: string; fields: ViewField[] };

export const GROUP_ORDER: FieldGroup[] = [
  "client",
  "diagnoses",
  "physician",
  "service",
  "primary_insurance",
  "secondary_insurance",
  "other",
];

export function fieldsOf(payload: unknown): PayloadField[] {
  const fields = (payload as { form_data?: { fields?: unknown } } | null)?.form_data?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (f): f is PayloadField =>
      !!f &&
      typeof f === "object" &&
      typeof (f as PayloadField).field_label === "string" &&
      typeof (f as PayloadField).field_type === "string",
  );
}

export function formSchemaIdOf(payload: unknown): string | null {
  const id = (payload as { form_data?: { form_schema_id?: unknown } } | null)?.form_data?.form_schema_id;
  return typeof id === "string" ? id : null;
}

export function buildFieldGroups(payload: unknown, changedLabels: ReadonlySet<string> = new Set()): ViewGroup[] {
  const schemaId = formSchemaIdOf(payload);
  const byGroup = new Map<FieldGroup, ViewField[]>();
  fieldsOf(payload).forEach((f, index) => {
    // Section headings structure the unmapped remainder; mapped fields carry their own group title.
    const meaning = f.field_type === "section" ? undefined : meaningOf(f, schemaId);
    const group: FieldGroup = meaning?.group ?? "other";
    const list = byGroup.get(group) ?? [];
    list.push({
      index,
      label: f.field_label,
      type: f.field_type,
      subtype: typeof f.type === "string" ? f.type : null,
      value: f.field_value ?? null,
      changed: changedLabels.has(f.field_label),
      key: meaning?.key ?? null,
    });
    byGroup.set(group, list);
  });
  return GROUP_ORDER.filter((g) => byGroup.has(g))
    .map((g) => {
      const fields = byGroup.get(g)!;
      // An "other" group made only of headings says nothing.
      return { group: g, title: GROUP_TITLES[g], fields };
    })
    .filter((g) => g.group !== "other" || g.fields.some((f) => f.type !== "section"));
}
