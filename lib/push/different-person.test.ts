/**
 * One patient per ACCloud client, against the sandbox: an amendment that names another person
 * (another agency client id, last name or birthday beyond a typo) marks the referral "different
 * person"; "Send update" and the latest submission's files are refused with the reason, and the
 * first client's record in ACCloud stays as it was. The two ways out: confirm the same person (a
 * note, audited; only then does the correction reach the client), or cancel and approve the new
 * person as a new client (a new ACCloud client and service; the first client untouched).
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvalRevisions, pushes, referralFiles } from "../../db/schema";
import { continueAsNewClient, confirmSamePerson } from "../approval/different-person";
import { cancelReferral, changeApproval, sendDocuments } from "../approval/after-sending";
import { retryPush } from "../approval/approve";
import { systemActor } from "../access/actors";
import { getDb } from "../db";
import { decodeFiles } from "../intake/files";
import { ingestReferralRequest } from "../intake/ingest";
import type { TReferralRequest } from "../intake/schema";
import {
  approveAs,
  approvedAndSent,
  dayFromToday,
  newReferral,
  pushWorkerForFile,
  referralRow,
  stepEndpoints,
  waitForPush,
} from "../../test/support/push";
import { clientExternalId } from "../form/identity";

const env = pushWorkerForFile();
const db = () => getDb();

const externalIdOf = (p: TReferralRequest) => clientExternalId(p.agency.alayamarket_org_id, p.client.id);
const clientsWith = async (externalId: string) =>
  (await env.sbx.control.state()).clients.filter((c) => c.external_id === externalId);
const auditOf = async (id: string, action: string) =>
  (
    await db().execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_events where entity_id = ${id} and action = ${action} order by id`,
    )
  ).rows;
const count = async (table: typeof approvalRevisions | typeof pushes, id: string) =>
  (await db().select().from(table).where(eq(table.referralRequestId, id))).length;

/** A referral approved and sent: Jane Smithers, 1998-05-07, under a client id of its own. */
const sent = () => approvedAndSent(env.actor);
type Sent = Awaited<ReturnType<typeof sent>>;

/** The agency sends the same request_id again with its client changed. */
async function amend(ref: { payload: TReferralRequest }, change: (c: TReferralRequest["client"]) => void) {
  const payload = structuredClone(ref.payload);
  change(payload.client);
  const result = await ingestReferralRequest(db(), {
    payload,
    files: await decodeFiles(payload.files ?? [], 50_000_000),
    actor: systemActor("test"),
  });
  return { result, payload };
}
const robert = (id?: number) => (c: TReferralRequest["client"]) =>
  Object.assign(c, { id: id ?? c.id, first_name: "Robert", last_name: "Other", birthday: "1950-01-01" });

async function update(ref: Sent) {
  return changeApproval(db(), env.actor, {
    referralId: ref.id,
    version: (await referralRow(ref.id)).version,
    approval: { ...ref.approval, endDate: dayFromToday(90) },
    reasons: { reasonCodes: ["client_information_changed"] },
  });
}

describe("an amendment naming another person", () => {
  it("marks the referral; Send update and the latest files are refused with the reason; the first client's record is unchanged", async () => {
    const ref = await sent();
    const [jane] = await clientsWith(externalIdOf(ref.payload));
    expect(jane!.demographics).toMatchObject({ first_name: "Jane", last_name: "Smithers", birthday: "1998-05-07" });

    const { payload } = await amend(ref, robert(ref.payload.client.id + 1));
    const row = await referralRow(ref.id);
    expect(row.differentPersonAt).not.toBeNull();
    expect(row.amendedAfterDecisionAt).not.toBeNull();
    expect((await auditOf(ref.id, "referral.amended"))[0]!.details.differentPerson).toEqual([
      "agency client id",
      "last name",
      "birthday",
    ]);

    const refused = await update(ref);
    expect(refused).toMatchObject({
      status: "invalid_data",
      fieldErrors: { _form: [expect.stringMatching(/^Different person: /)] },
    });
    expect(refused.message).toContain("agency client id, last name, birthday differ");
    expect(refused.message).not.toMatch(/Robert|Other|Jane|Smithers|1950|1998/);
    const files = await sendDocuments(db(), env.actor, {
      referralId: ref.id,
      version: (await referralRow(ref.id)).version,
    });
    expect(files).toMatchObject({
      status: "invalid_data",
      fieldErrors: { _form: [expect.stringMatching(/^Different person: /)] },
    });
    expect(await count(approvalRevisions, ref.id)).toBe(1);
    expect(await count(pushes, ref.id)).toBe(1);
    expect(await referralRow(ref.id)).toMatchObject({ status: "sent", version: row.version });

    expect(await clientsWith(externalIdOf(ref.payload))).toEqual([jane]);
    expect(await clientsWith(externalIdOf(payload))).toEqual([]);

    // The agency sends the first person again (another phone): the mark goes, and the amendment's record says so.
    await amend(ref, (c) => (c.phone_main = "555-123-0000"));
    expect((await referralRow(ref.id)).differentPersonAt).toBeNull();
    expect((await auditOf(ref.id, "referral.amended"))[1]!.details).toMatchObject({ differentPersonCleared: true });
  });

  it("a typo in the last name is not another person: the update sends the correction", async () => {
    const ref = await sent();
    await amend(ref, (c) => (c.last_name = "Smithars"));
    expect((await referralRow(ref.id)).differentPersonAt).toBeNull();
    expect((await auditOf(ref.id, "referral.amended"))[0]!.details.differentPerson).toBeUndefined();
    expect((await update(ref)).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const clients = await clientsWith(externalIdOf(ref.payload));
    expect(clients).toHaveLength(1);
    expect(clients[0]!.demographics).toMatchObject({
      first_name: "Jane",
      last_name: "Smithars",
      birthday: "1998-05-07",
    });
  });

  it("an update made while the referral was not marked (as one before the mark existed) stops at the client step; the client is unchanged", async () => {
    const ref = await sent();
    const [jane] = await clientsWith(externalIdOf(ref.payload));
    await amend(ref, robert());
    // Set-up only: the mark cleared behind the app's back, so the update is accepted and only the push's own check is left.
    await db().execute(sql`update referral_requests set different_person_at = null where id = ${ref.id}`);
    expect((await update(ref)).status).toBe("success");
    const push = await waitForPush(ref.id);
    expect(push).toMatchObject({ kind: "update", status: "failed" });
    expect(push.lastError).toMatch(/^Different person: .*\(last name, birthday differ\)/);
    expect(push.steps.client).toMatchObject({ status: "failed" });
    expect(await clientsWith(externalIdOf(ref.payload))).toEqual([jane]);
  });

  it("a push retried after the amendment keys the client by the approved submission, not the amended one", async () => {
    const ref = await newReferral();
    await env.sbx.control.addFault({ ...stepEndpoints("approve").client, kind: "status", status: 400, times: 1 });
    expect((await approveAs(env.actor, ref)).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("failed");
    const { payload } = await amend(ref, robert(ref.payload.client.id + 1));
    expect((await referralRow(ref.id)).differentPersonAt).not.toBeNull();
    expect(
      (await retryPush(db(), env.actor, { referralId: ref.id, version: (await referralRow(ref.id)).version })).status,
    ).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const clients = await clientsWith(externalIdOf(ref.payload));
    expect(clients).toHaveLength(1);
    expect(clients[0]!.demographics).toMatchObject({ first_name: "Jane", last_name: "Smithers" });
    expect(await clientsWith(externalIdOf(payload))).toEqual([]);
  });
});

describe("way out A: the same person, confirmed with a note", () => {
  it("is audited with the note; only then does the update send the correction, to the same client", async () => {
    const ref = await sent();
    const [before] = await clientsWith(externalIdOf(ref.payload));
    await amend(ref, (c) => (c.last_name = "Jones"));
    const marked = await referralRow(ref.id);
    expect(marked.differentPersonAt).not.toBeNull();
    expect((await update(ref)).status).toBe("invalid_data");
    expect(await clientsWith(externalIdOf(ref.payload))).toEqual([before]);

    expect(
      await confirmSamePerson(db(), env.actor, { referralId: ref.id, version: marked.version, note: "" }),
    ).toMatchObject({
      status: "invalid_data",
      fieldErrors: { note: [expect.any(String)] },
    });
    expect(
      (
        await confirmSamePerson(db(), env.actor, {
          referralId: ref.id,
          version: marked.version - 1,
          note: "Married name",
        })
      ).status,
    ).toBe("conflict");
    const ok = await confirmSamePerson(db(), env.actor, {
      referralId: ref.id,
      version: marked.version,
      note: "Married in May; the agency confirmed by phone.",
    });
    expect(ok.status, ok.message).toBe("success");
    const confirmed = await referralRow(ref.id);
    expect(confirmed).toMatchObject({
      differentPersonAt: null,
      identitySubmissionId: confirmed.latestSubmissionId,
      version: marked.version + 1,
    });
    expect(await auditOf(ref.id, "referral.same_person_confirmed")).toEqual([
      {
        details: expect.objectContaining({
          note: "Married in May; the agency confirmed by phone.",
          differences: ["last name"],
          submission: 2,
          identitySubmission: 1,
        }),
      },
    ]);
    // Nothing is marked any more: a second confirmation is a conflict.
    expect(
      (await confirmSamePerson(db(), env.actor, { referralId: ref.id, version: confirmed.version, note: "again" }))
        .status,
    ).toBe("conflict");
    // Until an update is sent, ACCloud's client is as it was.
    expect(await clientsWith(externalIdOf(ref.payload))).toEqual([before]);

    expect((await update(ref)).status).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");
    const after = await clientsWith(externalIdOf(ref.payload));
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before!.id);
    expect(after[0]!.demographics).toEqual({ ...before!.demographics, last_name: "Jones" });

    // The confirmed person is the client's now: a later amendment is compared with it.
    const jones = { payload: { ...ref.payload, client: { ...ref.payload.client, last_name: "Jones" } } };
    await amend(jones, (c) => (c.last_name = "Jonas"));
    expect((await referralRow(ref.id)).differentPersonAt).toBeNull();
    await amend(jones, (c) => (c.birthday = "1950-01-01"));
    expect((await referralRow(ref.id)).differentPersonAt).not.toBeNull();
  });
});

describe("way out B: cancel in ACCloud, then approve the new person as a new client", () => {
  /** Cancels the marked referral in ACCloud and continues it; answers the new referral request. */
  async function cancelAndContinue(ref: Sent) {
    const early = await continueAsNewClient(db(), env.actor, {
      referralId: ref.id,
      version: (await referralRow(ref.id)).version,
    });
    expect(early).toMatchObject({
      status: "conflict",
      message: expect.stringContaining("cannot be continued as a new client"),
    });
    expect(
      (
        await cancelReferral(db(), env.actor, {
          referralId: ref.id,
          version: (await referralRow(ref.id)).version,
          reasonCode: "other",
          comment: "Another person",
        })
      ).status,
    ).toBe("success");
    expect(await waitForPush(ref.id)).toMatchObject({ kind: "cancel", status: "sent" });
    const cancelled = await referralRow(ref.id);
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect(cancelled.differentPersonAt).not.toBeNull();
    // An amendment being stored right now (the intake holds the request_id's lock): try again after it.
    const intake = await db().$client.connect();
    try {
      await intake.query("select pg_advisory_lock(hashtextextended($1, 0))", [`referral:${ref.requestId}`]);
      const busy = await continueAsNewClient(db(), env.actor, { referralId: ref.id, version: cancelled.version });
      expect(busy).toMatchObject({ status: "conflict", message: expect.stringContaining("right now") });
    } finally {
      await intake.query("select pg_advisory_unlock_all()");
      intake.release();
    }
    const r = await continueAsNewClient(db(), env.actor, { referralId: ref.id, version: cancelled.version });
    expect(r.status, r.message).toBe("success");
    const newId = (r as { data: { newReferralId: string } }).data.newReferralId;
    expect(await referralRow(ref.id)).toMatchObject({ status: "cancelled", differentPersonAt: null });
    expect(
      (await continueAsNewClient(db(), env.actor, { referralId: ref.id, version: cancelled.version + 1 })).status,
    ).toBe("conflict");
    return referralRow(newId);
  }

  async function approveAndSend(row: Awaited<ReturnType<typeof referralRow>>, payload: TReferralRequest) {
    const r = await approveAs(env.actor, { id: row.id, version: row.version, payload });
    expect(r.status, r.message).toBe("success");
    const p = await waitForPush(row.id);
    expect(p.status, p.lastError ?? "").toBe("sent");
  }

  it("another agency client id: a new client and service for the new person; the first client's record is unchanged", async () => {
    const ref = await sent();
    const [jane] = await clientsWith(externalIdOf(ref.payload));
    const { payload } = await amend(ref, robert(ref.payload.client.id + 1));
    const next = await cancelAndContinue(ref);
    expect(next).toMatchObject({
      status: "new",
      continuesId: ref.id,
      clientFirstName: "Robert",
      clientLastName: "Other",
      clientExternalId: payload.client.id,
      accloudClientExternalId: null,
      submissionCount: 1,
    });
    expect(next.requestId).not.toBe(ref.requestId);
    expect(
      await db()
        .select({ id: referralFiles.id })
        .from(referralFiles)
        .where(eq(referralFiles.referralRequestId, next.id)),
    ).toHaveLength(1);
    expect((await auditOf(ref.id, "referral.continued_as_new_client"))[0]!.details).toMatchObject({
      newReferralId: next.id,
      submission: 2,
    });
    expect((await auditOf(next.id, "referral.continues_as_new_client"))[0]!.details).toMatchObject({
      continuesId: ref.id,
      ownClientExternalId: false,
    });

    await approveAndSend(next, payload);
    const state = await env.sbx.control.state();
    const [bob] = state.clients.filter((c) => c.external_id === externalIdOf(payload));
    expect(bob!.demographics).toMatchObject({ first_name: "Robert", last_name: "Other", birthday: "1950-01-01" });
    expect(bob!.id).not.toBe(jane!.id);
    expect(state.services.find((s) => s.external_id === next.requestId)).toMatchObject({ client_id: bob!.id });
    expect(state.services.find((s) => s.external_id === ref.requestId)).toMatchObject({ client_id: jane!.id });
    expect(state.clients.filter((c) => c.external_id === externalIdOf(ref.payload))).toEqual([jane]);

    // The agency's later deliveries under the old request_id go to the new request.
    const again = await amend({ payload }, (c) => (c.phone_main = "555-999-0000"));
    expect(again.result).toMatchObject({ outcome: "amended", id: next.id, submission: 2 });
    expect((await referralRow(next.id)).differentPersonAt).toBeNull();
    expect((await referralRow(ref.id)).submissionCount).toBe(2);
    expect(
      await ingestReferralRequest(db(), {
        payload,
        files: await decodeFiles(payload.files ?? [], 50_000_000),
        actor: systemActor("test"),
      }),
    ).toMatchObject({
      outcome: "duplicate",
      id: next.id,
    });
  });

  it("the same agency client id: the new client gets an external id of its own instead of the first person's", async () => {
    const ref = await sent();
    const [jane] = await clientsWith(externalIdOf(ref.payload));
    const { payload } = await amend(ref, robert());
    expect((await auditOf(ref.id, "referral.amended"))[0]!.details.differentPerson).toEqual(["last name", "birthday"]);
    const next = await cancelAndContinue(ref);
    const own = `${externalIdOf(ref.payload)}:${next.requestId}`;
    expect(next.accloudClientExternalId).toBe(own);
    await approveAndSend(next, payload);
    const [bob] = await clientsWith(own);
    expect(bob!.demographics).toMatchObject({ first_name: "Robert", last_name: "Other", birthday: "1950-01-01" });
    expect(await clientsWith(externalIdOf(ref.payload))).toEqual([jane]);
    const [link] = await db()
      .execute<{ accloud_id: string }>(
        sql`select accloud_id from accloud_links where referral_request_id = ${next.id} and kind = 'client'`,
      )
      .then((r) => r.rows);
    expect(Number(link!.accloud_id)).toBe(bob!.id);
  });
});
