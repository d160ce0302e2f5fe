import Link from "next/link";
import { btnPrimary, btnSecondary } from "@/components/ui/styles";
import { ACTION_GROUPS } from "@/lib/audit/groups";

const field = "mt-1 block h-10 w-full rounded-md border border-slate-500 bg-white px-2 text-sm text-slate-900 aria-[invalid=true]:border-red-700";
const lbl = "block text-sm font-medium text-slate-800";

type Options = { users: Array<{ email: string; name: string }>; agencies: Array<{ orgId: string; name: string }> };

function Err({ id, text }: { id: string; text?: string }) {
  return text ? (
    <p id={id} className="mt-1 text-sm text-red-800">
      {text}
    </p>
  ) : null;
}

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
  const invalid = (k: string) => (errors[k] ? { "aria-invalid": true as const, "aria-describedby": `af-${k}-error` } : {});
  return (
    <form method="get" action="/audit" aria-label="Filter the audit trail" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <div className="lg:col-span-2">
          <label htmlFor="af-user" className={lbl}>
            User (e-mail)
          </label>
          <input
            id="af-user"
            name="user"
            type="email"
            list="af-users"
            autoComplete="off"
            defaultValue={raw.user ?? ""}
            className={field}
            {...invalid("user")}
          />
          <datalist id="af-users">
            {options.users.map((u) => (
              <option key={u.email} value={u.email}>
                {u.name}
              </option>
            ))}
          </datalist>
          <Err id="af-user-error" text={errors.user} />
        </div>
        <div className="lg:col-span-2">
          <label htmlFor="af-action" className={lbl}>
            Actions
          </label>
          <select id="af-action" name="action" defaultValue={raw.action ?? ""} className={field} {...invalid("action")}>
            <option value="">All actions</option>
            {ACTION_GROUPS.map((g) => (
              <option key={g.key} value={g.key}>
                {g.label}
              </option>
            ))}
          </select>
          <Err id="af-action-error" text={errors.action} />
        </div>
        <div className="lg:col-span-2">
          <label htmlFor="af-agency" className={lbl}>
            Agency
          </label>
          <select id="af-agency" name="agency" defaultValue={raw.agency ?? ""} className={field} {...invalid("agency")}>
            <option value="">All agencies</option>
            {raw.agency && !options.agencies.some((a) => a.orgId === raw.agency) ? <option value={raw.agency}>{raw.agency}</option> : null}
            {options.agencies.map((a) => (
              <option key={a.orgId} value={a.orgId}>
                {a.name}
              </option>
            ))}
          </select>
          <Err id="af-agency-error" text={errors.agency} />
        </div>
        <div className="lg:col-span-2">
          <label htmlFor="af-referral" className={lbl}>
            Referral (id or request id)
          </label>
          <input
            id="af-referral"
            name="referral"
            autoComplete="off"
            spellCheck={false}
            defaultValue={raw.referral ?? ""}
            className={`${field} font-mono`}
            {...invalid("referral")}
          />
          <Err id="af-referral-error" text={errors.referral} />
        </div>
        <div>
          <label htmlFor="af-from" className={lbl}>
            From
          </label>
          <input id="af-from" name="from" type="date" defaultValue={raw.from ?? ""} className={field} {...invalid("from")} />
          <Err id="af-from-error" text={errors.from} />
        </div>
        <div>
          <label htmlFor="af-to" className={lbl}>
            To
          </label>
          <input id="af-to" name="to" type="date" defaultValue={raw.to ?? ""} className={field} {...invalid("to")} />
          <Err id="af-to-error" text={errors.to} />
        </div>
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
