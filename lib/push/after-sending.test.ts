/**
 * After sending, against the sandbox: an update PUTs or deletes and recreates each authorization
 * as the contract requires, makes revision n+1 whose id later calls use; a non-latest revision is
 * refused and said so; cancel with every reason; the agency's process and cancel come back
 * through the sync; documents are sent once per sha256.
 */
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accloudLinks, accloudReferralRevisions, approvalRevisions, pushes } from "../../db/schema";
import { cancelReferral, changeApproval, sendDocuments } from "../approval/after-sending";
import { planAuthorizations } from "../approval/plan";
import { retryPush } from "../approval/approve";
import type { TApprovalInput } from "../approval/schema";
import { ZApproval } from "../approval/schema";
import { getDb } from "../db";
import { CANCEL_REASONS } from "../approval/after-sending-constants";
import { clientExternalId } from "../form/identity";
import { refreshFromAccloud, syncOpenReferrals, syncReferral } from "../worker/agency-sync";
import {
  approvalFor,
  approvalRevisionsOf,
  approvedAndSent,
  dayFromToday,
  newReferral,
  type NewReferral,
  pushWorkerForFile,
  referralRow,
  waitForPush,
} from "../../test/support/push";

const env = pushWorkerForFile();

const latestLink = async (id: string) =>
  (
    await getDb()
      .select()
      .from(accloudLinks)
      .where(
        and(
          eq(accloudLinks.referralRequestId, id),
          eq(accloudLinks.kind, "referral"),
          eq(accloudLinks.localKey, "latest"),
        ),
      )
  )[0]!;

/** A referral approved and sent (revision 1 in ACCloud). */
const sent = (over: Partial<TApprovalInput> = {}) => approvedAndSent(env.actor, over);

async function update(ref: NewReferral, approval: TApprovalInput, reasonCodes = ["authorization_extended"]) {
  return changeApproval(getDb(), env.actor, {
    referralId: ref.id,
    version: (await referralRow(ref.id)).version,
    approval,
    reasons: { reasonCodes, revisionComment: "Extended after the physician's call" },
  });
}

/** Cancels `ref` at its current version. */
async function cancel(ref: NewReferral, reasonCode: string, comment?: string) {
  return cancelReferral(getDb(), env.actor, {
    referralId: ref.id,
    version: (await referralRow(ref.id)).version,
    reasonCode,
    comment,
  });
}

/** Retries `ref`'s failed push at its current version. */
async function retry(ref: NewReferral) {
  return retryPush(getDb(), env.actor, { referralId: ref.id, version: (await referralRow(ref.id)).version });
}

async function sandboxFor(ref: NewReferral) {
  const state = await env.sbx.control.state();
  const service = state.services.find((s) => s.external_id === ref.requestId)!;
  const referrals = state.referrals
    .filter((r) => r.service_id === service.id)
    .sort((a, b) => a.revision_number - b.revision_number);
  const auths = state.authorizations.filter((a) => a.service_ids.includes(service.id));
  return { state, service, referrals, auths, live: auths.filter((a) => !a.deleted) };
}

/** Someone changes the referral in ACCloud directly: a revision this app does not know. */
async function changeInAccloud(ref: NewReferral) {
  const { service, referrals } = await sandboxFor(ref);
  await env.sbx.client.updateReferral(service.id, referrals[0]!.id, {
    start_at: String(referrals[0]!.start_at),
    end_at: String(referrals[0]!.end_at),
    revision: { reasons: ["Changed in ACCloud"] },
  });
}

describe("the plan: PUT or delete and recreate", () => {
  const base = () =>
    ZApproval.parse(
      approvalFor({ payload: { agency: { alayamarket_org_id: "91c79089-a3ca-4cca-acf4-52fc1f1302c6" } } } as never),
    );
  it("end date, numbers, notes and case manager change in place; start date, rule type and limits do not", () => {
    const a = base();
    const plan = (change: (x: ReturnType<typeof base>) => void) => {
      const b = structuredClone(a);
      change(b);
      return planAuthorizations(a, b).map((p) => [p.action, p.changed]);
    };
    expect(plan(() => {})).toEqual([["keep", []]]);
    expect(plan((b) => (b.endDate = dayFromToday(90)))).toEqual([["update", ["end_at"]]]);
    expect(plan((b) => (b.caseManager.name = "Dana Other"))).toEqual([["update", ["case_manager_name"]]]);
    expect(plan((b) => (b.authorizations[0]!.notes = "Call first"))).toEqual([["update", ["notes"]]]);
    expect(plan((b) => (b.startDate = dayFromToday(4)))).toEqual([["recreate", ["start_at"]]]);
    expect(plan((b) => (b.authorizations[0]!.ruleWeekly = 3))).toEqual([["recreate", ["rule_weekly"]]]);
    expect(plan((b) => (b.authorizations[0]!.ruleType = "HOURS"))).toEqual([["recreate", ["rule_type"]]]);
    expect(plan((b) => b.authorizations.push({ ...b.authorizations[0]!, ruleType: "HOURS" }))).toEqual([
      ["keep", []],
      ["create", []],
    ]);
  });
});

describe("updates", () => {
  it("extend by a month: the authorization is changed in place, ACCloud makes revision 2, and later calls use its id", async () => {
    const ref = await sent();
    const before = await sandboxFor(ref);
    const firstId = before.referrals[0]!.id;
    const extended = { ...ref.approval, endDate: dayFromToday(90) };
    const r = await update(ref, extended);
    expect(r.status, r.message).toBe("success");
    expect((await referralRow(ref.id)).status).toBe("approved");
    const push = await waitForPush(ref.id);
    expect(push).toMatchObject({ kind: "update", status: "sent" });

    const after = await sandboxFor(ref);
    expect(after.live).toHaveLength(1);
    expect(after.live[0]).toMatchObject({ id: before.live[0]!.id, end_at: dayFromToday(90) });
    expect(after.referrals.map((x) => [x.revision_number, x.is_latest])).toEqual([
      [1, false],
      [2, true],
    ]);
    const second = after.referrals[1]!;
    expect(second.id).not.toBe(firstId);
    expect(second.revision_reasons).toEqual(["Authorization extended"]);
    expect((await latestLink(ref.id)).accloudId).toBe(second.id);
    expect(await referralRow(ref.id)).toMatchObject({ status: "sent" });

    const revs = await approvalRevisionsOf(ref.id);
    expect(revs.map((x) => [x.revision, x.kind, x.state, x.accloudRevisionNumber])).toEqual([
      [1, "approve", "superseded", 1],
      [2, "update", "approved", 2],
    ]);
    expect(revs[1]).toMatchObject({
      reasons: ["Authorization extended"],
      revisionComment: "Extended after the physician's call",
      accloudReferralId: second.id,
    });
    const mirrored = await getDb()
      .select()
      .from(accloudReferralRevisions)
      .where(eq(accloudReferralRevisions.referralRequestId, ref.id))
      .orderBy(asc(accloudReferralRevisions.revisionNumber));
    expect(mirrored.map((m) => [m.revisionNumber, m.accloudReferralId, m.isLatest])).toEqual([
      [1, firstId, false],
      [2, second.id, true],
    ]);

    // A document now goes to revision 2, once.
    const doc = { name: "signed order.pdf", data: Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(64)]) };
    expect(
      (
        await sendDocuments(getDb(), env.actor, {
          referralId: ref.id,
          version: (await referralRow(ref.id)).version,
          upload: doc,
        })
      ).status,
    ).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const again = await sendDocuments(getDb(), env.actor, {
      referralId: ref.id,
      version: (await referralRow(ref.id)).version,
      upload: doc,
    });
    expect(again).toMatchObject({ status: "success", message: "ACCloud has this document already." });
    const attachments = (await env.sbx.control.state()).attachments.filter(
      (a) => a.revision_group_id === second.revision_group_id,
    );
    expect(attachments.map((a) => [a.filename, a.referral_id])).toEqual([
      ["physician_order_form.png", firstId],
      ["signed_order.pdf", second.id],
    ]);
    expect(await referralRow(ref.id)).toMatchObject({ status: "sent" });
  });

  it("a new start date or new limits delete and recreate the authorization; the replaced one is deleted after the referral moved on", async () => {
    const ref = await sent();
    const before = await sandboxFor(ref);
    const moved = {
      ...ref.approval,
      startDate: dayFromToday(5),
      authorizations: [
        { ...ref.approval.authorizations[0]!, ruleWeekly: 3, weekdays: { monday: 1, wednesday: 1, friday: 1 } },
      ],
    };
    expect((await update(ref, moved, ["dates_changed", "frequency_changed"])).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const after = await sandboxFor(ref);
    expect(after.auths.find((a) => a.id === before.live[0]!.id)).toMatchObject({ deleted: true });
    expect(after.live).toHaveLength(1);
    expect(after.live[0]).toMatchObject({ start_at: dayFromToday(5), rule_weekly: 3, rule_wednesday: 1 });
    expect(after.referrals.at(-1)).toMatchObject({ revision_number: 2, authorization_ids: [after.live[0]!.id] });
  });

  it('an update that clears optional strings sends "" for them (never null, which ACCloud refuses) and ACCloud keeps them cleared', async () => {
    const auth = {
      ruleType: "VISITS" as const,
      ruleMode: "weekdays" as const,
      weekdays: { monday: 1, thursday: 1 },
      ruleWeekly: 2,
      rulePeriod: 10,
      firstDayOfWeek: 6,
    };
    const ref = await sent({
      authorizations: [{ ...auth, memberNumber: "1111111", notes: "Ring twice", programId: "P-7" }],
    });
    const before = await sandboxFor(ref);
    expect(before.live[0]).toMatchObject({
      notes: "Ring twice",
      program_id: "P-7",
      member_number: "1111111",
      case_manager_phone: "555-000-1111",
    });
    const cleared = {
      ...ref.approval,
      caseManager: { name: "Casey Manager", email: "casey@csi.example" },
      authorizations: [{ ...auth, memberNumber: "", notes: "" }],
    };
    const r = await update(ref, cleared, ["case_manager_changed"]);
    expect(r.status, r.message).toBe("success");
    const push = await waitForPush(ref.id);
    expect(push.status, push.lastError ?? "").toBe("sent");
    const after = await sandboxFor(ref);
    // Changed in place: the same authorization, its strings now empty.
    expect(after.live).toHaveLength(1);
    expect(after.live[0]).toMatchObject({
      id: before.live[0]!.id,
      notes: "",
      program_id: "",
      member_number: "",
      case_manager_phone: "",
      case_manager_email: "casey@csi.example",
    });
  });

  it("the client is updated before the referral when the approved submission changed its demographics", async () => {
    const ref = await sent();
    const { ingestReferralRequest } = await import("../intake/ingest");
    const { decodeFiles } = await import("../intake/files");
    const { systemActor } = await import("../access/actors");
    const amended = structuredClone(ref.payload);
    amended.client = { ...amended.client, phone_main: "555-777-0000" };
    await ingestReferralRequest(getDb(), {
      payload: amended,
      files: await decodeFiles(amended.files ?? [], 50_000_000),
      actor: systemActor("test"),
    });
    expect((await referralRow(ref.id)).amendedAfterDecisionAt).not.toBeNull();
    expect((await update(ref, ref.approval, ["client_information_changed"])).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const { state } = await sandboxFor(ref);
    const client = state.clients.find(
      (c) => c.external_id === clientExternalId(ref.payload.agency.alayamarket_org_id, ref.payload.client.id),
    )!;
    expect(client.demographics.phone_main).toBe("555-777-0000");
    expect((await referralRow(ref.id)).amendedAfterDecisionAt).toBeNull();
  });

  it("refuses what ACCloud cannot change, a change of nothing, and an update without a reason; nothing is stored", async () => {
    const ref = await sent();
    const n = async () =>
      (await getDb().select().from(approvalRevisions).where(eq(approvalRevisions.referralRequestId, ref.id))).length;
    expect(await update(ref, { ...ref.approval, serviceCodeId: 49 })).toMatchObject({
      status: "invalid_data",
      fieldErrors: { serviceCodeId: [expect.stringContaining("cannot change")] },
    });
    expect(await update(ref, ref.approval)).toMatchObject({
      status: "invalid_data",
      fieldErrors: { _form: [expect.stringContaining("Nothing changed")] },
    });
    const noReason = await changeApproval(getDb(), env.actor, {
      referralId: ref.id,
      version: (await referralRow(ref.id)).version,
      approval: { ...ref.approval, endDate: dayFromToday(70) },
      reasons: { reasonCodes: [] },
    });
    expect(noReason).toMatchObject({
      status: "invalid_data",
      fieldErrors: { "reasons.reasonCodes": [expect.any(String)] },
    });
    expect(await n()).toBe(1);
    expect((await referralRow(ref.id)).status).toBe("sent");
  });

  it("an update from a revision that is not the latest is refused by ACCloud and said so; after a refresh it goes through", async () => {
    const ref = await sent();
    await changeInAccloud(ref);
    expect((await update(ref, { ...ref.approval, endDate: dayFromToday(80) })).status).toBe("success");
    const failed = await waitForPush(ref.id);
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toContain("is not the latest");
    expect(failed.lastError).toContain("Refresh from ACCloud");
    expect((await referralRow(ref.id)).status).toBe("push_failed");

    // "Refresh from ACCloud" by a person: recorded with what it found.
    const synced = await refreshFromAccloud(getDb(), env.sbx.client, env.actor, ref.id);
    expect(synced.revisions).toBe(2);
    const asked = await getDb().execute<{ actor_id: string; details: unknown }>(
      sql`select actor_id, details from audit_events where action = 'referral.sync_requested' and entity_id = ${ref.id}`,
    );
    expect(asked.rows).toEqual([{ actor_id: env.actor.id, details: { revisions: 2, change: null } }]);
    expect((await retry(ref)).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const after = await sandboxFor(ref);
    expect(after.referrals.map((x) => x.revision_number)).toEqual([1, 2, 3]);
    expect(after.live).toHaveLength(1);
    expect(after.live[0]!.end_at).toBe(dayFromToday(80));
  });
});

describe("cancels", () => {
  it.each(CANCEL_REASONS.map((r) => r.code))(
    "cancel with reason %s: ACCloud's latest revision is cancelled with it and the request shows cancelled",
    async (code) => {
      const ref = await sent();
      const comment = code === "other" ? "Moved out of state" : undefined;
      const r = await cancel(ref, code, comment);
      expect(r.status, r.message).toBe("success");
      expect((await referralRow(ref.id)).status).toBe("cancelling");
      const push = await waitForPush(ref.id);
      expect(push).toMatchObject({ kind: "cancel", status: "sent" });
      const { referrals } = await sandboxFor(ref);
      expect(referrals.at(-1)).toMatchObject({
        status: "cancelled",
        reason_code: code,
        cancelled_by: "demand",
        cancellation_comment: comment ?? null,
      });
      expect(await referralRow(ref.id)).toMatchObject({ status: "cancelled", decisionReasonCode: code });
    },
  );

  it("a cancel from a revision that is not the latest is refused by ACCloud and said so; after a refresh it goes through", async () => {
    const ref = await sent();
    await changeInAccloud(ref);
    expect((await cancel(ref, "client_request")).status).toBe("success");
    const failed = await waitForPush(ref.id);
    expect(failed).toMatchObject({ kind: "cancel", status: "failed" });
    expect(failed.lastError).toContain("not the latest");
    expect((await referralRow(ref.id)).status).toBe("push_failed");
    await syncReferral(getDb(), env.sbx.client, ref.id);
    expect((await retry(ref)).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const after = await sandboxFor(ref);
    expect(after.referrals.at(-1)).toMatchObject({
      revision_number: 2,
      status: "cancelled",
      reason_code: "client_request",
    });
    expect((await referralRow(ref.id)).status).toBe("cancelled");
  });

  it("'other' needs a comment; a comment is at most 1000 characters", async () => {
    const ref = await sent();
    expect(await cancel(ref, "other")).toMatchObject({
      status: "invalid_data",
      fieldErrors: { comment: [expect.any(String)] },
    });
    expect(await cancel(ref, "client_request", "x".repeat(1001))).toMatchObject({
      status: "invalid_data",
    });
    expect((await referralRow(ref.id)).status).toBe("sent");
  });
});

describe("the agency's side", () => {
  it("the agency processes, then cancels: the sync reflects both, as the system actor, and a second sync changes nothing", async () => {
    const ref = await sent();
    const { referrals } = await sandboxFor(ref);
    await env.sbx.control.markProcessed(referrals[0]!.id);
    // The round takes the referrals read back longest ago first: this one, a day ago.
    await getDb().execute(
      sql`update accloud_referral_revisions set synced_at = now() - interval '1 day' where referral_request_id = ${ref.id}`,
    );
    const round = await syncOpenReferrals(getDb(), env.sbx.client, { limit: 5 });
    expect(round.find((o) => o.referralId === ref.id)).toMatchObject({ change: "processed" });
    expect((await referralRow(ref.id)).status).toBe("processed");

    await env.sbx.control.agencyCancel(referrals[0]!.id, {
      reason_code: "client_hospitalization",
      comment: "Admitted on Monday",
    });
    expect(await syncReferral(getDb(), env.sbx.client, ref.id)).toMatchObject({ change: "cancelled" });
    expect(await referralRow(ref.id)).toMatchObject({
      status: "cancelled",
      decisionReasonCode: "client_hospitalization",
      decisionComment: "Admitted on Monday",
    });
    expect(await syncReferral(getDb(), env.sbx.client, ref.id)).toMatchObject({ change: null });

    const audit = await getDb().execute<{ action: string; actor_type: string; actor_label: string }>(
      sql`select action, actor_type, actor_label from audit_events where entity_id = ${ref.id} and action like 'referral.agency_%' order by id`,
    );
    expect(audit.rows).toEqual([
      { action: "referral.agency_processed", actor_type: "system", actor_label: "ACCloud sync" },
      { action: "referral.agency_cancelled", actor_type: "system", actor_label: "ACCloud sync" },
    ]);
    const [p] = await getDb()
      .select()
      .from(pushes)
      .where(eq(pushes.referralRequestId, ref.id))
      .orderBy(desc(pushes.createdAt))
      .limit(1);
    expect(p!.status).toBe("sent");
  });
});

describe("what the agency received, revision against revision", () => {
  it("labels each difference in words a reviewer reads", async () => {
    const { diffObjects, revisionSnapshot } = await import("../approval/snapshot");
    const names = { serviceCodes: new Map([[48, "Skilled Nursing"]]), funders: new Map([[9, "OptionCare CSI"]]) };
    const ref = await newReferral();
    const a = ZApproval.parse(approvalFor(ref));
    const b = structuredClone(a);
    b.endDate = dayFromToday(90);
    b.authorizations[0]!.weekdays.friday = 1;
    b.caseManager.name = "Dana Other";
    const labels = diffObjects(
      revisionSnapshot(a, ref.payload, names, ["a.png"]),
      revisionSnapshot(b, ref.payload, names, ["a.png", "b.pdf"]),
    ).map((c) => c.label);
    expect(labels.sort()).toEqual(
      [
        "Authorization 1 · end date",
        "Authorization 1 · friday limit",
        "Case manager · name",
        "Dates · end date",
        "Documents · #2",
      ].sort(),
    );
  });
});
