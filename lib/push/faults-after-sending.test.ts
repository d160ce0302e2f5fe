/**
 * The fault matrix after sending: for each step of an update and of a cancel × {500 then success,
 * 429 with Retry-After, timeout, reset connection, applied but answer lost, worker process killed
 * mid-step}, the push ends sent with exactly one live authorization, exactly one new revision
 * (update) or one cancelled revision (cancel), and each document once. Workers are real child
 * processes, so "killed" is a SIGKILL of a real process.
 *
 * The update exercises every one of its steps: the amended submission changes the client's phone
 * (client PUT), the agency's name (service PUT) and adds a file (attachment), and the approval
 * moves the start date (a new authorization, and the replaced one deleted afterwards).
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { referralRequests } from "../../db/schema";
import { cancelReferral, changeApproval } from "../approval/after-sending";
import { systemActor } from "../access/actors";
import { getDb } from "../db";
import { decodeFiles } from "../intake/files";
import { ingestReferralRequest } from "../intake/ingest";
import { clientExternalId } from "../form/identity";
import {
  approvedAndSent,
  dayFromToday,
  expectRetryAfterHonoured,
  FAULTS,
  pushChildWorkerForFile,
  waitForPush,
  waitForStepRunning,
  stepEndpoints,
} from "../../test/support/push";

const { env, killAndRestartWorker } = pushChildWorkerForFile();
const db = () => getDb();

const UPDATE_PATHS = stepEndpoints("update");
const CANCEL_PATHS = stepEndpoints("cancel");

const version = async (id: string) =>
  (await db().select({ v: referralRequests.version }).from(referralRequests).where(eq(referralRequests.id, id)))[0]!.v;

/** Approved and sent, before any fault is armed. */
const sentReferral = () => approvedAndSent(env.actor);

/** The amendment and the change that make an update call every one of its steps. */
async function requestUpdate(ref: Awaited<ReturnType<typeof sentReferral>>) {
  const amended = structuredClone(ref.payload);
  amended.client = { ...amended.client, phone_main: "555-010-2020" };
  amended.agency = { ...amended.agency, name: `${amended.agency.name} (renamed)` };
  amended.files = [
    ...(amended.files ?? []),
    { file_name: "care_plan.txt", file_value: Buffer.from(`care plan for ${ref.requestId}`).toString("base64") },
  ];
  await ingestReferralRequest(db(), {
    payload: amended,
    files: await decodeFiles(amended.files, 50_000_000),
    actor: systemActor("test"),
  });
  const r = await changeApproval(db(), env.actor, {
    referralId: ref.id,
    version: await version(ref.id),
    approval: { ...ref.approval, startDate: dayFromToday(4) },
    reasons: { reasonCodes: ["dates_changed"] },
  });
  expect(r.status, r.message).toBe("success");
}

async function expectOneNewRevision(ref: Awaited<ReturnType<typeof sentReferral>>, kind: "update" | "cancel") {
  const state = await env.sbx.control.state();
  const service = state.services.filter((s) => s.external_id === ref.requestId);
  expect(service).toHaveLength(1);
  const live = state.authorizations.filter((a) => a.service_ids.includes(service[0]!.id) && !a.deleted);
  expect(live).toHaveLength(1);
  const revisions = state.referrals.filter((r) => r.service_id === service[0]!.id);
  const groups = new Set(revisions.map((r) => r.revision_group_id));
  expect(groups.size).toBe(1);
  if (kind === "update") {
    expect(revisions.map((r) => r.revision_number).sort()).toEqual([1, 2]);
    expect(live[0]).toMatchObject({ start_at: dayFromToday(4) });
    expect(revisions.find((r) => r.revision_number === 2)).toMatchObject({
      is_latest: true,
      authorization_ids: [live[0]!.id],
    });
    const attachments = state.attachments.filter((a) => groups.has(a.revision_group_id));
    expect(attachments.map((a) => a.filename).sort()).toEqual(["care_plan.txt", "physician_order_form.png"]);
    const client = state.clients.filter(
      (c) => c.external_id === clientExternalId(ref.payload.agency.alayamarket_org_id, ref.payload.client.id),
    );
    expect(client).toHaveLength(1);
    expect(client[0]!.demographics.phone_main).toBe("555-010-2020");
    expect((service[0]!.profile as Record<string, unknown>).target_agency).toBe(`${ref.payload.agency.name} (renamed)`);
  } else {
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ status: "cancelled", reason_code: "client_request", cancelled_by: "demand" });
  }
}

const cases = [
  ...Object.entries(UPDATE_PATHS).map(([step, route]) => ({ kind: "update" as const, step, route })),
  ...Object.entries(CANCEL_PATHS).map(([step, route]) => ({ kind: "cancel" as const, step, route })),
];

describe.each(cases)("$kind, step $step", ({ kind, step, route }) => {
  const start = async (ref: Awaited<ReturnType<typeof sentReferral>>) => {
    if (kind === "update") return requestUpdate(ref);
    const r = await cancelReferral(db(), env.actor, {
      referralId: ref.id,
      version: await version(ref.id),
      reasonCode: "client_request",
    });
    expect(r.status, r.message).toBe("success");
  };

  it.each(Object.keys(FAULTS))("%s: ends sent, nothing twice", async (faultName) => {
    const ref = await sentReferral();
    const fault = await env.sbx.control.addFault(FAULTS[faultName]!(route));
    await env.sbx.control.clearCalls();
    await start(ref);
    const push = await waitForPush(ref.id);
    expect(push, push.lastError ?? "").toMatchObject({ kind, status: "sent" });
    const { faults } = await env.sbx.control.listFaults();
    expect(faults.find((f) => f.id === fault.id)?.remaining ?? 0).toBe(0);
    expect(push.steps[step]!.attempts).toBeGreaterThanOrEqual(2);
    await expectOneNewRevision(ref, kind);
    if (faultName === "429 with Retry-After") await expectRetryAfterHonoured(env.sbx, route);
  });

  it("worker process killed mid-step: another worker finishes it, nothing twice", async () => {
    const ref = await sentReferral();
    await env.sbx.control.addFault({ ...route, kind: "delay", delayMs: 1500, times: 1 });
    await start(ref);
    await waitForStepRunning(ref.id, step);
    await new Promise((res) => setTimeout(res, 300));
    killAndRestartWorker();
    const push = await waitForPush(ref.id);
    expect(push, push.lastError ?? "").toMatchObject({ kind, status: "sent" });
    expect(push.steps[step]!.attempts).toBeGreaterThanOrEqual(2);
    await expectOneNewRevision(ref, kind);
  });
});
