/**
 * What an approval pins and what a retry may change: the push sends the approved submission,
 * never a later amendment; a retry keeps the requesting agency; what a finished step already
 * sent cannot change in a retry (push.test.ts shows a correction reaching ACCloud).
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pushes } from "../../db/schema";
import { MIAMI_VALLEY_SUPPLIER_ID } from "../accloud/sandbox/seed";
import { retryPush } from "../approval/approve";
import { systemActor } from "../access/actors";
import { getDb } from "../db";
import { decodeFiles } from "../intake/files";
import { ingestReferralRequest } from "../intake/ingest";
import { clientExternalId } from "../form/identity";
import {
  approvalFor,
  approvalRevisionsOf,
  approveAs,
  newReferral,
  pushWorkerPerTest,
  referralRow,
  refuseNext,
  stepEndpoints,
  waitForPush,
} from "../../test/support/push";

const { env, runWorker, stopWorker } = pushWorkerPerTest();
const db = () => getDb();
const APPROVE = stepEndpoints("approve");

describe("what an approval pins", () => {
  it("sends the approved submission's data and files, not an amendment that arrived before the push ran", async () => {
    const ref = await newReferral();
    expect((await approveAs(env.actor, ref)).status).toBe("success");

    // The agency amends before any worker took the push: new phone, another file.
    const amended = structuredClone(ref.payload);
    amended.client = { ...amended.client, phone_main: "555-999-0000" };
    amended.files = (amended.files ?? []).map((f) => ({ ...f, file_name: "amended_order.png" }));
    const files = await decodeFiles(amended.files, 50 * 1024 * 1024);
    const r = await ingestReferralRequest(db(), { payload: amended, files, actor: systemActor("test") });
    expect(r).toMatchObject({ outcome: "amended", submission: 2 });

    await runWorker();
    const push = await waitForPush(ref.id);
    expect(push.status, push.lastError ?? "").toBe("sent");
    const state = await env.sbx.control.state();
    const client = state.clients.find(
      (c) => c.external_id === clientExternalId(ref.payload.agency.alayamarket_org_id, ref.payload.client.id),
    )!;
    expect((client.demographics as Record<string, unknown>).phone_main).toBe(ref.payload.client.phone_main);
    const referral = state.referrals.find(
      (x) => x.service_id === state.services.find((s) => s.external_id === ref.requestId)!.id,
    )!;
    expect(
      state.attachments.filter((a) => a.revision_group_id === referral.revision_group_id).map((a) => a.filename),
    ).toEqual(["physician_order_form.png"]);

    const row = await referralRow(ref.id);
    expect(row.status).toBe("sent");
    expect(row.amendedAfterDecisionAt).not.toBeNull();
    const [rev] = await approvalRevisionsOf(ref.id);
    const [first] = await db()
      .execute<{ id: string }>(
        sql`select id from referral_submissions where referral_request_id = ${ref.id} and seq = 1`,
      )
      .then((x) => x.rows);
    expect(rev!.submissionId).toBe(first!.id);
    expect(await db().select().from(pushes).where(eq(pushes.referralRequestId, ref.id))).toHaveLength(1);
  });
});

describe("retries", () => {
  it("a retry sends to the requesting agency only, with or without a correction; nothing changes when refused", async () => {
    await runWorker();
    const ref = await newReferral();
    await refuseNext(env.sbx, APPROVE.authorizations, "Payor 9 is not set up for this service code.");
    expect((await approveAs(env.actor, ref)).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("failed");
    await stopWorker();
    const version = (await referralRow(ref.id)).version;
    // Miami Valley is in CSI's trusted network, but it did not ask for this referral.
    const elsewhere = await retryPush(db(), env.actor, {
      referralId: ref.id,
      version,
      approval: approvalFor(ref, { supplyPersonaId: MIAMI_VALLEY_SUPPLIER_ID }),
    });
    expect(elsewhere).toMatchObject({
      status: "invalid_data",
      fieldErrors: { supplyPersonaId: [expect.stringContaining("requesting agency")] },
    });
    expect(await referralRow(ref.id)).toMatchObject({ status: "push_failed", version });
    expect(await approvalRevisionsOf(ref.id)).toHaveLength(1);

    // The approved revision itself is checked too (an approval stored before this rule existed).
    await db().execute(
      sql`update approval_revisions set data = jsonb_set(data, '{supplyPersonaId}', ${JSON.stringify(MIAMI_VALLEY_SUPPLIER_ID)}::jsonb) where referral_request_id = ${ref.id}`,
    );
    const plain = await retryPush(db(), env.actor, { referralId: ref.id, version });
    expect(plain).toMatchObject({ status: "invalid_data", fieldErrors: { supplyPersonaId: [expect.any(String)] } });
    const [p] = await db()
      .select()
      .from(pushes)
      .where(and(eq(pushes.referralRequestId, ref.id)));
    expect(p!.status).toBe("failed");
  });

  it("a correction may not change what a finished step already sent", async () => {
    await runWorker();
    const ref = await newReferral();
    await refuseNext(env.sbx, APPROVE.referral, "The agency cannot take referrals right now.");
    expect((await approveAs(env.actor, ref)).status).toBe("success");
    const failed = await waitForPush(ref.id);
    expect(failed.steps).toMatchObject({
      service: { status: "done" },
      authorizations: { status: "done" },
      referral: { status: "failed" },
    });
    const version = (await referralRow(ref.id)).version;
    const later = approvalFor(ref);
    later.endDate = later.startDate; // a different end date: the service and authorization already carry the old one
    const refused = await retryPush(db(), env.actor, { referralId: ref.id, version, approval: later });
    expect(refused).toMatchObject({
      status: "invalid_data",
      fieldErrors: { endDate: [expect.stringContaining("Already in ACCloud")] },
    });
    expect(await approvalRevisionsOf(ref.id)).toHaveLength(1);
    // A change only the failed step sends is fine.
    const comment = await retryPush(db(), env.actor, {
      referralId: ref.id,
      version,
      approval: { ...approvalFor(ref), comment: "Please start on Monday" },
    });
    expect(comment.status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const state = await env.sbx.control.state();
    const service = state.services.find((s) => s.external_id === ref.requestId)!;
    expect(state.referrals.filter((r) => r.service_id === service.id).map((r) => r.comment)).toEqual([
      "Please start on Monday",
    ]);
  });
});
