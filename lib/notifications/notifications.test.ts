/**
 * E-mail notifications end to end: each event queues its message in the event's own
 * transaction, a pg-boss job sends it through a real SMTP server process on loopback (or files
 * it in the local outbox when no SMTP is configured), and every event produces exactly one
 * message, however often the transaction, the event or the job comes again.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getDb } from "../db";
import { resetEnvCache } from "../env";
import { finishFailed } from "../push/outcome";
import { createBoss, stopSenderBosses } from "../jobs/queue";
import { approveAs, approvedAndDrawn, newReferral, setupPushEnvironment } from "../../test/support/push";
import { makeActors, makeReferral } from "../../test/support/referrals";
import { assignReferrals, claimReferral } from "../workflow/decisions";
import { recordSecondReview } from "../second-review/reviews";
import { startSmtpSink } from "../../test/support/smtp";
import { setNotificationPreferences } from "./preferences";
import { queueNotification } from "./outbox";
import { deliverNotification } from "./send";
import { queueOverdueNotifications, startNotificationWorker } from "../worker/notifications";

const db = () => getDb();
let env: Awaited<ReturnType<typeof setupPushEnvironment>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let boss: PgBoss;
let actors: Awaited<ReturnType<typeof makeActors>>;

const useSmtp = (url: string | null) => {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetEnvCache();
};

beforeAll(async () => {
  env = await setupPushEnvironment();
  smtp = await startSmtpSink();
  useSmtp(smtp.url);
  boss = await createBoss({ supervise: true });
  await startNotificationWorker(boss, db(), { schedule: false });
  actors = await makeActors();
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true, timeout: 3000 }).catch(() => {});
  await stopSenderBosses();
  await smtp?.stop();
  await env?.sbx.close();
  useSmtp(null);
  await closeDb();
});

beforeEach(() => useSmtp(smtp.url));

const rowsFor = async (referralId: string) =>
  (
    await db().execute<{ event: string; to_address: string; status: string; dedupe_key: string }>(
      sql`select event, to_address, status, dedupe_key from notifications where referral_request_id = ${referralId} order by created_at`,
    )
  ).rows;

/** Messages the SMTP server accepted for one recipient, after giving stragglers (duplicates) time to arrive. */
async function mailTo(address: string, n: number, about = "") {
  const mine = () => smtp.messages.filter((m) => m.to.includes(address) && m.subject.includes(about));
  const deadline = Date.now() + 20_000;
  while (mine().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
  return mine();
}

function expectNoPhi(
  text: string,
  payload: { client: { first_name: string; last_name: string; birthday?: string | null } },
) {
  expect(text).not.toContain(payload.client.first_name);
  expect(text).not.toContain(payload.client.last_name);
  if (payload.client.birthday) expect(text).not.toContain(payload.client.birthday);
}

describe("each event gives exactly one message, over real SMTP", () => {
  it("assigned: the new assignee, once, with a link and the request id and nothing about the client", async () => {
    const r = await makeReferral();
    const reviewer = (await makeActors()).reviewer;
    expect(await assignReferrals(db(), actors.supervisor, { ids: [r.id], assigneeId: reviewer.id })).toMatchObject({
      status: "success",
    });
    // The same assignment again changes nothing and tells nobody.
    await assignReferrals(db(), actors.supervisor, { ids: [r.id], assigneeId: reviewer.id });
    const mails = await mailTo(reviewer.email, 1);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.subject).toBe(
      `[CSI Referral Review] A referral request was assigned to you (request ${r.requestId.slice(0, 8)})`,
    );
    expect(m.text).toContain(`Request id: ${r.requestId}`);
    expect(m.text).toContain(`/referrals/${r.id}`);
    expect(m.messageId).toMatch(/^<[0-9a-f-]{36}@csi-referral-review\.local>$/);
    expectNoPhi(`${m.subject}\n${m.text}`, r.payload);
    expect(await rowsFor(r.id)).toEqual([
      expect.objectContaining({ event: "assigned", to_address: reviewer.email, status: "sent" }),
    ]);
  });

  it("overdue: the holder of a request past its SLA, once per due time, however often the check runs", async () => {
    const r = await makeReferral();
    const reviewer = (await makeActors()).reviewer;
    await claimReferral(db(), reviewer, r.id);
    await db().execute(sql`update referral_requests set sla_due_at = now() - interval '5 minutes' where id = ${r.id}`);
    expect(await queueOverdueNotifications(db())).toBeGreaterThanOrEqual(1);
    await queueOverdueNotifications(db());
    await Promise.all([queueOverdueNotifications(db()), queueOverdueNotifications(db())]).catch(() => {});
    const mails = await mailTo(reviewer.email, 1);
    expect(mails.map((m) => m.subject)).toEqual([
      `[CSI Referral Review] A request you hold is overdue (request ${r.requestId.slice(0, 8)})`,
    ]);
    // A request nobody holds, or one still in time, gives none.
    const free = await makeReferral();
    await db().execute(
      sql`update referral_requests set sla_due_at = now() - interval '5 minutes' where id = ${free.id}`,
    );
    await queueOverdueNotifications(db());
    expect(await rowsFor(free.id)).toEqual([]);
  });

  it("push failed: the reviewer who approved, once, even when the failure is reported twice", async () => {
    const ref = await newReferral();
    const approved = await approveAs(env.actor, ref);
    expect(approved.status).toBe("success");
    const pushId = approved.status === "success" ? approved.data.pushId! : "";
    expect(
      await finishFailed(db(), pushId, ref.id, "ACCloud answered 400", { failure: "http", accloudStatus: 400 }),
    ).toBe(true);
    // The dead-letter handler and the sweeper may both report the same end: the second is refused.
    expect(
      await finishFailed(db(), pushId, ref.id, "ACCloud answered 400", { failure: "http", accloudStatus: 400 }),
    ).toBe(false);
    const mails = await mailTo(env.actor.email, 1, "push to ACCloud failed");
    expect(mails.map((m) => m.subject)).toEqual([
      `[CSI Referral Review] A push to ACCloud failed (request ${ref.requestId.slice(0, 8)})`,
    ]);
    expectNoPhi(mails[0]!.text, ref.payload);
  });

  it("agency cancelled: the agency sync's call inside its transaction tells the holder and the decider once per cancel", async () => {
    const r = await makeReferral();
    const holder = (await makeActors()).reviewer;
    const decider = (await makeActors()).reviewer;
    await claimReferral(db(), holder, r.id);
    await db().execute(sql`update referral_requests set decided_by_id = ${decider.id} where id = ${r.id}`);
    const cancel = () =>
      db().transaction((tx) =>
        queueNotification(tx, { event: "agency_cancelled", referralId: r.id, eventKey: "agency-message-77" }),
      );
    expect(await cancel()).toHaveLength(2);
    expect(await cancel()).toHaveLength(0);
    expect((await mailTo(holder.email, 1)).map((m) => m.subject)).toEqual([
      `[CSI Referral Review] The agency cancelled a request (request ${r.requestId.slice(0, 8)})`,
    ]);
    expect(await mailTo(decider.email, 1)).toHaveLength(1);
  });

  it("review disagreed: the reviewer who approved, once", async () => {
    const { ref, reviewId } = await approvedAndDrawn(env.actor);
    const supervisor = (await makeActors()).supervisor;
    expect(
      await recordSecondReview(db(), supervisor, {
        reviewId,
        verdict: "disagree",
        note: "The period is longer than the order",
      }),
    ).toMatchObject({
      status: "success",
    });
    expect(await recordSecondReview(db(), supervisor, { reviewId, verdict: "disagree", note: "Again" })).toMatchObject({
      status: "conflict",
    });
    const mails = await mailTo(env.actor.email, 1, "second review");
    expect(mails.map((m) => m.subject)).toEqual([
      `[CSI Referral Review] A second review disagreed with your approval (request ${ref.requestId.slice(0, 8)})`,
    ]);
    // The supervisor's note stays in the app: it may quote the file.
    expect(mails[0]!.text).not.toContain("longer than the order");
  });
});

describe("the outbox", () => {
  it("a transaction that rolls back leaves neither a message nor a job", async () => {
    const r = await makeReferral();
    const who = (await makeActors()).reviewer;
    await db()
      .transaction(async (tx) => {
        await queueNotification(tx, {
          event: "assigned",
          referralId: r.id,
          userIds: [who.id],
          eventKey: "rolled-back",
        });
        throw new Error("the event failed");
      })
      .catch(() => {});
    expect(await rowsFor(r.id)).toEqual([]);
    const jobs = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.raw(`"${process.env.JOB_QUEUE_SCHEMA}".job`)} where name = 'notification-send' and data->>'notificationId' not in (select id::text from notifications)`,
    );
    expect(jobs.rows[0]!.n).toBe(0);
  });

  it("a switched-off event sends nothing to that person; the others still get theirs", async () => {
    const r = await makeReferral();
    const quiet = (await makeActors()).reviewer;
    const loud = (await makeActors()).reviewer;
    await setNotificationPreferences(db(), quiet, { assigned: false });
    await db().transaction((tx) =>
      queueNotification(tx, { event: "assigned", referralId: r.id, userIds: [quiet.id, loud.id], eventKey: "prefs" }),
    );
    expect((await rowsFor(r.id)).map((x) => x.to_address)).toEqual([loud.email]);
    expect(await mailTo(quiet.email, 0)).toHaveLength(0);
  });

  it("two jobs for one message send it once (the row is locked while it is sent)", async () => {
    const r = await makeReferral();
    const who = (await makeActors()).reviewer;
    useSmtp(null); // file it first without sending, then send it twice at once
    const [id] = await db().transaction(async (tx) => {
      // Written directly so the worker's own job does not race this test.
      const x = await tx.execute<{
        id: string;
      }>(sql`insert into notifications (dedupe_key, event, user_id, referral_request_id, to_address, subject, body)
        values (${`test:${randomUUID()}`}, 'assigned', ${who.id}, ${r.id}, ${who.email}, 'Twice?', 'Once.') returning id::text`);
      return x.rows.map((y) => y.id);
    });
    useSmtp(smtp.url);
    const outcomes = await Promise.all([
      deliverNotification(db(), id!),
      deliverNotification(db(), id!),
      deliverNotification(db(), id!),
    ]);
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "skipped")).toHaveLength(2);
    expect(await mailTo(who.email, 1)).toHaveLength(1);
  });

  it("a refused delivery is retried, and ends failed with the server's reason after the last try", async () => {
    const r = await makeReferral();
    const id = (
      await db().execute<{
        id: string;
      }>(sql`insert into notifications (dedupe_key, event, user_id, referral_request_id, to_address, subject, body)
      values (${`test:${randomUUID()}`}, 'assigned', ${actors.reviewer.id}, ${r.id}, 'tempfail@test.example', 'Busy relay', 'x') returning id::text`)
    ).rows[0]!.id;
    await expect(deliverNotification(db(), id)).rejects.toThrow(/SMTP refused/);
    let row = (
      await db().execute<{ status: string; attempts: number; last_error: string }>(
        sql`select status, attempts, last_error from notifications where id = ${id}`,
      )
    ).rows[0]!;
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    expect(row.last_error).toMatch(/451/);
    expect(await deliverNotification(db(), id, { lastTry: true })).toBe("failed");
    row = (
      await db().execute<{ status: string; attempts: number; last_error: string }>(
        sql`select status, attempts, last_error from notifications where id = ${id}`,
      )
    ).rows[0]!;
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("without SMTP the message lands in the local outbox, once", async () => {
    useSmtp(null);
    const r = await makeReferral();
    const reviewer = (await makeActors()).reviewer;
    const before = smtp.messages.length;
    await assignReferrals(db(), actors.supervisor, { ids: [r.id], assigneeId: reviewer.id });
    const deadline = Date.now() + 20_000;
    while ((await rowsFor(r.id))[0]?.status !== "outbox" && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 100));
    await new Promise((res) => setTimeout(res, 1000));
    expect(await rowsFor(r.id)).toEqual([
      expect.objectContaining({ event: "assigned", status: "outbox", to_address: reviewer.email }),
    ]);
    expect(smtp.messages.length).toBe(before);
    const { listOutbox } = await import("./preferences");
    const page = await listOutbox(db(), actors.admin, {});
    expect(page.rows.find((x) => x.referralId === r.id)).toMatchObject({
      status: "outbox",
      to: reviewer.email,
      event: "assigned",
    });
  });
});
