import { Link } from "@/components/ui/link";
import { defaultSort, type TQueueParams } from "@/lib/validations/queue";
import type { FilterOptions } from "@/lib/referrals/queue";
import { FormField, Select } from "@/components/ui/form-field";
import { btnPrimary } from "@/components/ui/styles";
import { FiltersDisclosure } from "./filters-disclosure";

const field = "mt-1 block h-10 w-full rounded-md border border-slate-500 bg-white px-2 text-sm text-slate-900";
const ASSIGNED = [
  ["", "Anyone"],
  ["me", "Assigned to me"],
  ["unassigned", "Unassigned"],
] as const;

/** The yes-or-no filters, each a checkbox sent as `name=1`. */
const CHECKS = [
  ["overdue", "Overdue only"],
  ["disagrees", "Order disagrees"],
] as const;

/** A plain GET form: applying filters is a navigation, so every view has its own URL. */
export function QueueFilters({ params, options }: { params: TQueueParams; options: FilterOptions }) {
  const active = [
    params.agency,
    params.service,
    params.from,
    params.to,
    params.assigned,
    params.overdue,
    params.disagrees,
  ].filter(Boolean).length;
  return (
    <FiltersDisclosure activeCount={active}>
      <form
        method="get"
        action="/queue"
        aria-label="Filters"
        className="grid grid-cols-2 items-end gap-3 sm:grid-cols-3 lg:grid-cols-[repeat(6,minmax(0,1fr))_auto]"
      >
        <input type="hidden" name="tab" value={params.tab} />
        {/* The order is chosen beside the table (components/queue/sort-links.tsx); applying filters keeps it. */}
        {params.sort !== defaultSort(params.tab) ? <input type="hidden" name="sort" value={params.sort} /> : null}
        {params.rid ? <input type="hidden" name="rid" value={params.rid} /> : null}
        <FormField id="f-agency" label="Agency" className="col-span-2 sm:col-span-1" controlClassName={field}>
          {(c) => (
            <Select
              name="agency"
              defaultValue={params.agency ?? ""}
              {...c}
              items={[["", "All agencies"], ...options.agencies.map((a) => [a.orgId, a.name] as const)]}
            />
          )}
        </FormField>
        <FormField id="f-service" label="Service" controlClassName={field}>
          {(c) => (
            <Select
              name="service"
              defaultValue={params.service ?? ""}
              {...c}
              items={[["", "All services"], ...options.services.map((s) => [s, s] as const)]}
            />
          )}
        </FormField>
        <FormField id="f-assigned" label="Assigned" controlClassName={field}>
          {(c) => <Select name="assigned" defaultValue={params.assigned ?? ""} {...c} items={ASSIGNED} />}
        </FormField>
        <FormField id="f-from" label="Received from" controlClassName={field}>
          {(c) => <input type="date" name="from" defaultValue={params.from ?? ""} {...c} />}
        </FormField>
        <FormField id="f-to" label="Received to" controlClassName={field}>
          {(c) => <input type="date" name="to" defaultValue={params.to ?? ""} {...c} />}
        </FormField>
        <div className="flex min-h-10 flex-col justify-center gap-1">
          {CHECKS.map(([name, text]) => (
            <div key={name} className="flex items-center gap-2">
              <input
                id={`f-${name}`}
                type="checkbox"
                name={name}
                value="1"
                defaultChecked={Boolean(params[name])}
                className="h-4 w-4 accent-blue-800"
              />
              <label htmlFor={`f-${name}`} className="text-sm font-medium text-slate-800">
                {text}
              </label>
            </div>
          ))}
        </div>
        <div className="col-span-2 flex items-center gap-3 sm:col-span-3 lg:col-span-1">
          <button type="submit" className={btnPrimary}>
            Apply
          </button>
          {active ? (
            <Link
              href={params.tab === "new" ? "/queue" : `/queue?tab=${params.tab}`}
              className="text-sm font-medium text-blue-800 underline underline-offset-2"
            >
              Clear
            </Link>
          ) : null}
        </div>
      </form>
    </FiltersDisclosure>
  );
}
