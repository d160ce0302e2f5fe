import type { Check, CheckField, Verdict } from "@/lib/documents/types";
import { formatCalendarDate } from "@/lib/format";
import { dateOf, type SemanticKey } from "@/lib/form/mapping";
import type { OrderView } from "@/lib/referrals/order-checks";
import { Panel } from "@/components/ui/panel";
import { SeeTheOrder } from "./see-the-order";

export const CHECK_LABELS: Record<CheckField, string> = {
  client_name: "Client name",
  client_birthday: "Birthday",
  physician_name: "Physician",
  physician_npi: "Physician NPI",
  diagnosis_codes: "Diagnoses (ICD-10)",
  service: "Service",
  frequency: "Frequency",
  start_date: "Start date",
  end_date: "End date",
};

/** The form field each check is shown beside (the client's name is the page's heading, not a field). */
const FIELD_OF: Record<CheckField, SemanticKey | null> = {
  client_name: null,
  client_birthday: "clientBirthday",
  physician_name: "physicianLastName",
  physician_npi: "physicianNpi",
  diagnosis_codes: "diagnoses",
  service: "serviceRequested",
  frequency: "serviceFrequency",
  start_date: "serviceStart",
  end_date: "serviceEnd",
};

export function checksByField(checks: Check[]): Partial<Record<SemanticKey, Check>> {
  const out: Partial<Record<SemanticKey, Check>> = {};
  for (const c of checks) {
    const key = FIELD_OF[c.field];
    if (key) out[key] = c;
  }
  return out;
}

const VERDICT: Record<Verdict, { text: string; className: string }> = {
  match: { text: "Matches the order", className: "border-green-300 bg-green-50 text-green-900" },
  mismatch: { text: "Order disagrees", className: "border-amber-500 bg-amber-50 text-amber-950" },
  not_found: { text: "Not found on the order", className: "border-slate-300 bg-slate-50 text-slate-800" },
  invalid: { text: "Not a valid value", className: "border-orange-400 bg-orange-50 text-orange-950" },
};

function VerdictChip({ verdict }: { verdict: Verdict }) {
  const v = VERDICT[verdict];
  return (
    <span className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${v.className}`}>
      {v.text}
    </span>
  );
}

const DATES = new Set<CheckField>(["client_birthday", "start_date", "end_date"]);
/** A side of a check as the page writes it: the form's ISO dates as the form's fields show them. */
function shown(field: CheckField, v: string | null) {
  if (v === null || v.trim() === "") return <span className="italic">not stated</span>;
  return DATES.has(field) && dateOf(v) ? formatCalendarDate(v) : v;
}

/**
 * A check beside its form field: a mismatch with both values and "See the order"; a match or an
 * invalid value with its link; nothing found said in a word. It asks for a look; it blocks nothing.
 */
export function FieldCheck({ check, label }: { check: Check; label: string }) {
  const see = check.source ? <SeeTheOrder source={check.source} label={label} /> : null;
  if (check.verdict === "match")
    return (
      <p
        className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-green-900"
        data-order-check={check.field}
        data-verdict="match"
      >
        <span>✓ Matches the order</span>
        {see}
      </p>
    );
  if (check.verdict === "not_found")
    return (
      <p className="mt-1 text-xs text-slate-700" data-order-check={check.field} data-verdict="not_found">
        Not found on the order
      </p>
    );
  return (
    <div
      className={`mt-1.5 rounded-md border px-2.5 py-1.5 text-sm ${VERDICT[check.verdict].className}`}
      data-order-check={check.field}
      data-verdict={check.verdict}
    >
      <p className="font-semibold">
        {check.verdict === "mismatch" ? "The order disagrees" : "Not a valid value on the form or the order"}
      </p>
      <dl className="mt-0.5 grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 text-xs">
        <dt className="font-medium">Form</dt>
        <dd className="break-words" data-order-form-value>
          {shown(check.field, check.form)}
        </dd>
        <dt className="font-medium">Order</dt>
        <dd className="break-words" data-order-order-value>
          {shown(check.field, check.order)}
        </dd>
      </dl>
      {see ? <p className="mt-1 text-xs">{see}</p> : null}
    </div>
  );
}

/** The order check at a glance, every field: what the form says, what the order says, where. */
export function OrderChecks({ view, referralId }: { view: OrderView; referralId: string }) {
  const mismatches = view.checks.filter((c) => c.verdict === "mismatch").length;
  const unreadable = view.documents.filter((d) => d.state === "unreadable");
  const names = new Map(view.files.map((f) => [f.fileId, f.name]));
  const title =
    view.status === "pending"
      ? "Order check: reading the files"
      : mismatches
        ? `Order check: disagrees on ${mismatches} field${mismatches === 1 ? "" : "s"}`
        : "Order check";
  return (
    <Panel id="order-check-title" title={title} testId="order-checks">
      <div className="space-y-3 px-4 py-3 text-sm" data-order-status={view.status}>
        {view.status === "pending" ? (
          <p className="text-slate-800">
            The attached files are being read (a scan takes a few seconds a page). Nothing waits for it: review as
            usual, and{" "}
            <a href={`/referrals/${referralId}`} className="font-medium text-blue-800 underline underline-offset-2">
              reload the page
            </a>{" "}
            to see the checks.
          </p>
        ) : !view.orderFileId ? (
          <p className="text-slate-800">None of the files reads as a physician&apos;s order, so nothing was checked.</p>
        ) : (
          <>
            <p className="text-slate-800">
              {mismatches
                ? "The physician's order says otherwise on the fields marked below. It blocks nothing: have a look."
                : "The physician's order agrees with the form on every field it states."}
            </p>
            <dl className="divide-y divide-slate-100 rounded-md border border-slate-200">
              {view.checks.map((c) => (
                <div
                  key={c.field}
                  className="grid gap-1 px-3 py-2 sm:grid-cols-[9rem_minmax(0,1fr)] sm:gap-3"
                  data-check-row={c.field}
                  data-verdict={c.verdict}
                >
                  <dt className="font-medium text-slate-800">{CHECK_LABELS[c.field]}</dt>
                  <dd className="min-w-0 space-y-0.5">
                    <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <VerdictChip verdict={c.verdict} />
                      {c.source ? <SeeTheOrder source={c.source} label={CHECK_LABELS[c.field]} /> : null}
                    </div>
                    {c.verdict !== "match" && c.verdict !== "not_found" ? (
                      <p className="break-words text-xs text-slate-800">
                        Form: {shown(c.field, c.form)} · Order: {shown(c.field, c.order)}
                      </p>
                    ) : null}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        )}
        {unreadable.length ? (
          <ul className="space-y-1 text-xs text-slate-800" aria-label="Files that could not be read">
            {unreadable.map((d) => (
              <li key={d.file_id} className="break-words">
                <span className="font-medium">{names.get(d.file_id) ?? "A file"}</span> could not be read: {d.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Panel>
  );
}
