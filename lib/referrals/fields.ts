/**
 * How a payload's form fields are laid out for a reviewer: grouped by meaning (client,
 * diagnoses, physician, service, insurances) through lib/form-mapping.ts, payload order
 * within a group, every field kept (unknown types and unmapped labels land in "Other fields").
 */
import { GROUP_TITLES, meaningOf, type FieldGroup } from "../form-mapping";
import { canonical } from "./canonical";

export type PayloadField = { field_id?: unknown; field_label: string; field_type: string; field_value?: unknown; type?: unknown };

export type ViewField = {
  /** position in form_data.fields */
  index: number;
  label: string;
  type: string;
  subtype: string | null;
  value: unknown;
  /** differs from the original submission (amendments) */
  changed: boolean;
};

export type ViewGroup = { group: FieldGroup; title: string; fields: ViewField[] };

export const GROUP_ORDER: FieldGroup[] = ["client", "diagnoses", "physician", "service", "primary_insurance", "secondary_insurance", "other"];

export function fieldsOf(payload: unknown): PayloadField[] {
  const fields = (payload as { form_data?: { fields?: unknown } } | null)?.form_data?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (f): f is PayloadField => !!f && typeof f === "object" && typeof (f as PayloadField).field_label === "string" && typeof (f as PayloadField).field_type === "string",
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
    const group: FieldGroup = f.field_type === "section" ? "other" : (meaningOf(f, schemaId)?.group ?? "other");
    const list = byGroup.get(group) ?? [];
    list.push({ index, label: f.field_label, type: f.field_type, subtype: typeof f.type === "string" ? f.type : null, value: f.field_value ?? null, changed: changedLabels.has(f.field_label) });
    byGroup.set(group, list);
  });
  return GROUP_ORDER.filter((g) => byGroup.has(g)).map((g) => {
    const fields = byGroup.get(g)!;
    // An "other" group made only of headings says nothing.
    return { group: g, title: GROUP_TITLES[g], fields };
  }).filter((g) => g.group !== "other" || g.fields.some((f) => f.type !== "section"));
}

export type FieldChange = { label: string; before: unknown; after: unknown; kind: "changed" | "added" | "removed" };

/** Field-by-field differences between two submissions, matched by label (ids differ per environment). */
export function diffFields(original: unknown, latest: unknown): FieldChange[] {
  const a = new Map(fieldsOf(original).map((f) => [f.field_label, f.field_value ?? null]));
  const b = new Map(fieldsOf(latest).map((f) => [f.field_label, f.field_value ?? null]));
  const out: FieldChange[] = [];
  for (const [label, after] of b) {
    if (!a.has(label)) out.push({ label, before: null, after, kind: "added" });
    else if (canonical(a.get(label)) !== canonical(after)) out.push({ label, before: a.get(label), after, kind: "changed" });
  }
  for (const [label, before] of a) if (!b.has(label)) out.push({ label, before, after: null, kind: "removed" });
  return out;
}

/** Differences outside the form fields: client, agency, files (by name and digest), form meta. */
export function diffEnvelope(original: unknown, latest: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  const o = (original ?? {}) as Record<string, unknown>;
  const l = (latest ?? {}) as Record<string, unknown>;
  for (const part of ["client", "agency"] as const) {
    const a = (o[part] ?? {}) as Record<string, unknown>;
    const b = (l[part] ?? {}) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (canonical(a[k]) !== canonical(b[k])) out.push({ label: `${part}.${k}`, before: a[k] ?? null, after: b[k] ?? null, kind: "changed" });
    }
  }
  const files = (p: Record<string, unknown>) =>
    (Array.isArray(p.files) ? (p.files as Array<{ file_name?: string; file_value?: string }>) : []).map((f) => `${f.file_name ?? "?"} (${String(f.file_value ?? "").slice(7, 19)})`);
  if (canonical(files(o)) !== canonical(files(l))) out.push({ label: "files", before: files(o).join(", "), after: files(l).join(", "), kind: "changed" });
  return out;
}
