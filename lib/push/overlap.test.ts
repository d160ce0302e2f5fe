/**
 * The agency sync and a running update push overlap: the sync reads the agency's cancel and makes
 * the referral cancelled while the push is between two ACCloud calls. The push must make no
 * further ACCloud call, and nothing (its outcome, its row, the audit trail) may say "sent".
 * Against the real sandbox and database; the sync runs for real at a chosen point of the push
 * (after one of its calls), as the worker's schedule could run it.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pushes } from "../../db/schema";
import type { AccloudClient } from "../accloud/client";
import { changeApproval } from "../approval/after-sending";
import type { TApprovalInput } from "../approval/schema";
import { getDb } from "../db";
import {
  approvalFor,
  approvedAndPushedHere,
  dayFromToday,
  type NewReferral,
  pushEnvironmentForFile,
  referralRow,
} from "../../test/support/push";
import { runPush } from "./run";
import { syncReferral } from "../worker/agency-sync";

const db = () => getDb();
const env = pushEnvironmentForFile();

const pushOf = async (id: string) => (await db().select().from(pushes).where(eq(pushes.id, id)))[0]!;
const auditOf = async (id: string) =>
  (
    await db().execute<{ action: string; details: Record<string, unknown> }>(
      sql`select action, details from audit_events where entity_id = ${id} order by id`,
    )
  ).rows;

/** Approved and sent (revision 1 in ACCloud) by the real push, run here (this file has no worker). */
const sent = (approval?: (ref: NewReferral) => TApprovalInput) => approvedAndPushedHere(env, approval);

/** Sends an update; answers the update push's id (not run yet). */
async function requestUpdate(ref: NewReferral, approval: TApprovalInput, reasonCodes: string[]): Promise<string> {
  const r = await changeApproval(db(), env.actor, {
    referralId: ref.id,
    version: (await referralRow(ref.id)).version,
    approval,
    reasons: { reasonCodes },
  });
  expect(r.status, r.message).toBe("success");
  return (r as { data: { pushId: string } }).data.pushId;
}

async function revisionNumbers(ref: NewReferral): Promise<number[]> {
  const state = await env.sbx.control.state();
  const service = state.services.find((s) => s.external_id === ref.requestId)!;
  return state.referrals.filter((r) => r.service_id === service.id).map((r) => r.revision_number);
}

/** The agency cancels the referral's latest revision in ACCloud, and the sync reads it back (now, mid-push). */
async function agencyCancelsAndSyncRuns(ref: NewReferral) {
  const state = await env.sbx.control.state();
  const service = state.services.find((s) => s.external_id === ref.requestId)!;
  const latest = state.referrals.filter((r) => r.service_id === service.id && r.is_latest)[0]!;
  await env.sbx.control.agencyCancel(latest.id, { reason_code: "client_request" });
  const outcome = await syncReferral(db(), env.sbx.client, ref.id);
  expect(outcome.change).toBe("cancelled");
}

/**
 * The sandbox client, as the push uses it, with the sync run right after the first `trigger`
 * call returns; every call that reaches ACCloud is listed.
 */
function clientWithSyncAfter(
  trigger: keyof AccloudClient,
  ref: NewReferral,
): { client: AccloudClient; calls: string[]; callsAfterSync: () => string[] } {
  const calls: string[] = [];
  let syncedAt = -1;
  const client = new Proxy(env.sbx.client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        calls.push(String(prop));
        const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (prop === trigger && syncedAt < 0) {
          await agencyCancelsAndSyncRuns(ref);
          syncedAt = calls.length;
        }
        return out;
      };
    },
  });
  return { client, calls, callsAfterSync: () => (syncedAt < 0 ? ["(the sync never ran)"] : calls.slice(syncedAt)) };
}

/** No "sent" for this push: not its row, not a push.sent record of it. */
function expectNothingSaysSent(
  audit: Array<{ action: string; details: Record<string, unknown> }>,
  push: { id: string; status: string },
) {
  expect(audit.filter((a) => a.action === "push.sent" && a.details.pushId === push.id)).toEqual([]);
  expect(push.status).toBe("failed");
}

describe("the agency sync cancels the referral while an update push runs", () => {
  it("between two steps: the push stops before its next ACCloud call, and says so", async () => {
    const { ref, approval } = await sent();
    const pushId = await requestUpdate(ref, { ...approval, endDate: dayFromToday(90) }, ["authorization_extended"]);
    // The authorizations step PUTs the end date; the sync runs right after, before the referral step.
    const watched = clientWithSyncAfter("updateAuthorization", ref);
    const outcome = await runPush(db(), watched.client, pushId);

    expect(outcome).toMatchObject({
      status: "stopped",
      reason: expect.stringContaining("Stopped before the referral step"),
    });
    expect(watched.callsAfterSync()).toEqual([]);
    // ACCloud has no revision 2: the update of the referral was never asked for.
    expect(await revisionNumbers(ref)).toEqual([1]);

    const push = await pushOf(pushId);
    expectNothingSaysSent(await auditOf(ref.id), push);
    expect(push.lastError).toContain("cancelled in ACCloud");
    expect(push.lastError).toContain("Stopped before the referral step");
    expect(push.steps.authorizations?.status).toBe("done");
    expect(push.steps.referral?.status).toBe("waiting");
    expect((await referralRow(ref.id)).status).toBe("cancelled");
    const stopped = (await auditOf(ref.id)).filter((a) => a.action === "push.stopped");
    expect(stopped).toEqual([
      {
        action: "push.stopped",
        details: {
          pushId,
          kind: "update",
          step: "referral",
          inStep: false,
          referralStatus: "cancelled",
          pushStatus: "failed",
        },
      },
    ]);
    // The reviewer who sent it is told it did not go through (the agency's cancel is its own e-mail).
    const told = await db().execute<{ event: string }>(
      sql`select event from notifications where referral_request_id = ${ref.id} and dedupe_key like ${`%${pushId}:stopped%`}`,
    );
    expect(told.rows.map((r) => r.event)).toContain("push_failed");
  });

  it("inside a step: the write before its next call finds the change, and the call is not made", async () => {
    const second = {
      ruleType: "HOURS" as const,
      ruleMode: "weekdays" as const,
      weekdays: { tuesday: 2 },
      ruleWeekly: 2,
      firstDayOfWeek: 6,
    };
    const { ref, approval } = await sent((r) =>
      approvalFor(r, { authorizations: [...approvalFor(r).authorizations, second] }),
    );
    // New limits on both: each is created again, one call each, in the same step.
    const moved = approval.authorizations.map((a, i) => ({
      ...a,
      ruleWeekly: 3 + i,
      weekdays: i === 0 ? { monday: 2, thursday: 1 } : { tuesday: 3 },
    }));
    const pushId = await requestUpdate(ref, { ...approval, authorizations: moved }, ["frequency_changed"]);
    const watched = clientWithSyncAfter("createAuthorization", ref);
    const outcome = await runPush(db(), watched.client, pushId);

    expect(outcome).toMatchObject({
      status: "stopped",
      reason: expect.stringContaining("Stopped during the authorizations step"),
    });
    expect(watched.calls.filter((c) => c === "createAuthorization")).toHaveLength(1);
    expect(watched.callsAfterSync()).toEqual([]);
    const push = await pushOf(pushId);
    expectNothingSaysSent(await auditOf(ref.id), push);
    expect(push.steps.authorizations?.status).toBe("failed");
    // The authorization ACCloud did create is linked, so a later look finds it.
    const links = await db().execute(
      sql`select 1 from accloud_links where referral_request_id = ${ref.id} and kind = 'authorization' and push_id = ${pushId}`,
    );
    expect(links.rows).toHaveLength(1);
  });

  it("after the last call: push_sent is refused by the transition table, and the push is not reported or recorded as sent", async () => {
    const { ref, approval } = await sent();
    // New limits: create the new authorization, update the referral, then delete the old one (the last call).
    const moved = [{ ...approval.authorizations[0]!, ruleWeekly: 3, weekdays: { monday: 2, thursday: 1 } }];
    const pushId = await requestUpdate(ref, { ...approval, authorizations: moved }, ["frequency_changed"]);
    const watched = clientWithSyncAfter("deleteAuthorization", ref);
    const outcome = await runPush(db(), watched.client, pushId);

    expect(outcome.status).not.toBe("sent");
    expect(outcome).toMatchObject({ status: "stopped", reason: expect.stringContaining("not counted as sent") });
    expect(watched.callsAfterSync()).toEqual([]);
    const push = await pushOf(pushId);
    expectNothingSaysSent(await auditOf(ref.id), push);
    expect(push.lastError).toContain("not counted as sent");
    expect((await referralRow(ref.id)).status).toBe("cancelled");
    expect((await auditOf(ref.id)).filter((a) => a.action === "push.stopped").map((a) => a.details)).toEqual([
      { pushId, kind: "update", step: null, inStep: false, referralStatus: "cancelled", pushStatus: "failed" },
    ]);
    // The revision this update made stays recorded as ACCloud's (cancelled) latest, not as sent.
    const sentPushes = await db()
      .select()
      .from(pushes)
      .where(and(eq(pushes.referralRequestId, ref.id), eq(pushes.status, "sent")));
    expect(sentPushes.map((p) => p.kind)).toEqual(["approve"]);
  });
});
