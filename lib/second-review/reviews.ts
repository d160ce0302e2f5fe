/**
 * Second reviews. At approval a share of approvals (admin setting) is drawn at random for a
 * supervisor, and so is each update or correction that changes the dates or limits; the supervisor agrees or disagrees with a note; a disagreement reaches the
 * reviewer who approved (listed for them, on the request page, and by e-mail).
 *
 * Recording a verdict is not a referral transition: it changes no status and must not bump the
 * referral's version (a reviewer editing the request at the same moment would get a conflict
 * for something that changed nothing of theirs). It is its own guarded change instead: the
 * review row is locked, its state checked (one verdict per review), and the verdict, its audit
 * record and the disagreement's notification commit in ONE transaction.
 */
import { randomInt } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { approvalRevisions, referralRequests, secondReviews, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope, hasScope, ScopeError } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db, TxDb } from "../db";
import { queueNotification } from "../notifications/outbox";
import type { ActionResult } from "../validations/action-result";
import { fieldErrorsOf } from "../validations/decisions";
import { ZSecondReview } from "../validations/supervisors";
import { getSecondReviewPercent } from "./settings";

/** Whether one approval is drawn: each with the given chance, independently (crypto-random). */
export const drawn = (percent: number) => randomInt(0, 10_000) < Math.round(percent * 100);

/**
 * Called in the transaction of an approval, and of an update or a correction that changes the
 * dates or limits (lib/approval/plan.ts `changesDatesOrLimits`): draws it for a second review with
 * the configured chance. Returns the details the approval's audit record
 * carries about the draw ({} when not drawn), so the draw is recorded with the approval itself.
 */
export async function drawSecondReview(
  tx: TxDb,
  input: { referralId: string; revisionId: string; approvedById: string },
): Promise<{ secondReview?: { id: string; percent: number } }> {
  const percent = await getSecondReviewPercent(tx);
  if (!drawn(percent)) return {};
  const [row] = await tx
    .insert(secondReviews)
    .values({
      referralRequestId: input.referralId,
      approvalRevisionId: input.revisionId,
      approvedById: input.approvedById,
      samplePercent: percent,
    })
    .onConflictDoNothing()
    .returning({ id: secondReviews.id });
  return row ? { secondReview: { id: row.id, percent } } : {};
}

export type SecondReviewView = {
  id: string;
  referralId: string;
  requestId: string;
  agencyName: string;
  revision: number;
  approvedBy: string | null;
  approvedById: string | null;
  approvedAt: string | null;
  sampledAt: string;
  verdict: "agree" | "disagree" | null;
  note: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  acknowledgedAt: string | null;
};

function select(db: Db) {
  const approver = alias(users, "approver");
  const reviewer = alias(users, "reviewer");
  return db
    .select({
      id: secondReviews.id,
      referralId: secondReviews.referralRequestId,
      requestId: referralRequests.requestId,
      agencyName: referralRequests.agencyName,
      revision: approvalRevisions.revision,
      approvedBy: approver.name,
      approvedById: secondReviews.approvedById,
      approvedAt: approvalRevisions.approvedAt,
      sampledAt: secondReviews.sampledAt,
      verdict: secondReviews.verdict,
      note: secondReviews.note,
      reviewedBy: reviewer.name,
      reviewedAt: secondReviews.reviewedAt,
      acknowledgedAt: secondReviews.acknowledgedAt,
    })
    .from(secondReviews)
    .innerJoin(referralRequests, eq(referralRequests.id, secondReviews.referralRequestId))
    .innerJoin(approvalRevisions, eq(approvalRevisions.id, secondReviews.approvalRevisionId))
    .leftJoin(approver, eq(approver.id, secondReviews.approvedById))
    .leftJoin(reviewer, eq(reviewer.id, secondReviews.reviewedById));
}

type Selected = Awaited<ReturnType<ReturnType<typeof select>["execute"]>>[number];
const view = (r: Selected): SecondReviewView => ({
  ...r,
  approvedAt: r.approvedAt?.toISOString() ?? null,
  sampledAt: r.sampledAt.toISOString(),
  reviewedAt: r.reviewedAt?.toISOString() ?? null,
  acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
});

/** The second reviews of one referral, newest first (any referral reader sees them). */
export async function reviewsOfReferral(db: Db, actor: Actor, referralId: string): Promise<SecondReviewView[]> {
  assertScope(actor, "referral:read");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(referralId)) return [];
  return (
    await select(db).where(eq(secondReviews.referralRequestId, referralId)).orderBy(desc(secondReviews.sampledAt))
  ).map(view);
}

/** Approvals waiting for a supervisor, oldest first (supervisors review them; auditors may see the list). */
export async function pendingReviews(db: Db, actor: Actor, limit = 100): Promise<SecondReviewView[]> {
  if (!hasScope(actor, "review:second") && !hasScope(actor, "audit:read")) throw new ScopeError("review:second");
  return (await select(db).where(isNull(secondReviews.verdict)).orderBy(secondReviews.sampledAt).limit(limit)).map(
    view,
  );
}

/** Disagreements, newest first; for a reviewer only those with their own approvals. */
export async function disagreements(db: Db, actor: Actor, limit = 100): Promise<SecondReviewView[]> {
  const mine = !hasScope(actor, "review:second") && !hasScope(actor, "audit:read");
  const where = mine
    ? and(eq(secondReviews.verdict, "disagree"), eq(secondReviews.approvedById, actor.id))
    : eq(secondReviews.verdict, "disagree");
  return (await select(db).where(where).orderBy(desc(secondReviews.reviewedAt)).limit(limit)).map(view);
}

export type ReviewVerdictInput = { reviewId: string; verdict: "agree" | "disagree"; note: string };

/** A supervisor's verdict: once per review, with its audit record and (disagreeing) the reviewer's notification. */
export async function recordSecondReview(db: Db, actor: Actor, input: ReviewVerdictInput): Promise<ActionResult> {
  if (!hasScope(actor, "review:second"))
    return { status: "forbidden", message: "Forbidden: this needs the review:second scope." };
  // The form's own schema: a disagreement must say why.
  const parsed = ZSecondReview.safeParse(input);
  if (!parsed.success)
    return {
      status: "invalid_data",
      message: "Check the highlighted fields.",
      fieldErrors: fieldErrorsOf(parsed.error),
    };
  const note = parsed.data.note;
  return db.transaction(async (tx) => {
    const locked = await tx.execute<{
      id: string;
      referral_request_id: string;
      approved_by_id: string | null;
      verdict: string | null;
      reviewed_at: string | null;
      reviewer: string | null;
      revision: number;
    }>(sql`
      select s.id, s.referral_request_id, s.approved_by_id, s.verdict, s.reviewed_at::text, u.name as reviewer, a.revision
      from second_reviews s join approval_revisions a on a.id = s.approval_revision_id left join users u on u.id = s.reviewed_by_id
      where s.id = ${input.reviewId} for update of s`);
    const row = locked.rows[0];
    if (!row) return { status: "failed" as const, message: "This second review does not exist." };
    if (row.verdict)
      return {
        status: "conflict" as const,
        message: `${row.reviewer ?? "Another supervisor"} already recorded “${row.verdict}” for this approval.`,
      };
    if (row.approved_by_id === actor.id)
      return {
        status: "forbidden" as const,
        message: "Forbidden: an approval is not second-reviewed by the person who made it.",
      };
    await tx
      .update(secondReviews)
      .set({ verdict: input.verdict, note: note || null, reviewedById: actor.id, reviewedAt: sql`now()` })
      .where(eq(secondReviews.id, row.id));
    await recordAudit(tx, {
      actor: actor,
      action: input.verdict === "agree" ? "review.agreed" : "review.disagreed",
      entityType: "referral_request",
      entityId: row.referral_request_id,
      details: { reviewId: row.id, revision: row.revision, verdict: input.verdict, ...(note ? { note } : {}) },
    });
    if (input.verdict === "disagree" && row.approved_by_id) {
      await queueNotification(tx, {
        event: "review_disagreed",
        referralId: row.referral_request_id,
        userIds: [row.approved_by_id],
        eventKey: row.id,
      });
    }
    return {
      status: "success" as const,
      message:
        input.verdict === "agree"
          ? "Recorded: you agree with this approval."
          : "Recorded: you disagree. The reviewer who approved it is told.",
    };
  });
}

/** The reviewer who approved reads a disagreement: it leaves their list. */
export async function acknowledgeDisagreement(db: Db, actor: Actor, reviewId: string): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(secondReviews)
      .set({ acknowledgedAt: sql`now()` })
      .where(
        and(
          eq(secondReviews.id, reviewId),
          eq(secondReviews.approvedById, actor.id),
          eq(secondReviews.verdict, "disagree"),
          isNull(secondReviews.acknowledgedAt),
        ),
      )
      .returning({ referralId: secondReviews.referralRequestId });
    if (!row) return { status: "failed" as const, message: "There is no unread disagreement with your approval here." };
    await recordAudit(tx, {
      actor: actor,
      action: "review.acknowledged",
      entityType: "referral_request",
      entityId: row.referralId,
      details: { reviewId },
    });
    return { status: "success" as const, message: "Marked as read." };
  });
}
