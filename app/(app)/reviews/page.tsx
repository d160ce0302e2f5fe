import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { AcknowledgeButton } from "@/components/review/second-review-form";
import { requirePageActor } from "@/lib/auth/guards";
import { hasScope } from "@/lib/access/scopes";
import { getDb } from "@/lib/db";
import { formatDateTime } from "@/lib/format";
import { disagreements, pendingReviews, type SecondReviewView } from "@/lib/second-review/reviews";
import { getSecondReviewPercent } from "@/lib/second-review/settings";
import { ScrollTable, TableHead } from "@/components/ui/table";
import { Panel } from "@/components/ui/panel";

export const metadata: Metadata = { title: "Second reviews" };

const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-700";

function RequestLink({ r, hash }: { r: SecondReviewView; hash?: string }) {
  return (
    <Link
      href={`/referrals/${r.referralId}${hash ?? ""}`}
      className="font-mono font-medium text-blue-800 underline underline-offset-2"
    >
      {r.requestId.slice(0, 8)}
    </Link>
  );
}

export default async function ReviewsPage() {
  const actor = await requirePageActor("referral:read");
  const db = getDb();
  const supervising = hasScope(actor, "review:second") || hasScope(actor, "audit:read");
  const [pending, disagreed, percent] = await Promise.all([
    supervising ? pendingReviews(db, actor) : Promise.resolve([]),
    disagreements(db, actor),
    getSecondReviewPercent(db),
  ]);
  const canReview = hasScope(actor, "review:second");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Second reviews</h1>
        <p className="text-sm text-slate-700">
          {percent}% of approvals are drawn at random when they are approved, for a supervisor to agree or disagree
          with. A disagreement reaches the reviewer who approved.
        </p>
      </div>

      {supervising ? (
        <Panel
          id="pending-title"
          title={
            <>
              Waiting for a second review{" "}
              <span className="text-base font-normal text-slate-700">({pending.length})</span>
            </>
          }
          large
          testId="reviews-pending"
        >
          {pending.length ? (
            <ScrollTable
              label="Approvals waiting for a second review"
              caption="Approvals waiting for a second review, oldest first"
              tableClassName="w-full min-w-[40rem] border-collapse text-sm"
              head={
                <TableHead
                  columns={[
                    "Request",
                    "Agency",
                    "Approved by",
                    "Approved",
                    { label: <span className="sr-only">Action</span> },
                  ]}
                  cellClassName={th}
                  rowClassName="border-b border-slate-300"
                />
              }
            >
              {pending.map((r) => (
                <tr key={r.id} className="border-b border-slate-100" data-review={r.id}>
                  <td className="px-4 py-2">
                    <RequestLink r={r} /> <span className="text-slate-700">rev. {r.revision}</span>
                  </td>
                  <td className="px-4 py-2">{r.agencyName}</td>
                  <td className="px-4 py-2">{r.approvedBy ?? "—"}</td>
                  <td className="whitespace-nowrap px-4 py-2">{r.approvedAt ? formatDateTime(r.approvedAt) : "—"}</td>
                  <td className="px-4 py-2">
                    {canReview ? (
                      <Link
                        href={`/referrals/${r.referralId}#second-review`}
                        className="font-medium text-blue-800 underline underline-offset-2"
                      >
                        Review<span className="sr-only"> request {r.requestId.slice(0, 8)}</span>
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </ScrollTable>
          ) : (
            <p className="px-4 py-4 text-sm text-slate-700">
              Nothing waits: every drawn approval has its second review.
            </p>
          )}
        </Panel>
      ) : null}

      <Panel
        id="disagreed-title"
        title={supervising ? "Disagreements" : "Disagreements with your approvals"}
        large
        testId="reviews-disagreed"
      >
        {disagreed.length ? (
          <ul className="divide-y divide-slate-100">
            {disagreed.map((r) => (
              <li key={r.id} className="space-y-1 px-4 py-3 text-sm" data-review={r.id}>
                <p>
                  <RequestLink r={r} hash="#second-review" /> · {r.agencyName} · revision {r.revision} approved by{" "}
                  {r.approvedBy ?? "a reviewer"}
                </p>
                <p className="font-medium text-amber-950">
                  {r.reviewedBy ?? "A supervisor"} disagreed{r.reviewedAt ? ` on ${formatDateTime(r.reviewedAt)}` : ""}:
                </p>
                <p className="whitespace-pre-wrap text-slate-900">{r.note}</p>
                <p className="text-xs text-slate-700">
                  {r.acknowledgedAt ? (
                    `Read by the reviewer on ${formatDateTime(r.acknowledgedAt)}.`
                  ) : r.approvedById === actor.id ? (
                    <AcknowledgeButton reviewId={r.id} />
                  ) : (
                    "Not read by the reviewer yet."
                  )}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-4 py-4 text-sm text-slate-700">No disagreements.</p>
        )}
      </Panel>
    </div>
  );
}
