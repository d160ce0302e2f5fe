import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ApprovalSection } from "@/components/approval/approval-section";
import { RevisionsPanel } from "@/components/approval/revisions-panel";
import { PushPanel } from "@/components/approval/push-panel";
import { getRevisionHistory } from "@/lib/approval/history";
import { getApprovalView } from "@/lib/approval/view";
import { ReferralKeyboard } from "@/components/referral/keyboard";
import { getNeighbours } from "@/lib/referrals/neighbours";
import { Amendments } from "@/components/referral/amendments";
import { DifferentPerson } from "@/components/referral/different-person";
import { PossibleDuplicates } from "@/components/referral/possible-duplicates";
import { duplicatesOf } from "@/lib/referrals/duplicates";
import { FieldGroups } from "@/components/referral/field-groups";
import { checksByField, OrderChecks } from "@/components/referral/order-checks";
import { OrderPane } from "@/components/referral/order-pane";
import { readOrderView, type OrderView } from "@/lib/referrals/order-checks";
import { ReferralFiles } from "@/components/referral/files";
import { ReferralHeader } from "@/components/referral/header";
import { RawPayload } from "@/components/referral/raw-payload";
import { Timeline } from "@/components/referral/timeline";
import { WorkPanel } from "@/components/referral/work-panel";
import { SecondReviewPanel } from "@/components/review/second-review-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { hasScope } from "@/lib/access/scopes";
import { getDb } from "@/lib/db";
import { getReferralDetail, listActiveReasons } from "@/lib/referrals/detail";
import { diffFields } from "@/lib/form/diff";
import { reviewsOfReferral } from "@/lib/second-review/reviews";

// No client name in the title: titles end up in browser history and tab lists.
export const metadata: Metadata = { title: "Referral request" };

const ZPageParams = z.object({
  edit: z.literal("1").optional().catch(undefined),
  from: z.coerce.number().int().positive().optional().catch(undefined),
  to: z.coerce.number().int().positive().optional().catch(undefined),
});

export default async function ReferralPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("referral:read");
  const { id } = await params;
  const q = ZPageParams.parse(
    Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  );
  const db = getDb();
  const [d, reasons, reviews, order] = await Promise.all([
    getReferralDetail(db, actor, id),
    listActiveReasons(db),
    reviewsOfReferral(db, actor, id),
    readOrderView(db, id),
  ]);
  if (!d) notFound();
  const [history, neighbours, approval, duplicates] = await Promise.all([
    getRevisionHistory(db, actor, id),
    getNeighbours(db, actor, id),
    getApprovalView(db, actor, { referralId: id, payload: d.latest.payload, editing: q.edit === "1" }),
    duplicatesOf(db, actor, id),
  ]);
  const now = new Date();
  // The documents pane and the order check, when the request has files.
  const docs = order && order.files.length ? order : null;
  const changed = new Set(d.original ? diffFields(d.original.payload, d.latest.payload).map((c) => c.label) : []);
  return (
    <div className="space-y-4">
      <nav aria-label="Referral navigation" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <Link href="/queue" className="font-medium text-blue-800 underline underline-offset-2">
          ← Back to the queue
        </Link>
        {(
          [
            ["prev", neighbours.previous, "Previous request"],
            ["next", neighbours.next, "Next request"],
          ] as const
        ).map(([rel, other, text]) =>
          other ? (
            <Link
              key={rel}
              href={`/referrals/${other}`}
              className="font-medium text-blue-800 underline underline-offset-2"
              rel={rel}
            >
              {text}
            </Link>
          ) : null,
        )}
        <ReferralKeyboard next={neighbours.next} previous={neighbours.previous} />
      </nav>
      <ReferralHeader d={d} now={now} />
      {/* Before anything is decided on it: this may be a request the app already has. */}
      <PossibleDuplicates id={d.id} duplicates={duplicates} canDecide={hasScope(actor, "referral:decide")} />
      {/* From 1280 px two panes, each scrolling on its own: the documents, and everything else
          (`o` closes the documents; the rest then takes the width). Narrower, the documents fold
          under "Show the order" above the rest. */}
      <div
        className={
          docs
            ? "grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1.15fr)] xl:items-start xl:has-[[data-order-pane=closed]]:grid-cols-[minmax(0,1fr)]"
            : ""
        }
      >
        {docs ? (
          <OrderPane
            referralId={d.id}
            files={docs.files}
            initialFileId={docs.orderFileId ?? docs.files.find((f) => f.pages.length)?.fileId ?? docs.files[0]!.fileId}
            summary={paneSummary(docs)}
          />
        ) : null}
        <div
          className={`@container relative min-w-0 ${docs ? "xl:h-[calc(100dvh-2rem)] xl:overflow-y-auto xl:overscroll-contain xl:pr-1" : ""}`}
          data-form-pane
        >
          {/* One grid: in a narrow pane the DOM order (review, files, form, history); in a wide one the
          form spans the left column while review, files and history stack on the right. */}
          <div className="grid gap-4 @4xl:grid-cols-[minmax(0,1fr)_22rem] @4xl:grid-rows-[auto_auto_auto_1fr]">
            <div className="min-w-0 @4xl:col-start-2 @4xl:row-start-1">
              <WorkPanel d={d} actor={actor} reasons={reasons} />
            </div>
            <div className="min-w-0 space-y-4 @4xl:col-start-2 @4xl:row-start-2">
              <SecondReviewPanel reviews={reviews} actor={actor} />
              <ReferralFiles d={d} actor={actor} />
              {approval?.progress ? (
                <PushPanel referralId={d.id} initial={approval.progress} shownVersion={d.snapshot.version} />
              ) : null}
            </div>
            <div className="min-w-0 space-y-4 @4xl:col-start-1 @4xl:row-span-4 @4xl:row-start-1">
              <DifferentPerson
                d={{
                  id: d.id,
                  differentPerson: d.differentPerson,
                  continues: d.continues,
                  continuedAs: d.continuedAs,
                  snapshot: { status: d.snapshot.status, version: d.snapshot.version },
                }}
                canDecide={hasScope(actor, "referral:decide")}
              />
              <Amendments d={d} />
              {docs ? <OrderChecks view={docs} referralId={d.id} /> : null}
              <FieldGroups
                payload={d.latest.payload}
                changedLabels={changed}
                checks={docs ? checksByField(docs.checks) : undefined}
              />
              {approval ? <ApprovalSection referralId={d.id} panel={approval.panel} /> : null}
              <RevisionsPanel referralId={d.id} history={history} from={q.from} to={q.to} />
              <RawPayload payload={d.latest.payload} seq={d.latest.seq} />
            </div>
            <div className="min-w-0 space-y-4 @4xl:col-start-2 @4xl:row-start-3">
              <Timeline entries={d.timeline} />
              {d.views ? <Timeline entries={d.views} title="Access log (recent)" id="access-log" /> : null}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The documents pane's line under its heading. */
function paneSummary(v: OrderView): string {
  if (v.status === "pending") return "Reading the files…";
  const order = v.files.find((f) => f.fileId === v.orderFileId);
  if (!order) return `No order found among ${v.files.length} file${v.files.length === 1 ? "" : "s"}`;
  const n = v.checks.filter((c) => c.verdict === "mismatch").length;
  const pages = order.pages.length;
  return `${order.name}, ${pages} page${pages === 1 ? "" : "s"} · ${n ? `disagrees with the form on ${n} field${n === 1 ? "" : "s"}` : "agrees with the form"}`;
}
