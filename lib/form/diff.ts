/**
 * Differences between two submissions of a referral request, as a reviewer compares them: form
 * fields matched by label (field ids change per environment, order may change), the client and
 * agency blocks, and the files by name and digest. Used by the intake (what an amendment changed),
 * the referral page and the different-person check.
 */
import diff from "microdiff";
import { fieldsOf } from "./fields";

export type Change = { label: string; before: unknown; after: unknown; kind: "changed" | "added" | "removed" };

/**
 * A submission as the reviewer compares it: form fields keyed by label (ids differ per
 * environment, order may change), the client and agency blocks, and the files by name and digest.
 */
export function submissionSnapshot(payload: unknown): {
  fields: Record<string, unknown>;
  client: Record<string, unknown>;
  agency: Record<string, unknown>;
  files: string[];
} {
  const p = (payload ?? {}) as Record<string, unknown>;
  const files = Array.isArray(p.files) ? (p.files as Array<{ file_name?: string; file_value?: string }>) : [];
  return {
    fields: Object.fromEntries(fieldsOf(payload).map((f) => [f.field_label, f.field_value ?? null])),
    client: (p.client ?? {}) as Record<string, unknown>,
    agency: (p.agency ?? {}) as Record<string, unknown>,
    files: files.map((f) => `${f.file_name ?? "?"} (${String(f.file_value ?? "").slice(7, 19)})`),
  };
}

export type SubmissionChange = Change & { part: "fields" | "client" | "agency" | "files" };

/**
 * Differences between two submissions, one per form field (by label), client or agency key, and
 * the file list: additions and changes in the later submission's order, removals after them.
 */
export function diffSubmissions(before: unknown, after: unknown): SubmissionChange[] {
  const a = submissionSnapshot(before);
  const b = submissionSnapshot(after);
  const touched = new Set(diff(a, b).map((d) => `${String(d.path[0])}\u0000${String(d.path[1] ?? "")}`));
  const out: SubmissionChange[] = [];
  for (const part of ["fields", "client", "agency"] as const) {
    const label = (k: string) => (part === "fields" ? k : `${part}.${k}`);
    for (const k of Object.keys(b[part])) {
      if (!touched.has(`${part}\u0000${k}`)) continue;
      const had = k in a[part];
      out.push({
        part,
        label: label(k),
        before: had ? a[part][k] : null,
        after: b[part][k] ?? null,
        kind: had ? "changed" : "added",
      });
    }
    for (const k of Object.keys(a[part])) {
      if (!(k in b[part]))
        out.push({ part, label: label(k), before: a[part][k] ?? null, after: null, kind: "removed" });
    }
  }
  if ([...touched].some((t) => t.startsWith("files\u0000")))
    out.push({ part: "files", label: "files", before: a.files.join(", "), after: b.files.join(", "), kind: "changed" });
  return out;
}

/** A change between two submissions: the diff module's one change type. */
export type FieldChange = Change;

const strip = ({ label, before, after, kind }: SubmissionChange): FieldChange => ({ label, before, after, kind });

/** Field-by-field differences between two submissions, matched by label (ids differ per environment). */
export function diffFields(original: unknown, latest: unknown): FieldChange[] {
  return diffSubmissions(original, latest)
    .filter((c) => c.part === "fields")
    .map(strip);
}

/** Differences outside the form fields: client, agency, files (by name and digest). */
export function diffEnvelope(original: unknown, latest: unknown): FieldChange[] {
  return diffSubmissions(original, latest)
    .filter((c) => c.part !== "fields")
    .map(strip);
}
