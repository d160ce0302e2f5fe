import { AmendedBadge, StatusBadge } from "@/components/status-badge";
import { SlaBadge } from "@/components/sla-badge";
import { ageInYears, formatCalendarDate, formatDateTime } from "@/lib/format";
import type { ReferralDetail } from "@/lib/referrals/detail";

function Fact({
  label,
  children,
  testId,
  wide,
}: {
  label: string;
  children: React.ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <div className={`min-w-0 ${wide ? "col-span-2" : ""}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900" data-testid={testId}>
        {children ?? <span className="italic text-slate-600">Not provided</span>}
      </dd>
    </div>
  );
}

export function ReferralHeader({ d, now }: { d: ReferralDetail; now: Date }) {
  const age = ageInYears(d.client.birthday, now);
  return (
    <section aria-labelledby="client-name" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="flex flex-wrap items-center gap-2">
        <h1 id="client-name" className="text-2xl font-bold tracking-tight">
          {d.client.name}
        </h1>
        <StatusBadge status={d.snapshot.status} />
        {d.original ? <AmendedBadge title={`${d.submissions.length} submissions`} /> : null}
        <SlaBadge row={{ status: d.snapshot.status, slaDueAt: d.slaDueAt, slaPausedAt: d.slaPausedAt }} now={now} />
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-4">
        <Fact label="Birthday" testId="client-birthday">
          {d.client.birthday ? (
            <>
              <time dateTime={d.client.birthday}>{formatCalendarDate(d.client.birthday)}</time>
              {age !== null ? <span className="text-slate-700"> · {age} years</span> : null}
            </>
          ) : null}
        </Fact>
        <Fact label="Gender" testId="client-gender">
          {d.client.gender}
        </Fact>
        <Fact label="Phone" testId="client-phone">
          {d.client.phone}
        </Fact>
        <Fact label="Client time zone" testId="client-timezone">
          {d.client.timezone}
        </Fact>
        <Fact label="Address" testId="client-address" wide>
          {d.client.address}
        </Fact>
        <Fact label="Agency" testId="agency-name">
          {d.agency.name}
          <span className="block text-xs text-slate-700">
            Branch {d.agency.branchId} · {d.agency.timezone}
          </span>
        </Fact>
        <Fact label="Form" testId="form-name">
          {d.form.name ?? "Unnamed form"}
          {d.form.formId !== null ? (
            <span className="block text-xs text-slate-700">Version (form id) {d.form.formId}</span>
          ) : null}
        </Fact>
        <Fact label="Submitted" testId="submitted-by">
          {d.form.createdBy ?? "Unknown"}
          {d.form.createdAt ? (
            <span className="block text-xs text-slate-700">{formatDateTime(d.form.createdAt)}</span>
          ) : null}
        </Fact>
        <Fact label="Received" testId="received-at">
          {formatDateTime(d.receivedAt)}
        </Fact>
        <Fact label="Request id" testId="request-id" wide>
          <span className="font-mono text-xs">{d.requestId}</span>
        </Fact>
      </dl>
    </section>
  );
}
