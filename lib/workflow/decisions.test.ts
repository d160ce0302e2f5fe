import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../access/scopes";
import type { Actor } from "../access/actors";
import { closeDb, getDb } from "../db";
import { getReferralDetail, getReferralFile } from "../referrals/detail";
import { auditActions, makeActors, makeReferral, makeUser, rowOf } from "../../test/support/referrals";
import {
  assignReferrals,
  claimReferral,
  rejectReferral,
  reopenReferral,
  requestPendingInfo,
  unassignReferral,
  type ConflictData,
} from "./decisions";

const db = () => getDb();
let actors: Record<Role, Actor>;
let reviewer2: Actor;
beforeAll(async () => {
  actors = await makeActors();
  reviewer2 = await makeUser("reviewer");
});
afterAll(async () => {
  await closeDb();
});

/** `actor` rejects the referral at `version` (by default as a duplicate). */
const reject = (actor: Actor, referralId: string, version: number, reasonCode = "duplicate", comment = "dup") =>
  rejectReferral(db(), actor, { referralId, version, reasonCode, comment });

describe("decisions", () => {
  it("pending information pauses the SLA; reopen moves the due time by the pause; reject records reason and comment", async () => {
    const { id } = await makeReferral();
    const before = await rowOf(id);
    expect(before.version).toBe(1);
    const pending = await requestPendingInfo(db(), actors.reviewer, {
      referralId: id,
      version: 1,
      note: "Signed physician order missing",
    });
    expect(pending).toMatchObject({ status: "success", data: { version: 2 } });
    // An hour passes while paused.
    await db().execute(
      sql`update referral_requests set sla_paused_at = sla_paused_at - interval '1 hour' where id = ${id}`,
    );
    const reopened = await reopenReferral(db(), actors.reviewer, { referralId: id, version: 2 });
    expect(reopened).toMatchObject({ status: "success", data: { version: 3 } });
    const after = await rowOf(id);
    expect(after).toMatchObject({ status: "in_review", sla_paused_at: null, pending_info_note: null });
    const shift = new Date(after.sla_due_at as string).getTime() - new Date(before.sla_due_at as string).getTime();
    expect(Math.abs(shift - 3_600_000)).toBeLessThan(5_000);

    const rejected = await reject(actors.reviewer, id, 3, "not_eligible", "Outside coverage");
    expect(rejected).toMatchObject({ status: "success" });
    expect(await rowOf(id)).toMatchObject({
      status: "rejected",
      decision_reason_code: "not_eligible",
      decision_comment: "Outside coverage",
      decided_by_id: actors.reviewer.id,
      version: 4,
    });
    expect(await auditActions(id)).toEqual([
      "referral.received",
      "referral.pending_info",
      "referral.reopened",
      "referral.rejected",
    ]);
  });

  it("a stale version is a conflict carrying the current state and who changed it; nothing is written", async () => {
    const { id } = await makeReferral();
    expect(
      await requestPendingInfo(db(), reviewer2, { referralId: id, version: 1, note: "Need insurance card" }),
    ).toMatchObject({
      status: "success",
    });
    const stale = await reject(actors.reviewer, id, 1);
    if (stale.status !== "conflict") throw new Error(`expected a conflict, got ${stale.status}`);
    const data: ConflictData = stale.data;
    expect(data.current).toMatchObject({ status: "pending_info", version: 2, pendingInfoNote: "Need insurance card" });
    expect(data.lastChange).toMatchObject({ actorLabel: reviewer2.email, action: "referral.pending_info" });
    expect(await rowOf(id)).toMatchObject({ status: "pending_info", decision_reason_code: null });
  });

  it("refuses transitions the status does not allow, unknown reasons, and someone else's live claim", async () => {
    const { id } = await makeReferral();
    expect((await reopenReferral(db(), actors.reviewer, { referralId: id, version: 1 })).status).toBe("conflict");
    expect(await reject(actors.reviewer, id, 1, "no_such_reason", "x y z")).toMatchObject({
      status: "invalid_data",
    });
    expect(await claimReferral(db(), reviewer2, id)).toMatchObject({ status: "success" });
    const r = await reject(actors.reviewer, id, 2);
    expect(r).toMatchObject({ status: "conflict" });
    expect(r.message).toContain(reviewer2.name);
    expect(await claimReferral(db(), actors.reviewer, id)).toMatchObject({ status: "conflict" });
    // Once the claim lapses, another reviewer can take it.
    await db().execute(sql`update referral_requests set claimed_at = now() - interval '1 day' where id = ${id}`);
    expect(await claimReferral(db(), actors.reviewer, id)).toMatchObject({ status: "success" });
  });

  it("the DAL refuses a role without the scope, whatever the caller, naming the scope and writing nothing", async () => {
    const { id } = await makeReferral();
    expect(await reject(actors.supervisor, id, 1)).toMatchObject({
      status: "forbidden",
      scope: "referral:decide",
    });
    expect(await claimReferral(db(), actors.admin, id)).toMatchObject({ status: "forbidden", scope: "referral:claim" });
    expect(await assignReferrals(db(), actors.reviewer, { ids: [id], assigneeId: actors.reviewer.id })).toMatchObject({
      status: "forbidden",
      scope: "referral:assign",
    });
    expect(await rowOf(id)).toMatchObject({ status: "new", version: 1, assignee_id: null });
    expect(await auditActions(id)).toEqual(["referral.received"]);
  });
});

describe("assignment", () => {
  it("supervisors bulk-assign to an active reviewer (new → in review) and unassign; supervisor assignments do not lapse", async () => {
    const a = await makeReferral();
    const b = await makeReferral();
    const res = await assignReferrals(db(), actors.supervisor, { ids: [a.id, b.id], assigneeId: reviewer2.id });
    expect(res).toMatchObject({ status: "success", data: { assigned: 2, skipped: 0 } });
    await db().execute(sql`update referral_requests set claimed_at = now() - interval '1 day' where id = ${a.id}`);
    // reviewer 1 cannot take it: the supervisor's assignment does not lapse
    expect(await claimReferral(db(), actors.reviewer, a.id)).toMatchObject({ status: "conflict" });
    expect(
      await assignReferrals(db(), actors.supervisor, { ids: [a.id], assigneeId: actors.supervisor.id }),
    ).toMatchObject({ status: "invalid_data" });
    expect(await unassignReferral(db(), actors.supervisor, a.id)).toMatchObject({ status: "success" });
    expect(await rowOf(a.id)).toMatchObject({ assignee_id: null, status: "in_review" });
    // A reviewer releases only their own claim.
    expect(await unassignReferral(db(), actors.reviewer, b.id)).toMatchObject({
      status: "forbidden",
      scope: "referral:assign",
    });
  });
});

describe("detail and files", () => {
  it("records every view and file read, and maps the header from the payload", async () => {
    const { id } = await makeReferral();
    const d = await getReferralDetail(db(), actors.supervisor, id);
    expect(d).toMatchObject({
      client: {
        name: "Jane Smithers",
        birthday: "1998-05-07",
        gender: "F",
        phone: "555-123-4567",
        address: "1700 Lyons Road, Dayton, OH 45458",
        timezone: "America/Denver",
      },
      agency: { name: "Gem City Home Care", branchId: 1050, timezone: "America/Denver" },
      form: { name: "CSI New Referral Request", formId: 14, createdBy: "Administrator" },
    });
    expect(d!.files).toHaveLength(1);
    expect(d!.views).not.toBeNull(); // audit:read sees the access log
    expect((await getReferralDetail(db(), actors.reviewer, id))!.views).toBeNull();
    const file = await getReferralFile(db(), actors.reviewer, {
      referralId: id,
      fileId: d!.files[0]!.id,
      disposition: "inline",
    });
    expect(file?.contentType).toBe("image/png");
    expect(
      await getReferralFile(db(), actors.reviewer, {
        referralId: id,
        fileId: "00000000-0000-4000-8000-000000000000",
        disposition: "inline",
      }),
    ).toBeNull();
    const acts = await auditActions(id);
    expect(acts.filter((a) => a === "referral.viewed")).toHaveLength(2);
    expect(acts).toContain("referral.file_viewed");
    expect(await getReferralDetail(db(), actors.reviewer, "not-a-uuid")).toBeNull();
  });
});
