import { hasScope } from "@/lib/access/scopes";
import { type Actor } from "@/lib/access/actors";
import { formatDateTime } from "@/lib/format";
import type { SecondReviewView } from "@/lib/second-review/reviews";
import { AcknowledgeButton, SecondReviewForm } from "./second-review-form";

/** On the request page: its approvals drawn for a second review, the verdicts, and the supervisor's form. */
export function SecondReviewPanel({ reviews, actor }: { reviews: SecondReviewView[]; actor: Actor }) {
  if (!reviews.length) return null;
  const canReview = hasScope(actor, "review:second");
  return (
    <section
      id="second-review"
      aria-labelledby="second-review-title"
      className="rounded-lg border border-violet-200 bg-white shadow-sm"
      data-testid="second-review"
    >
      <h2
        id="second-review-title"
        className="border-b border-violet-200 bg-violet-50 px-4 py-2.5 text-base font-semibold text-violet-950"
      >
        Second review
      </h2>
      <ul className="divide-y divide-slate-100">
        {reviews.map((r) => (
          <li key={r.id} className="space-y-2 px-4 py-3 text-sm">
            <p className="text-slate-800">
              Revision {r.revision}, approved by {r.approvedBy ?? "a reviewer"}
              {r.approvedAt ? ` on ${formatDateTime(r.approvedAt)}` : ""}, was drawn for a second review.
            </p>
            {r.verdict ? (
              <div
                className={`rounded-md px-3 py-2 ${r.verdict === "agree" ? "bg-green-50 text-green-950" : "bg-amber-50 text-amber-950"}`}
                data-testid="second-review-verdict"
              >
                <p className="font-semibold">
                  {r.reviewedBy ?? "A supervisor"} {r.verdict === "agree" ? "agreed" : "disagreed"}
                  {r.reviewedAt ? ` on ${formatDateTime(r.reviewedAt)}` : ""}.
                </p>
                {r.note ? <p className="mt-1 whitespace-pre-wrap">{r.note}</p> : null}
                {r.verdict === "disagree" && r.approvedById === actor.id ? (
                  <div className="mt-2">
                    {r.acknowledgedAt ? (
                      <span className="text-xs">You read this on {formatDateTime(r.acknowledgedAt)}.</span>
                    ) : (
                      <AcknowledgeButton reviewId={r.id} />
                    )}
                  </div>
                ) : null}
              </div>
            ) : canReview && r.approvedById !== actor.id ? (
              <SecondReviewForm reviewId={r.id} referralId={r.referralId} />
            ) : (
              <p className="text-slate-700">Waiting for a supervisor.</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
