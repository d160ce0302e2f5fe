import type { ReactNode } from "react";
import type { Check } from "@/lib/documents/types";
import { buildFieldGroups, type ViewField } from "@/lib/form/fields";
import type { SemanticKey } from "@/lib/form/mapping";
import { fieldValue, RawValue } from "./field-value";
import { FieldCheck } from "./order-checks";

/** A field by its type; one that cannot be rendered is shown raw, and the rest of the page still renders. */
function renderField(f: ViewField): ReactNode {
  try {
    return fieldValue(f);
  } catch {
    return (
      <div>
        <span className="mb-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-950">
          shown as received
        </span>
        <RawValue value={f.value} />
      </div>
    );
  }
}

/**
 * The form, grouped the way a reviewer reads it (lib/form/mapping.ts decides the groups). `checks`:
 * the order check of each field it covers, shown beside the field's value.
 */
export function FieldGroups({
  payload,
  changedLabels,
  checks = {},
}: {
  payload: unknown;
  changedLabels: Set<string>;
  checks?: Partial<Record<SemanticKey, Check>>;
}) {
  const groups = buildFieldGroups(payload, changedLabels);
  return (
    <div className="space-y-4">
      {groups.map((g) => (
        <section
          key={g.group}
          aria-labelledby={`group-${g.group}`}
          className="rounded-lg border border-slate-200 bg-white shadow-sm"
          data-group={g.group}
        >
          <h2 id={`group-${g.group}`} className="border-b border-slate-200 px-4 py-2.5 text-base font-semibold">
            {g.title}
          </h2>
          <dl className="divide-y divide-slate-100">
            {g.fields.map((f) =>
              f.type === "section" ? (
                <div key={f.index} className="bg-slate-50 px-4 py-2">
                  <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-700">{f.label}</h3>
                </div>
              ) : (
                <div
                  key={f.index}
                  className={`grid gap-1 px-4 py-2.5 ${f.type === "medical_history" ? "" : "sm:grid-cols-[14rem_1fr] sm:gap-4"}`}
                  data-field-label={f.label}
                  data-field-type={f.type}
                >
                  <dt className="text-sm font-medium text-slate-700">
                    {f.label}
                    {f.changed ? (
                      <span className="ml-2 rounded bg-purple-100 px-1.5 py-0.5 text-xs font-semibold text-purple-900">
                        Changed
                      </span>
                    ) : null}
                  </dt>
                  <dd className="min-w-0 text-sm text-slate-900">
                    <div data-field-value>{renderField(f)}</div>
                    {f.key && checks[f.key] ? <FieldCheck check={checks[f.key]!} label={f.label} /> : null}
                  </dd>
                </div>
              ),
            )}
          </dl>
        </section>
      ))}
    </div>
  );
}
