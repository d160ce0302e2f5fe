/**
 * Second reviews: the random draw at approval (its rate over 1,000 real approvals), and the
 * supervisor's verdict as a guarded change: once per review, audited in the same transaction,
 * refused to roles without review:second.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { changeApproval } from "../approval/after-sending";
import { retryPush } from "../approval/approve";
import type { TApprovalInput } from "../approval/schema";
import { runPush } from "../push/run";
import type { Role } from "../access/scopes";
import type { Actor } from "../access/actors";
import { getDb } from "../db";
import {
  approvalFor,
  approveAs,
  approvedAndDrawn,
  approvedAndPushedHere,
  dayFromToday,
  newReferral,
  type NewReferral,
  pushEnvironmentForFile,
  refuseNext,
  stepEndpoints,
} from "../../test/support/push";
import { makeActors } from "../../test/support/referrals";
import {
  acknowledgeDisagreement,
  disagreements,
  pendingReviews,
  recordSecondReview,
  reviewsOfReferral,
} from "./reviews";
import { DEFAULT_SECOND_REVIEW_PERCENT, getSecondReviewPercent, setSecondReviewPercent } from "./settings";

const db = () => getDb();
const env = pushEnvironmentForFile();
let actors: Record<Role, Actor>;

beforeAll(async () => {
  actors = await makeActors();
});

async function approved(): Promise<{ referralId: string; reviewId: string }> {
  const { ref, reviewId } = await approvedAndDrawn(env.actor);
  return { referralId: ref.id, reviewId };
}

describe("the draw at approval", () => {
  it("draws about the configured share of 1,000 real approvals, and each approval's record says whether it was drawn", async () => {
    expect(await getSecondReviewPercent(db())).toBe(DEFAULT_SECOND_REVIEW_PERCENT);
    const ids: string[] = [];
    const queue = Array.from({ length: 1000 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (queue.pop() !== undefined) {
          const ref = await newReferral();
          expect((await approveAs(env.actor, ref)).status).toBe("success");
          ids.push(ref.id);
        }
      }),
    );
    const drawn = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from second_reviews where referral_request_id = any(${sql.param(ids)}::uuid[])`,
    );
    const n = drawn.rows[0]!.n;
    // Binomial(1000, 0.10): mean 100, sd 9.5; outside 55–145 (4.7 sd) about once in a million runs.
    console.log(`${n} of 1000 approvals drawn for a second review`);
    expect(n).toBeGreaterThanOrEqual(55);
    expect(n).toBeLessThanOrEqual(145);
    const flagged = await db().execute<{ n: number; agree: number }>(sql`
      select count(*)::int as n, count(*) filter (where s.id is not null and (a.details -> 'secondReview' ->> 'id')::uuid = s.id)::int as agree
      from audit_events a left join second_reviews s on s.referral_request_id = a.entity_id::uuid
      where a.action = 'referral.approved' and a.entity_id = any(${sql.param(ids)}::text[]) and a.details ? 'secondReview'`);
    expect(flagged.rows[0]).toEqual({ n, agree: n });
  }, 300_000);

  it("the share is an admin setting, audited, 0 to 100", async () => {
    expect(await setSecondReviewPercent(db(), actors.admin, DEFAULT_SECOND_REVIEW_PERCENT)).toMatchObject({
      status: "success",
    });
    const rec = await db().execute<{ details: unknown }>(
      sql`select details from audit_events where action = 'settings.second_review_percent' and actor_id = ${actors.admin.id} order by id desc limit 1`,
    );
    expect(rec.rows[0]!.details).toEqual({ percent: 10, previous: 10 });
    await expect(setSecondReviewPercent(db(), actors.admin, 101)).rejects.toThrow(/0 to 100/);
    await expect(setSecondReviewPercent(db(), actors.supervisor, 10)).rejects.toThrow(/admin:settings/);
  });
});

describe("the supervisor's verdict", () => {
  it("agree: recorded once with its audit record; the approval leaves the waiting list", async () => {
    const { referralId, reviewId } = await approved();
    expect((await pendingReviews(db(), actors.supervisor, 1000)).some((r) => r.id === reviewId)).toBe(true);
    expect((await pendingReviews(db(), actors.admin, 1000)).some((r) => r.id === reviewId)).toBe(true);
    await expect(pendingReviews(db(), actors.reviewer)).rejects.toThrow(/review:second/);
    expect(await recordSecondReview(db(), actors.supervisor, { reviewId, verdict: "agree", note: "" })).toMatchObject({
      status: "success",
    });
    const [view] = await reviewsOfReferral(db(), actors.reviewer, referralId);
    expect(view).toMatchObject({ verdict: "agree", reviewedBy: actors.supervisor.name, note: null });
    expect((await pendingReviews(db(), actors.supervisor, 1000)).some((r) => r.id === reviewId)).toBe(false);
    const audit = await db().execute<{ action: string; details: Record<string, unknown> }>(
      sql`select action, details from audit_events where entity_id = ${referralId} and action like 'review.%'`,
    );
    expect(audit.rows).toEqual([{ action: "review.agreed", details: { reviewId, revision: 1, verdict: "agree" } }]);
  });

  it("disagree needs a note, reaches the reviewer's list, and is read once", async () => {
    const { reviewId } = await approved();
    expect(
      await recordSecondReview(db(), actors.supervisor, { reviewId, verdict: "disagree", note: " " }),
    ).toMatchObject({
      status: "invalid_data",
      fieldErrors: { note: [expect.any(String)] },
    });
    expect(
      await recordSecondReview(db(), actors.supervisor, {
        reviewId,
        verdict: "disagree",
        note: "Visits exceed the order",
      }),
    ).toMatchObject({
      status: "success",
    });
    const mine = await disagreements(db(), env.actor);
    expect(mine.find((d) => d.id === reviewId)).toMatchObject({
      verdict: "disagree",
      note: "Visits exceed the order",
      acknowledgedAt: null,
    });
    // Another reviewer does not see it.
    expect((await disagreements(db(), actors.reviewer)).some((d) => d.id === reviewId)).toBe(false);
    expect(await acknowledgeDisagreement(db(), actors.reviewer, reviewId)).toMatchObject({ status: "failed" });
    expect(await acknowledgeDisagreement(db(), env.actor, reviewId)).toMatchObject({ status: "success" });
    expect(await acknowledgeDisagreement(db(), env.actor, reviewId)).toMatchObject({ status: "failed" });
  });

  it("two supervisors at once: one verdict, the other told who recorded it", async () => {
    const { reviewId, referralId } = await approved();
    const other = (await makeActors()).supervisor;
    const results = await Promise.all([
      recordSecondReview(db(), actors.supervisor, { reviewId, verdict: "agree", note: "" }),
      recordSecondReview(db(), other, { reviewId, verdict: "disagree", note: "Not covered" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["conflict", "success"]);
    expect(results.find((r) => r.status === "conflict")!.message).toMatch(/already recorded/);
    const audit = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events where entity_id = ${referralId} and action in ('review.agreed', 'review.disagreed')`,
    );
    expect(audit.rows[0]!.n).toBe(1);
  });

  it("reviewers and admins may not record a verdict", async () => {
    const { reviewId } = await approved();
    for (const role of ["reviewer", "admin"] as const) {
      expect(await recordSecondReview(db(), actors[role], { reviewId, verdict: "agree", note: "" })).toEqual({
        status: "forbidden",
        message: "Forbidden: this needs the review:second scope.",
      });
    }
  });
});

describe("the draw at an update or a correction", () => {
  const version = async (id: string) =>
    (await db().execute<{ version: number }>(sql`select version from referral_requests where id = ${id}`)).rows[0]!
      .version;
  /** The reviews drawn for the referral, by revision number. */
  const drawnRevisions = async (id: string) =>
    (
      await db().execute<{ revision: number; percent: number }>(sql`
        select r.revision, s.sample_percent as percent from second_reviews s join approval_revisions r on r.id = s.approval_revision_id
        where s.referral_request_id = ${id} order by r.revision`)
    ).rows;
  const lastAudit = async (id: string, action: string) =>
    (
      await db().execute<{ details: Record<string, unknown> }>(
        sql`select details from audit_events where entity_id = ${id} and action = ${action} order by id desc limit 1`,
      )
    ).rows[0]!.details;

  /** Approved and run by the real push against the sandbox (this file has no worker). */
  const sentReferral = () => approvedAndPushedHere(env);

  async function update(ref: NewReferral, approval: TApprovalInput) {
    const r = await changeApproval(db(), env.actor, {
      referralId: ref.id,
      version: await version(ref.id),
      approval,
      reasons: { reasonCodes: ["authorization_extended"] },
    });
    expect(r.status, r.message).toBe("success");
  }

  /** An approval whose push failed at the authorizations step (ACCloud answered 400), so a retry may correct the limits. */
  async function failedAtAuthorizations(): Promise<{ ref: NewReferral; approval: TApprovalInput }> {
    const ref = await newReferral();
    const approval = approvalFor(ref);
    const r = await approveAs(env.actor, ref, approval);
    expect(r.status, r.message).toBe("success");
    await refuseNext(env.sbx, stepEndpoints("approve").authorizations, "Refused");
    expect(await runPush(db(), env.sbx.client, (r as { data: { pushId: string } }).data.pushId)).toMatchObject({
      status: "failed",
    });
    return { ref, approval };
  }

  async function correct(ref: NewReferral, approval: TApprovalInput) {
    const r = await retryPush(db(), env.actor, { referralId: ref.id, version: await version(ref.id), approval });
    expect(r.status, r.message).toBe("success");
  }

  const withShare = async (percent: number, run: () => Promise<void>) => {
    await setSecondReviewPercent(db(), actors.admin, percent);
    try {
      await run();
    } finally {
      await setSecondReviewPercent(db(), actors.admin, DEFAULT_SECOND_REVIEW_PERCENT);
    }
  };

  it("share 100%: an update that moves the dates is drawn, and its record says so; one that only changes the notes is not", async () => {
    await withShare(100, async () => {
      const { ref, approval } = await sentReferral();
      expect(await drawnRevisions(ref.id)).toEqual([{ revision: 1, percent: 100 }]);
      await update(ref, { ...approval, endDate: dayFromToday(90) });
      expect(await drawnRevisions(ref.id)).toEqual([
        { revision: 1, percent: 100 },
        { revision: 2, percent: 100 },
      ]);
      const details = await lastAudit(ref.id, "referral.update_requested");
      expect(details.secondReview).toEqual({ id: expect.any(String), percent: 100 });
      const [row] = (
        await db().execute<{ id: string }>(
          sql`select s.id from second_reviews s join approval_revisions r on r.id = s.approval_revision_id where r.referral_request_id = ${ref.id} and r.revision = 2`,
        )
      ).rows;
      expect((details.secondReview as { id: string }).id).toBe(row!.id);

      const other = await sentReferral();
      await update(other.ref, {
        ...other.approval,
        authorizations: [{ ...other.approval.authorizations[0]!, notes: "Ring the bell twice" }],
      });
      expect(await drawnRevisions(other.ref.id)).toEqual([{ revision: 1, percent: 100 }]);
      expect((await lastAudit(other.ref.id, "referral.update_requested")).secondReview).toBeUndefined();
    });
  });

  it("share 100%: a correction that changes a limit is drawn (its retry record says so); share 0%: neither is", async () => {
    await withShare(100, async () => {
      const { ref, approval } = await failedAtAuthorizations();
      await correct(ref, {
        ...approval,
        authorizations: [{ ...approval.authorizations[0]!, ruleWeekly: 3, weekdays: { monday: 2, thursday: 1 } }],
      });
      expect(await drawnRevisions(ref.id)).toEqual([
        { revision: 1, percent: 100 },
        { revision: 2, percent: 100 },
      ]);
      expect((await lastAudit(ref.id, "push.retried")).secondReview).toEqual({ id: expect.any(String), percent: 100 });
    });
    await withShare(0, async () => {
      const { ref, approval } = await failedAtAuthorizations();
      await correct(ref, {
        ...approval,
        authorizations: [{ ...approval.authorizations[0]!, ruleWeekly: 3, weekdays: { monday: 2, thursday: 1 } }],
      });
      const sent = await sentReferral();
      await update(sent.ref, { ...sent.approval, endDate: dayFromToday(90) });
      expect(await drawnRevisions(ref.id)).toEqual([]);
      expect(await drawnRevisions(sent.ref.id)).toEqual([]);
      expect((await lastAudit(ref.id, "push.retried")).secondReview).toBeUndefined();
    });
  });
});
