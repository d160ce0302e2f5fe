/**
 * The one guarded path: every user transition refuses every status its row of the table does not
 * allow, a stale version, and someone else's live claim, and writes nothing when it refuses;
 * amendments after a decision are flagged, never absorbed.
 */
import { randomUUID } from "node:crypto";
import type { TApproval } from "../approval/schema";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRevisions, referralStatus, type ReferralStatus } from "../../db/schema";
import { GEM_CITY_SUPPLIER_ID } from "../accloud/sandbox/seed";
import { confirmSamePerson, continueAsNewClient } from "../approval/different-person";
import { cancelReferral, changeApproval, sendDocuments } from "../approval/after-sending";
import { approveReferral, retryPush, saveApprovalDraft } from "../approval/approve";
import { systemActor } from "../access/actors";
import type { Role } from "../access/scopes";
import type { Actor } from "../access/actors";
import { getDb } from "../db";
import { decodeFiles } from "../intake/files";
import { ingestReferralRequest } from "../intake/ingest";
import { approvalFor, setupPushEnvironment } from "../../test/support/push";
import { parseQueueParams } from "../validations/queue";
import { getTabCounts, listQueue } from "../referrals/queue";
import { auditActions, makeActors, makeReferral, makeUser, rowOf } from "../../test/support/referrals";
import { TRANSITIONS, transition, refuse, type TransitionName, type TransitionResult } from "./transitions";
import { claimReferral, dismissAmendment, rejectReferral, reopenReferral, requestPendingInfo } from "./decisions";

const db = () => getDb();
let actors: Record<Role, Actor>;
let env: Awaited<ReturnType<typeof setupPushEnvironment>>;

beforeAll(async () => {
  env = await setupPushEnvironment();
  actors = await makeActors();
});
afterAll(async () => {
  await env?.sbx.close();
});

/** A status set directly (test set-up only): the transition under test must refuse or accept it. */
async function forceStatus(id: string, status: ReferralStatus) {
  await db().execute(sql`update referral_requests set status = ${status} where id = ${id}`);
}

type Ref = Awaited<ReturnType<typeof makeReferral>>;
/** Each user transition, called the way the app calls it, on a request at version 1. */
const CALLS: Partial<Record<TransitionName, (ref: Ref, reviewer: Actor) => Promise<TransitionResult<unknown>>>> = {
  claim: (ref, a) => claimReferral(db(), a, ref.id, 1),
  reject: (ref, a) =>
    rejectReferral(db(), a, { referralId: ref.id, version: 1, reasonCode: "duplicate", comment: "duplicate request" }),
  pending_info: (ref, a) =>
    requestPendingInfo(db(), a, { referralId: ref.id, version: 1, note: "Need the physician order" }),
  reopen: (ref, a) => reopenReferral(db(), a, { referralId: ref.id, version: 1 }),
  save_draft: (ref, a) => saveApprovalDraft(db(), a, { referralId: ref.id, version: 1, data: { careType: "nursing" } }),
  approve: (ref, a) => approveReferral(db(), a, { referralId: ref.id, version: 1, approval: approvalFor(ref) }),
  retry: (ref, a) => retryPush(db(), a, { referralId: ref.id, version: 1 }),
  dismiss_amendment: (ref, a) =>
    dismissAmendment(db(), a, { referralId: ref.id, version: 1, note: "Only a typo fixed" }),
  change_approval: (ref, a) =>
    changeApproval(db(), a, {
      referralId: ref.id,
      version: 1,
      approval: approvalFor(ref),
      reasons: { reasonCodes: ["authorization_extended"] },
    }),
  cancel: (ref, a) => cancelReferral(db(), a, { referralId: ref.id, version: 1, reasonCode: "client_request" }),
  add_documents: (ref, a) => sendDocuments(db(), a, { referralId: ref.id, version: 1 }),
  confirm_same_person: (ref, a) =>
    confirmSamePerson(db(), a, { referralId: ref.id, version: 1, note: "Married name, confirmed by phone" }),
  continue_as_new_client: (ref, a) => continueAsNewClient(db(), a, { referralId: ref.id, version: 1 }),
};

describe("the allowed-from table", () => {
  it("says what the product promises (a change to the table must change this list)", () => {
    const table = Object.fromEntries(
      Object.entries(TRANSITIONS).map(([name, r]) => [name, [...r.from].sort().join(",")]),
    );
    const decided = "approved,cancelled,cancelling,processed,push_failed,pushing,rejected,sent";
    expect(table).toEqual({
      claim: "in_review,new,pending_info",
      unassign: [...referralStatus.enumValues].sort().join(","),
      assign: "in_review,new,pending_info",
      reject: "in_review,new,pending_info",
      pending_info: "in_review,new",
      reopen: "pending_info,rejected",
      save_draft: "in_review,new,pending_info",
      approve: "in_review,new,pending_info",
      retry: "processed,push_failed,sent",
      dismiss_amendment: decided,
      change_approval: "processed,sent",
      cancel: "processed,push_failed,sent",
      add_documents: "processed,sent",
      confirm_same_person: decided,
      continue_as_new_client: "cancelled",
      amend: [...referralStatus.enumValues].sort().join(","),
      agency_processed: "sent",
      agency_cancelled: "approved,cancelling,processed,push_failed,pushing,sent",
      push_started: "approved,cancelling,processed,pushing,sent",
      push_retrying: "cancelling,processed,pushing,sent",
      push_sent: "cancelling,processed,pushing,sent",
      push_failed: "approved,cancelling,processed,pushing,sent",
    });
    // Decisions, drafts and retries need the version the user saw and respect others' claims.
    for (const name of [
      "reject",
      "pending_info",
      "reopen",
      "save_draft",
      "approve",
      "retry",
      "dismiss_amendment",
      "change_approval",
      "cancel",
      "add_documents",
      "confirm_same_person",
      "continue_as_new_client",
    ] as const) {
      expect(TRANSITIONS[name]).toMatchObject({ version: "required", claim: true });
    }
    expect(TRANSITIONS.approve.by).toEqual({ scopes: ["referral:decide", "referral:push"] });
    expect(TRANSITIONS.retry.by).toEqual({ scopes: ["referral:decide", "referral:push"] });
  });

  const cases = Object.entries(CALLS).flatMap(([name, call]) =>
    referralStatus.enumValues
      .filter((s) => !TRANSITIONS[name as TransitionName].from.includes(s))
      .map((s) => [name, s, call!] as const),
  );

  it.each(cases)("%s from %s is a conflict that writes nothing", async (name, status, call) => {
    const ref = await makeReferral({ orgId: GEM_CITY_SUPPLIER_ID });
    await forceStatus(ref.id, status);
    const r = await call(ref, actors.reviewer);
    expect(r.status, `${name} from ${status}`).toBe("conflict");
    expect(r.message).toContain("cannot be");
    expect(await rowOf(ref.id)).toMatchObject({ status, version: 1 });
    expect(await auditActions(ref.id)).toEqual(["referral.received"]);
    const revisions = await db()
      .select()
      .from(approvalRevisions)
      .where(eq(approvalRevisions.referralRequestId, ref.id));
    expect(revisions).toHaveLength(0);
  });

  it("every user transition refuses a stale version with the current state and who changed it", async () => {
    for (const [name, call] of Object.entries(CALLS)) {
      const ref = await makeReferral({ orgId: GEM_CITY_SUPPLIER_ID });
      const allowed = TRANSITIONS[name as TransitionName].from[0]!;
      await forceStatus(ref.id, allowed);
      await db().execute(sql`update referral_requests set version = 7 where id = ${ref.id}`);
      const r = await call(ref, actors.reviewer);
      expect(r.status, name).toBe("conflict");
      if (r.status === "conflict") expect(r.data.current).toMatchObject({ status: allowed, version: 7 });
      expect(await rowOf(ref.id)).toMatchObject({ version: 7 });
      expect(await auditActions(ref.id)).toEqual(["referral.received"]);
    }
  });
});

describe("claims and drafts", () => {
  it("approve and drafts respect someone else's live claim; nothing is stored", async () => {
    const ref = await makeReferral({ orgId: GEM_CITY_SUPPLIER_ID });
    const other = await makeUser("reviewer");
    expect(await claimReferral(db(), other, ref.id)).toMatchObject({ status: "success", data: { version: 2 } });
    const approve = await approveReferral(db(), actors.reviewer, {
      referralId: ref.id,
      version: 2,
      approval: approvalFor(ref),
    });
    expect(approve.status).toBe("conflict");
    expect(approve.message).toContain(other.name);
    const draft = await saveApprovalDraft(db(), actors.reviewer, {
      referralId: ref.id,
      version: 2,
      data: { careType: "psw" },
    });
    expect(draft.status).toBe("conflict");
    expect(
      await db().select().from(approvalRevisions).where(eq(approvalRevisions.referralRequestId, ref.id)),
    ).toHaveLength(0);
    const pushesCount = await db().execute(
      sql`select count(*)::int as n from pushes where referral_request_id = ${ref.id}`,
    );
    expect(pushesCount.rows[0]).toEqual({ n: 0 });
    // The claimant can.
    expect(
      await saveApprovalDraft(db(), other, { referralId: ref.id, version: 2, data: { careType: "psw" } }),
    ).toMatchObject({
      status: "success",
      data: { version: 3 },
    });
  });

  it("a draft checks the version and moves it, with its audit record", async () => {
    const ref = await makeReferral();
    const first = await saveApprovalDraft(db(), actors.reviewer, {
      referralId: ref.id,
      version: 1,
      data: { careType: "nursing" },
    });
    expect(first).toMatchObject({ status: "success", data: { version: 2 } });
    const stale = await saveApprovalDraft(db(), actors.reviewer, {
      referralId: ref.id,
      version: 1,
      data: { careType: "psw" },
    });
    expect(stale.status).toBe("conflict");
    const [rev] = await db().select().from(approvalRevisions).where(eq(approvalRevisions.referralRequestId, ref.id));
    expect(rev).toMatchObject({ state: "draft", data: { careType: "nursing" } });
    expect(await auditActions(ref.id)).toEqual(["referral.received", "approval.draft_saved"]);
  });

  it("a refusal inside the apply step rolls back what the step wrote", async () => {
    const ref = await makeReferral();
    const r = await transition(db(), actors.reviewer, {
      name: "save_draft",
      id: ref.id,
      version: 1,
      apply: async ({ tx }) => {
        await tx
          .insert(approvalRevisions)
          .values({ referralRequestId: ref.id, revision: 1, state: "draft", data: {} as TApproval });
        return refuse.invalid({ careType: ["no"] });
      },
    });
    expect(r).toMatchObject({ status: "invalid_data", fieldErrors: { careType: ["no"] } });
    expect(
      await db().select().from(approvalRevisions).where(eq(approvalRevisions.referralRequestId, ref.id)),
    ).toHaveLength(0);
    expect(await rowOf(ref.id)).toMatchObject({ version: 1 });
  });
});

/** A later delivery of the same request_id with one field changed: an amendment. */
async function amend(ref: Ref, change: (p: Ref["payload"]) => void) {
  const payload = structuredClone(ref.payload);
  change(payload);
  const files = await decodeFiles(payload.files ?? [], 50 * 1024 * 1024);
  return ingestReferralRequest(db(), { payload, files, actor: systemActor("test") });
}

const setPhone = (phone: string) => (p: Ref["payload"]) => {
  p.client = { ...p.client, phone_main: phone };
};

describe("amendments after a decision", () => {
  it("before a decision an amendment is absorbed; after a rejection it is flagged, listed, and cleared by reopening", async () => {
    const ref = await makeReferral({ orgId: randomUUID() });
    await amend(ref, setPhone("555-000-0001"));
    expect(await rowOf(ref.id)).toMatchObject({ submission_count: 2, amended_after_decision_at: null });

    expect(
      await rejectReferral(db(), actors.reviewer, {
        referralId: ref.id,
        version: 2,
        reasonCode: "duplicate",
        comment: "duplicate request",
      }),
    ).toMatchObject({
      status: "success",
    });
    const decided = await rowOf(ref.id);
    await amend(ref, setPhone("555-000-0002"));
    const row = await rowOf(ref.id);
    expect(row).toMatchObject({
      status: "rejected",
      submission_count: 3,
      decided_submission_id: decided.decided_submission_id,
    });
    expect(row.amended_after_decision_at).not.toBeNull();
    const audit = await db().execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_events where entity_id = ${ref.id} and action = 'referral.amended' order by id desc limit 1`,
    );
    expect(audit.rows[0]!.details).toMatchObject({
      afterDecision: true,
      statusAtAmendment: "rejected",
      to: "rejected",
    });

    const params = parseQueueParams({ tab: "amended", agency: ref.orgId });
    const page = await listQueue(db(), actors.reviewer, params, null);
    expect(page.rows.map((r) => r.id)).toEqual([ref.id]);
    expect(page.rows[0]).toMatchObject({ amendedAfterDecision: true, status: "rejected" });
    expect((await getTabCounts(db(), actors.reviewer, params)).amended).toBe(1);

    expect(
      await reopenReferral(db(), actors.reviewer, { referralId: ref.id, version: Number(row.version) }),
    ).toMatchObject({
      status: "success",
    });
    expect(await rowOf(ref.id)).toMatchObject({
      status: "in_review",
      amended_after_decision_at: null,
      decided_submission_id: null,
    });
    expect((await getTabCounts(db(), actors.reviewer, params)).amended).toBe(0);
  });

  it("after an approval the flag waits for a reviewer; dismissing it needs a note and is audited", async () => {
    const ref = await makeReferral({ orgId: GEM_CITY_SUPPLIER_ID });
    const approved = await approveReferral(db(), actors.reviewer, {
      referralId: ref.id,
      version: 1,
      approval: approvalFor(ref),
    });
    expect(approved.status).toBe("success");
    await amend(ref, setPhone("555-000-0003"));
    const row = await rowOf(ref.id);
    expect(row).toMatchObject({ status: "approved", submission_count: 2 });
    expect(row.amended_after_decision_at).not.toBeNull();
    // Nothing new is pushed on its own.
    const pushesCount = await db().execute(
      sql`select count(*)::int as n from pushes where referral_request_id = ${ref.id}`,
    );
    expect(pushesCount.rows[0]).toEqual({ n: 1 });

    const version = Number(row.version);
    expect(
      await dismissAmendment(db(), actors.supervisor, { referralId: ref.id, version, note: "phone only" }),
    ).toMatchObject({
      status: "forbidden",
      scope: "referral:decide",
    });
    expect(
      await dismissAmendment(db(), actors.reviewer, {
        referralId: ref.id,
        version,
        note: "Only the phone number changed",
      }),
    ).toMatchObject({ status: "success" });
    expect(await rowOf(ref.id)).toMatchObject({ amended_after_decision_at: null, status: "approved" });
    const again = await dismissAmendment(db(), actors.reviewer, {
      referralId: ref.id,
      version: version + 1,
      note: "again",
    });
    expect(again.status).toBe("conflict");
    const audit = await db().execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_events where entity_id = ${ref.id} and action = 'referral.amendment_dismissed'`,
    );
    expect(audit.rows.map((r) => r.details.note)).toEqual(["Only the phone number changed"]);
  });
});
