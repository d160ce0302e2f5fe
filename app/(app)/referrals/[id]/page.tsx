import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ApprovalSection } from "@/components/approval/approval-section";
import { RevisionsPanel } from "@/components/approval/revisions-panel";
import { PushProgress } from "@/components/approval/push-progress";
import { getRevisionHistory } from "@/lib/approval/history";
import { getApprovalView } from "@/lib/approval/view";
import { ReferralKeyboard } from "@/components/referral/keyboard";
import { getNeighbours } from "@/lib/referrals/queue";
import { Amendments } from "@/components/referral/amendments";
import { DifferentPerson } from "@/components/referral/different-person";
import { FieldGroups } from "@/components/referral/field-groups";
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
  const [d, reasons, reviews] = await Promise.all([
    getReferralDetail(db, actor, id),
    listActiveReasons(db),
    reviewsOfReferral(db, actor, id),
  ]);
  if (!d) notFound();
  const [history, neighbours, approval] = await Promise.all([
    getRevisionHistory(db, actor, id),
    getNeighbours(db, actor, id),
    getApprovalView(db, actor, { referralId: id, payload: d.latest.payload, editing: q.edit === "1" }),
  ]);
  const now = new Date();
  const changed = new Set(d.original ? diffFields(d.original.payload, d.latest.payload).map((c) => c.label) : []);
  return (
    <div className="space-y-4">
      <nav aria-label="Referral navigation" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <Link href="/queue" className="font-medium text-blue-800 underline underline-offset-2">
          ← Back to the queue
        </Link>
        {neighbours.previous ? (
          <Link
            href={`/referrals/${neighbours.previous}`}
            className="font-medium text-blue-800 underline underline-offset-2"
            rel="prev"
          >
            Previous request
          </Link>
        ) : null}
        {neighbours.next ? (
          <Link
            href={`/referrals/${neighbours.next}`}
            className="font-medium text-blue-800 underline underline-offset-2"
            rel="next"
          >
            Next request
          </Link>
        ) : null}
        <ReferralKeyboard next={neighbours.next} previous={neighbours.previous} />
      </nav>
      <ReferralHeader d={d} now={now} />
      {/* One grid: on phones the DOM order (review, files, form, history); on desktops the form
          spans the left column while review, files and history stack on the right. */}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem] lg:grid-rows-[auto_auto_auto_1fr]">
        <div className="min-w-0 lg:col-start-2 lg:row-start-1">
          <WorkPanel d={d} actor={actor} reasons={reasons} />
        </div>
        <div className="min-w-0 space-y-4 lg:col-start-2 lg:row-start-2">
          <SecondReviewPanel reviews={reviews} actor={actor} />
          <ReferralFiles d={d} actor={actor} />
          {approval?.progress ? <PushProgress referralId={d.id} initial={approval.progress} /> : null}
        </div>
        <div className="min-w-0 space-y-4 lg:col-start-1 lg:row-span-4 lg:row-start-1">
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
          <FieldGroups payload={d.latest.payload} changedLabels={changed} />
          {approval ? <ApprovalSection referralId={d.id} panel={approval.panel} /> : null}
          <RevisionsPanel referralId={d.id} history={history} from={q.from} to={q.to} />
          <RawPayload payload={d.latest.payload} seq={d.latest.seq} />
        </div>
        <div className="min-w-0 space-y-4 lg:col-start-2 lg:row-start-3">
          <Timeline entries={d.timeline} />
          {d.views ? <Timeline entries={d.views} title="Access log (recent)" id="access-log" /> : null}
        </div>
      </div>
    </div>
  );
}
