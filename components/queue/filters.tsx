import Link from "next/link";
import { QUEUE_SORTS, type TQueueParams } from "@/lib/validations/queue";
import type { FilterOptions } from "@/lib/referrals/queue";
import { btnPrimary } from "@/components/ui/styles";
import { FiltersDisclosure } from "./filters-disclosure";

const field = "mt-1 block h-10 w-full rounded-md border border-slate-500 bg-white px-2 text-sm text-slate-900";
const lbl = "block text-sm font-medium text-slate-800";

/** A plain GET form: applying filters is a navigation, so every view has its own URL. */
export function QueueFilters({ params, options }: { params: TQueueParams; options: FilterOptions }) {
  const active = [params.agency, params.service, params.from, params.to, params.assigned, params.overdue].filter(Boolean).length;
  return (
    <FiltersDisclosure activeCount={active}>
      <form
        method="get"
        action="/queue"
        aria-label="Filters"
        className="grid grid-cols-2 items-end gap-3 sm:grid-cols-3 lg:grid-cols-[repeat(7,minmax(0,1fr))_auto]"
      >
        <input type="hidden" name="tab" value={params.tab} />
        {params.rid ? <input type="hidden" name="rid" value={params.rid} /> : null}
        <div className="col-span-2 sm:col-span-1">
          <label htmlFor="f-agency" className={lbl}>
            Agency
          </label>
          <select id="f-agency" name="agency" defaultValue={params.agency ?? ""} className={field}>
            <option value="">All agencies</option>
            {options.agencies.map((a) => (
              <option key={a.orgId} value={a.orgId}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-service" className={lbl}>
            Service
          </label>
          <select id="f-service" name="service" defaultValue={params.service ?? ""} className={field}>
            <option value="">All services</option>
            {options.services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-assigned" className={lbl}>
            Assigned
          </label>
          <select id="f-assigned" name="assigned" defaultValue={params.assigned ?? ""} className={field}>
            <option value="">Anyone</option>
            <option value="me">Assigned to me</option>
            <option value="unassigned">Unassigned</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-from" className={lbl}>
            Received from
          </label>
          <input id="f-from" type="date" name="from" defaultValue={params.from ?? ""} className={field} />
        </div>
        <div>
          <label htmlFor="f-to" className={lbl}>
            Received to
          </label>
          <input id="f-to" type="date" name="to" defaultValue={params.to ?? ""} className={field} />
        </div>
        <div>
          <label htmlFor="f-sort" className={lbl}>
            Sort
          </label>
          <select id="f-sort" name="sort" defaultValue={params.sort} className={field}>
            {QUEUE_SORTS.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex h-10 items-center gap-2">
          <input id="f-overdue" type="checkbox" name="overdue" value="1" defaultChecked={Boolean(params.overdue)} className="h-4 w-4 accent-blue-800" />
          <label htmlFor="f-overdue" className="text-sm font-medium text-slate-800">
            Overdue only
          </label>
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
