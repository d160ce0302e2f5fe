import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { AuditEvents, WhoSawPanel } from "@/components/audit/audit-events";
import { AuditFilters } from "@/components/audit/audit-filters";
import { PageHeading } from "@/components/ui/page-heading";
import { btnSecondary } from "@/components/ui/styles";
import { auditFilterOptions, openAuditTrail, type AuditTotal } from "@/lib/audit-trail/query";
import { requirePageActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { STATUS_LABELS } from "@/lib/format";
import { AUDIT_FILTER_KEYS, auditQuery, parseAuditParams } from "@/lib/audit-trail/filters";

export const metadata: Metadata = { title: "Audit trail" };

const nf = new Intl.NumberFormat("en-US");

function roughly(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)} million`;
  const digits = Math.max(0, String(Math.round(n)).length - 2);
  return nf.format(Math.round(n / 10 ** digits) * 10 ** digits);
}

function totalText(t: AuditTotal): string {
  if (t.exact) return t.n === 1 ? "1 event" : `${nf.format(t.n)} events`;
  return `More than ${nf.format(10_000)} events (about ${roughly(t.estimate)})`;
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("audit:read");
  const parsed = parseAuditParams(await searchParams);
  const db = getDb();
  const options = await auditFilterOptions(db, actor);
  const filterRaw = Object.fromEntries(AUDIT_FILTER_KEYS.filter((k) => parsed.raw[k]).map((k) => [k, parsed.raw[k]!]));

  if (!parsed.ok) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-bold tracking-tight">Audit trail</h1>
        <AuditFilters raw={parsed.raw} errors={parsed.errors} options={options} exportHref={null} />
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
          Some filters are not valid: {Object.keys(parsed.errors).join(", ")}. Correct them to see the trail.
        </p>
      </div>
    );
  }

  const f = parsed.filters;
  const { page, total, saw, summary } = await openAuditTrail(db, actor, f, {
    before: parsed.before,
    after: parsed.after,
  });
  const exportHref = `/api/audit/export${auditQuery(filterRaw)}`;
  const filtered = Object.keys(filterRaw).length > 0;

  return (
    <div className="space-y-4">
      <PageHeading title="Audit trail">
        Every change, view, sign-in and administration step, newest first. Opening this page is recorded too.
      </PageHeading>
      <AuditFilters raw={parsed.raw} errors={{}} options={options} exportHref={exportHref} />
      {summary ? (
        <section
          aria-label="The request filtered on"
          className="rounded-lg border border-blue-200 bg-blue-50 px-4 py-3 text-sm text-slate-900"
          data-testid="audit-referral"
        >
          <p>
            <span className="font-semibold">Request {summary.requestId}</span> · {summary.agencyName} ·{" "}
            {STATUS_LABELS[summary.status] ?? summary.status}
            {summary.clientName ? <> · client {summary.clientName}</> : null} ·{" "}
            <Link href={`/referrals/${summary.id}`} className="font-medium text-blue-800 underline underline-offset-2">
              Open the request
            </Link>
          </p>
        </section>
      ) : null}
      {saw ? <WhoSawPanel rows={saw} /> : null}
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold" id="events-title">
          Events
        </h2>
        <p className="text-sm text-slate-800" data-testid="audit-total" aria-live="polite">
          {totalText(total)}
          {filtered ? " match these filters" : " in all"}
        </p>
      </div>
      {page.rows.length ? (
        <AuditEvents rows={page.rows} />
      ) : (
        <div
          className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center"
          data-testid="audit-empty"
        >
          <p className="font-medium">No events match these filters.</p>
          <p className="mt-1 text-sm text-slate-700">Widen the dates or clear a filter.</p>
        </div>
      )}
      <nav aria-label="Pages of the trail" className="flex flex-wrap gap-2">
        {parsed.before || parsed.after ? (
          <Link className={btnSecondary} href={`/audit${auditQuery(filterRaw)}`}>
            Newest
          </Link>
        ) : null}
        {(
          [
            ["prev", "after", page.newerCursor, "← Newer"],
            ["next", "before", page.olderCursor, "Older →"],
          ] as const
        ).map(([rel, key, cursor, text]) =>
          cursor ? (
            <Link
              key={rel}
              className={btnSecondary}
              href={`/audit${auditQuery({ ...filterRaw, [key]: cursor })}`}
              rel={rel}
            >
              {text}
            </Link>
          ) : null,
        )}
      </nav>
    </div>
  );
}
