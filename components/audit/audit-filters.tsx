import { Link } from "@/components/ui/link";
import { FormField, Options, Select } from "@/components/ui/form-field";
import { btnPrimary, btnSecondary } from "@/components/ui/styles";
import { ACTION_GROUPS } from "@/db/schema/audit-groups";

const field =
  "mt-1 block h-10 w-full rounded-md border border-slate-500 bg-white px-2 text-sm text-slate-900 aria-[invalid=true]:border-red-700";

/** The fields that take two of the form's six columns from lg. */
const WIDE = { className: "lg:col-span-2", controlClassName: field };

type Options = { users: Array<{ email: string; name: string }>; agencies: Array<{ orgId: string; name: string }> };

/**
 * The trail's filters: a plain GET form, so every view of the trail is a URL a supervisor can
 * bookmark or send, and the CSV link exports exactly that view.
 */
export function AuditFilters({
  raw,
  errors,
  options,
  exportHref,
}: {
  raw: Record<string, string>;
  errors: Record<string, string>;
  options: Options;
  exportHref: string | null;
}) {
  const actionItems = [["", "All actions"], ...ACTION_GROUPS.map((g) => [g.key, g.label] as const)] as const;
  // An agency in the link that the list does not name (no request of it yet) is still shown as chosen.
  const unlisted = raw.agency && !options.agencies.some((a) => a.orgId === raw.agency) ? [raw.agency] : [];
  const agencyItems = [
    ["", "All agencies"] as const,
    ...unlisted.map((orgId) => [orgId, orgId] as const),
    ...options.agencies.map((a) => [a.orgId, a.name] as const),
  ];
  return (
    <form
      method="get"
      action="/audit"
      aria-label="Filter the audit trail"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <FormField id="af-user" label="User (e-mail)" error={errors.user} {...WIDE}>
          {(c) => (
            <>
              <input name="user" type="email" list="af-users" autoComplete="off" defaultValue={raw.user ?? ""} {...c} />
              <datalist id="af-users">
                <Options items={options.users.map((u) => [u.email, u.name] as const)} />
              </datalist>
            </>
          )}
        </FormField>
        <FormField id="af-action" label="Actions" error={errors.action} {...WIDE}>
          {(c) => <Select name="action" defaultValue={raw.action ?? ""} {...c} items={actionItems} />}
        </FormField>
        <FormField id="af-agency" label="Agency" error={errors.agency} {...WIDE}>
          {(c) => <Select name="agency" defaultValue={raw.agency ?? ""} {...c} items={agencyItems} />}
        </FormField>
        <FormField
          id="af-referral"
          label="Referral (id or request id)"
          error={errors.referral}
          {...WIDE}
          controlClassName={`${field} font-mono`}
        >
          {(c) => (
            <input name="referral" autoComplete="off" spellCheck={false} defaultValue={raw.referral ?? ""} {...c} />
          )}
        </FormField>
        <FormField id="af-from" label="From" error={errors.from} controlClassName={field}>
          {(c) => <input name="from" type="date" defaultValue={raw.from ?? ""} {...c} />}
        </FormField>
        <FormField id="af-to" label="To" error={errors.to} controlClassName={field}>
          {(c) => <input name="to" type="date" defaultValue={raw.to ?? ""} {...c} />}
        </FormField>
        <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-2">
          <button type="submit" className={btnPrimary}>
            Apply filters
          </button>
          <Link href="/audit" className={btnSecondary}>
            Clear
          </Link>
          {exportHref ? (
            <a href={exportHref} className={btnSecondary} download data-testid="audit-export">
              Download CSV
            </a>
          ) : null}
        </div>
      </div>
      <p className="mt-3 text-xs text-slate-700">
        Dates are in Eastern time and include both days. The CSV holds every event of these filters, not only this page.
      </p>
    </form>
  );
}
