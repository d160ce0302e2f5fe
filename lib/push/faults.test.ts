/**
 * The fault matrix: for each of the 5 steps × {500 then success, 429 with Retry-After, timeout,
 * reset connection, applied but answer lost, worker process killed mid-step}, the push ends
 * sent and the sandbox holds exactly one client, service, authorization, referral and set of
 * attachments. Workers are real child processes (`npm run worker`'s script), so "killed" is a
 * SIGKILL of a real process.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import { approveReferral } from "../approval/approve";
import { clientExternalId } from "../form/identity";
import {
  approvalFor,
  expectRetryAfterHonoured,
  FAULTS,
  stepEndpoints,
  newReferral,
  pushChildWorkerForFile,
  waitForPush,
  waitForStepRunning,
} from "../../test/support/push";

const { env, killAndRestartWorker } = pushChildWorkerForFile();

const STEP_PATHS = stepEndpoints("approve");
type Step = keyof typeof STEP_PATHS;

async function expectExactlyOne(ref: Awaited<ReturnType<typeof newReferral>>) {
  const state = await env.sbx.control.state();
  const clients = state.clients.filter(
    (c) => c.external_id === clientExternalId(ref.payload.agency.alayamarket_org_id, ref.payload.client.id),
  );
  expect(clients).toHaveLength(1);
  const services = state.services.filter((s) => s.external_id === ref.requestId);
  expect(services).toHaveLength(1);
  expect(state.authorizations.filter((a) => a.client_id === clients[0]!.id && !a.deleted)).toHaveLength(1);
  const referrals = state.referrals.filter((r) => r.service_id === services[0]!.id);
  expect(referrals).toHaveLength(1);
  expect(state.attachments.filter((a) => a.revision_group_id === referrals[0]!.revision_group_id)).toHaveLength(1);
}

describe.each(Object.keys(STEP_PATHS) as Step[])("step %s", (step) => {
  it.each(Object.keys(FAULTS))("%s: ends sent with exactly one of everything", async (faultName) => {
    const ref = await newReferral();
    const fault = await env.sbx.control.addFault(FAULTS[faultName]!(STEP_PATHS[step]));
    await env.sbx.control.clearCalls();
    const r = await approveReferral(getDb(), env.actor, {
      referralId: ref.id,
      version: ref.version,
      approval: approvalFor(ref),
    });
    expect(r.status).toBe("success");
    const push = await waitForPush(ref.id);
    expect(push.status, push.lastError ?? "").toBe("sent");
    const { faults } = await env.sbx.control.listFaults();
    expect(faults.find((f) => f.id === fault.id)?.remaining ?? 0).toBe(0);
    expect(push.steps[step]!.attempts).toBeGreaterThanOrEqual(2);
    await expectExactlyOne(ref);
    if (faultName === "429 with Retry-After") await expectRetryAfterHonoured(env.sbx, STEP_PATHS[step]);
  });

  it("worker process killed mid-step: another worker finishes it, exactly one of everything", async () => {
    const ref = await newReferral();
    await env.sbx.control.addFault({ ...STEP_PATHS[step], kind: "delay", delayMs: 1500, times: 1 });
    const r = await approveReferral(getDb(), env.actor, {
      referralId: ref.id,
      version: ref.version,
      approval: approvalFor(ref),
    });
    expect(r.status).toBe("success");
    // Once this step is in flight, the worker process dies (SIGKILL).
    await waitForStepRunning(ref.id, step);
    await new Promise((res) => setTimeout(res, 300));
    killAndRestartWorker();
    const push = await waitForPush(ref.id);
    expect(push.status, push.lastError ?? "").toBe("sent");
    expect(push.steps[step]!.attempts).toBeGreaterThanOrEqual(2);
    await expectExactlyOne(ref);
  });
});
