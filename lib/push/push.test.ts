import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accloudLinks, pushes, referralRequests } from "../../db/schema";
import { approveReferral, retryPush } from "../approval/approve";
import { getDb } from "../db";
import { clientExternalId } from "../form/identity";
import {
  approvalFor,
  approvalRevisionsOf,
  approveAs,
  newReferral,
  pushWorkerForFile,
  refuseNext,
  stepEndpoints,
  waitForPush,
} from "../../test/support/push";

const env = pushWorkerForFile();

async function approve(ref: Awaited<ReturnType<typeof newReferral>>, over = {}) {
  const r = await approveAs(env.actor, ref, approvalFor(ref, over));
  expect(r.status).toBe("success");
  return r;
}

describe("push to ACCloud", () => {
  it("approves the reference referral and creates client, service, authorization, referral and attachment", async () => {
    const ref = await newReferral();
    await approve(ref);
    const push = await waitForPush(ref.id);
    expect(push.status).toBe("sent");
    expect(Object.values(push.steps).map((s) => s.status)).toEqual(["done", "done", "done", "done", "done"]);

    const [row] = await getDb().select().from(referralRequests).where(eq(referralRequests.id, ref.id));
    expect(row!.status).toBe("sent");

    const state = await env.sbx.control.state();
    const ext = clientExternalId(ref.payload.agency.alayamarket_org_id, ref.payload.client.id);
    const clients = state.clients.filter((c) => c.external_id === ext);
    expect(clients).toHaveLength(1);
    const client = clients[0]!;
    expect(client).toMatchObject({ branch_id: 1000, timezone: "America/Denver" });
    expect(client.group_ids).toContain(1008);

    const services = state.services.filter((s) => s.external_id === ref.requestId);
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ client_id: client.id, service_code_id: 48 });

    const auths = state.authorizations.filter((a) => a.client_id === client.id);
    expect(auths).toHaveLength(1);
    expect(auths[0]).toMatchObject({
      rule_type: "VISITS",
      rule_monday: 1,
      rule_thursday: 1,
      rule_weekly: 2,
      rule_period: 10,
      methodology: "service",
    });

    const referrals = state.referrals.filter((r) => r.service_id === services[0]!.id);
    expect(referrals).toHaveLength(1);
    expect(referrals[0]).toMatchObject({
      status: "assigned",
      supply_persona_id: ref.payload.agency.alayamarket_org_id,
      care_type: "nursing",
      referral_type: "service",
    });
    // Local midnight in the client's zone, written with that offset: date parts equal the authorization's.
    expect(String(referrals[0]!.start_at)).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00-0[67]:00$/);

    const attachments = state.attachments.filter((a) => a.revision_group_id === referrals[0]!.revision_group_id);
    expect(attachments.map((a) => a.filename)).toEqual(["physician_order_form.png"]);

    const links = await getDb().select().from(accloudLinks).where(eq(accloudLinks.referralRequestId, ref.id));
    // One link per ACCloud entity, plus the latest referral revision (later calls use its id).
    expect(links.map((l) => (l.kind === "attachment" ? l.kind : `${l.kind}:${l.localKey}`)).sort()).toEqual([
      "attachment",
      "authorization:auth:0",
      "client:client",
      "referral:latest",
      "referral:referral",
      "service:service",
    ]);
    const audit = await getDb().execute(sql`select action from audit_events where entity_id = ${ref.id} order by id`);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual([
      "referral.received",
      "referral.approved",
      "push.started",
      "push.sent",
    ]);
  });

  it("reuses an existing ACCloud client for the same agency client, and keeps two agencies' client 1094 apart", async () => {
    const first = await newReferral({ clientId: 555001 });
    const second = await newReferral({ clientId: 555001 });
    const otherAgency = await newReferral({
      clientId: 555001,
      agencyOrgId: "3f6b2a10-7c1e-4d2b-9a55-2b1f0c9e4a11",
      agencyName: "Miami Valley Nursing",
    });
    for (const r of [first, second, otherAgency]) {
      await approve(r);
      expect((await waitForPush(r.id)).status).toBe("sent");
    }
    const state = await env.sbx.control.state();
    const gem = state.clients.filter(
      (c) => c.external_id === clientExternalId(first.payload.agency.alayamarket_org_id, 555001),
    );
    const miami = state.clients.filter(
      (c) => c.external_id === clientExternalId("3f6b2a10-7c1e-4d2b-9a55-2b1f0c9e4a11", 555001),
    );
    expect(gem).toHaveLength(1);
    expect(miami).toHaveLength(1);
    expect(gem[0]!.id).not.toBe(miami[0]!.id);
    const servicesOfGem = state.services.filter((s) => s.client_id === gem[0]!.id);
    expect(servicesOfGem.map((s) => s.external_id).sort()).toEqual([first.requestId, second.requestId].sort());
  });

  it("stops on a non-retryable answer with ACCloud's message; the reviewer's fix becomes a new revision and reaches ACCloud", async () => {
    const ref = await newReferral();
    const hours = approvalFor(ref, {
      authorizations: [
        {
          ruleType: "HOURS",
          ruleMode: "weekdays",
          weekdays: { monday: 2, thursday: 2 },
          ruleWeekly: 4,
          rulePeriod: 20,
          firstDayOfWeek: 6,
          memberNumber: "1111111",
        },
      ],
    });
    await refuseNext(env.sbx, stepEndpoints("approve").authorizations, "Rule Type HOURS is not possible for Payor 9.");
    expect((await approveAs(env.actor, ref, hours)).status).toBe("success");
    const failed = await waitForPush(ref.id);
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toContain("Rule Type HOURS is not possible for Payor 9.");
    expect(failed.steps.authorizations).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed.steps.service).toMatchObject({ status: "done" });
    const [row] = await getDb().select().from(referralRequests).where(eq(referralRequests.id, ref.id));
    expect(row!.status).toBe("push_failed");

    // The fix: visits instead of hours, three a week.
    const visits = approvalFor(ref, {
      authorizations: [
        {
          ruleType: "VISITS",
          ruleMode: "weekdays",
          weekdays: { monday: 1, wednesday: 1, friday: 1 },
          ruleWeekly: 3,
          rulePeriod: 24,
          firstDayOfWeek: 6,
          memberNumber: "1111111",
        },
      ],
    });
    const retried = await retryPush(getDb(), env.actor, {
      referralId: ref.id,
      version: row!.version,
      approval: visits,
    });
    expect(retried.status).toBe("success");
    const done = await waitForPush(ref.id);
    expect(done.status, done.lastError ?? "").toBe("sent");
    expect(done.id).not.toBe(failed.id);
    expect(done.steps.authorizations).toMatchObject({ status: "done", attempts: 2 });
    expect(done.steps.client).toMatchObject({ status: "done", attempts: 1 });

    const state = await env.sbx.control.state();
    const services = state.services.filter((s) => s.external_id === ref.requestId);
    expect(services).toHaveLength(1);
    const auths = state.authorizations.filter(
      (a) => a.client_id === services[0]!.client_id && (a.service_ids ?? []).includes(services[0]!.id),
    );
    expect(auths).toHaveLength(1);
    expect(auths[0]).toMatchObject({ rule_type: "VISITS", rule_weekly: 3, rule_wednesday: 1, rule_period: 24 });

    // The approved revision is kept as it was; the correction supersedes it and pins the same submission.
    const revs = await approvalRevisionsOf(ref.id);
    expect(revs.map((r) => [r.revision, r.kind, r.state])).toEqual([
      [1, "approve", "superseded"],
      [2, "correction", "approved"],
    ]);
    expect((revs[0]!.data as { authorizations: Array<{ ruleType: string }> }).authorizations[0]!.ruleType).toBe(
      "HOURS",
    );
    expect(revs[1]).toMatchObject({ supersedesId: revs[0]!.id, submissionId: revs[0]!.submissionId });
    const pushRows = await getDb()
      .select()
      .from(pushes)
      .where(eq(pushes.referralRequestId, ref.id))
      .orderBy(asc(pushes.createdAt));
    expect(pushRows.map((p) => [p.status, p.approvalRevisionId])).toEqual([
      ["failed", revs[0]!.id],
      ["sent", revs[1]!.id],
    ]);
  });

  it("refuses a stale version and a supplier outside the trusted network before anything is stored", async () => {
    const ref = await newReferral();
    const stale = await approveReferral(getDb(), env.actor, {
      referralId: ref.id,
      version: ref.version + 5,
      approval: approvalFor(ref),
    });
    expect(stale.status).toBe("conflict");
    const foreign = await approveAs(
      env.actor,
      ref,
      approvalFor(ref, { supplyPersonaId: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(foreign).toMatchObject({
      status: "invalid_data",
      fieldErrors: { supplyPersonaId: [expect.stringContaining("trusted network")] },
    });
    const [row] = await getDb().select().from(referralRequests).where(eq(referralRequests.id, ref.id));
    expect(row!.status).toBe("new");
    const pushesCount = await getDb().execute(
      sql`select count(*)::int as n from pushes where referral_request_id = ${ref.id}`,
    );
    expect(pushesCount.rows[0]).toEqual({ n: 0 });
  });
});
