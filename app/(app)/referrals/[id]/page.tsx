import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApprovalSection } from "@/components/approval/approval-section";
import { Amendments } from "@/components/referral/amendments";
import { FieldGroups } from "@/components/referral/field-groups";
import { ReferralFiles } from "@/components/referral/files";
import { ReferralHeader } from "@/components/referral/header";
import { RawPayload } from "@/components/referral/raw-payload";
import { Timeline } from "@/components/referral/timeline";
import { WorkPanel } from "@/components/referral/work-panel";
import { SecondReviewPanel } from "@/components/review/second-review-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { getReferralDetail, listActiveReasons } from "@/lib/referrals/detail";
import { diffFields } from "@/lib/referrals/fields";
import { reviewsOfReferral } from "@/lib/review/service";

// No client name in the title: titles end up in browser history and tab lists.
export const metadata: Metadata = { title: "Referral request" };

export default async function ReferralPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("referral:read");
  const { id } = await params;
  const db = getDb();
  const [d, reasons, reviews] = await Promise.all([getReferralDetail(db, actor, id), listActiveReasons(db), reviewsOfReferral(db, id)]);
  if (!d) notFound();
  const now = new Date();
  const changed = new Set(d.original ? diffFields(d.original.payload, d.latest.payload).map((c) => c.label) : []);
  return (
    <div className="space-y-4">
      <Link href="/queue" className="text-sm font-medium text-blue-800 underline underline-offset-2">
        ← Back to the queue
      </Link>
      <ReferralHeader d={d} now={now} />
      {/* One grid: on phones the DOM order (review, files, form, history); on desktops the form
          spans the left column while review, files and history stack on the right. */}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem] lg:grid-rows-[auto_auto_auto_1fr]">
        <div className="min-w-0 lg:col-start-2 lg:row-start-1">
          <WorkPanel d={d} actor={actor} reasons={reasons} />
        </div>
        <div className="min-w-0 space-y-4 lg:col-start-2 lg:row-start-2">
          <SecondReviewPanel reviews={reviews} actor={actor} />
          <ReferralFiles d={d} />
          <ApprovalSection referralId={d.id} actor={actor} payload={d.latest.payload} part="progress" />
        </div>
        <div className="min-w-0 space-y-4 lg:col-start-1 lg:row-span-4 lg:row-start-1">
          <Amendments d={d} />
          <FieldGroups payload={d.latest.payload} changedLabels={changed} />
          <ApprovalSection referralId={d.id} actor={actor} payload={d.latest.payload} part="editor" />
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
