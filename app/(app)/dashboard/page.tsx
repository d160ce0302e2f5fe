import type { Metadata } from "next";
import { AgencyChart } from "@/components/dashboard/agency-chart";
import { hoursText, percentText, weekText } from "@/components/dashboard/chart-parts";
import { DurationsChart } from "@/components/dashboard/durations-chart";
import { WeeklyCountsChart } from "@/components/dashboard/weekly-chart";
import { FormField, Select } from "@/components/ui/form-field";
import { btnPrimary } from "@/components/ui/styles";
import { requirePageActor } from "@/lib/auth/guards";
import { DASHBOARD_WEEKS, openDashboard, type DashboardWeeks } from "@/lib/dashboard/turnaround";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Turnaround" };

const field = "mt-1 block h-10 w-full rounded-md border border-slate-500 bg-white px-2 text-sm text-slate-900";
const nf = new Intl.NumberFormat("en-US");

function Kpi({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" data-testid={testId}>
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tabular-nums tracking-tight text-slate-900">{value}</dd>
      {hint ? <dd className="text-xs text-slate-700">{hint}</dd> : null}
    </div>
  );
}

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("reports:read");
  const sp = await searchParams;
  const weeksParam = Number(typeof sp.weeks === "string" ? sp.weeks : 12);
  const weeks = ((DASHBOARD_WEEKS as readonly number[]).includes(weeksParam) ? weeksParam : 12) as DashboardWeeks;
  const agencyParam =
    typeof sp.agency === "string" && /^[0-9a-f-]{36}$/i.test(sp.agency) ? sp.agency.toLowerCase() : undefined;
  const db = getDb();
  const d = await openDashboard(db, actor, { weeks, agency: agencyParam });
  const slaHours = getEnv().REVIEW_SLA_HOURS;
  const t = d.totals;
  const agencyName = agencyParam ? (d.agencies.find((a) => a.orgId === agencyParam)?.name ?? agencyParam) : null;

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Turnaround</h1>
        <p className="text-sm text-slate-700">
          {agencyName ?? "All agencies"}, the {weeks} weeks from {weekText(d.from)} (weeks start on Monday, Eastern
          time). Each figure counts in the week it happened; times are from receipt.
        </p>
      </div>
      <form
        method="get"
        action="/dashboard"
        aria-label="Dashboard range"
        className="grid grid-cols-1 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[12rem_minmax(0,20rem)_auto]"
      >
        <FormField id="d-weeks" label="Period" controlClassName={field}>
          {(c) => (
            <Select
              name="weeks"
              defaultValue={String(weeks)}
              {...c}
              items={DASHBOARD_WEEKS.map((w) => [w, `Last ${w} weeks`] as const)}
            />
          )}
        </FormField>
        <FormField id="d-agency" label="Agency" controlClassName={field}>
          {(c) => (
            <Select
              name="agency"
              defaultValue={agencyParam ?? ""}
              {...c}
              items={[["", "All agencies"], ...d.agencies.map((a) => [a.orgId, a.name] as const)]}
            />
          )}
        </FormField>
        <div>
          <button type="submit" className={btnPrimary}>
            Show
          </button>
        </div>
      </form>

      <section aria-labelledby="kpi-title">
        <h2 id="kpi-title" className="sr-only">
          Totals for the period
        </h2>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Kpi testId="kpi-received" label="Received" value={nf.format(t.received)} />
          <Kpi testId="kpi-decided" label="Decided" value={nf.format(t.decided)} />
          <Kpi testId="kpi-sent" label="Sent to ACCloud" value={nf.format(t.sent)} />
          <Kpi testId="kpi-cancelled" label="Cancelled" value={nf.format(t.cancelled)} />
          <Kpi
            testId="kpi-decision"
            label="Time to decision"
            value={hoursText(t.toDecision.p50)}
            hint={`median · 90% within ${hoursText(t.toDecision.p90)}`}
          />
          <Kpi
            testId="kpi-to-sent"
            label="Time to sent"
            value={hoursText(t.toSent.p50)}
            hint={`median · 90% within ${hoursText(t.toSent.p90)}`}
          />
          <Kpi
            testId="kpi-sla"
            label={`Decided within ${slaHours} h`}
            value={percentText(t.slaCompliance)}
            hint={`${nf.format(t.decidedInSla)} of ${nf.format(t.decided)} decisions`}
          />
          <Kpi
            testId="kpi-overdue"
            label="Overdue now"
            value={nf.format(t.overdueNow)}
            hint="open requests past their SLA"
          />
        </dl>
      </section>

      <WeeklyCountsChart weeks={d.byWeek} />
      <DurationsChart weeks={d.byWeek} slaHours={slaHours} />
      <AgencyChart agencies={d.byAgency} />
      <p className="text-xs text-slate-700">
        Medians and 90th percentiles are read from histograms kept by the database in 5% steps, so they are within 5% of
        the exact value; counts are exact.
      </p>
    </div>
  );
}
