/**
 * No PHI or free text in the audit CSV, end to end: a referral whose client is a marker is
 * delivered, approved and sent; an update carries the marker in its other reason and revision
 * comment; ACCloud answers the update's calls with messages (and an error "code" that is a
 * sentence) echoing the marker, so the push retries and then fails. The CSV of that referral,
 * through the real export, names no marker anywhere: free text is its length, and the push's
 * records keep ACCloud's status and code but never its message, which the push panel still shows
 * to those who may read the referral.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { changeApproval } from "../approval/after-sending";
import { approveReferral, getPushProgress } from "../approval/approve";
import { getDb } from "../db";
import { approvalFor, dayFromToday, newReferral, pushWorkerForFile, waitForPush } from "../../test/support/push";
import { makeActors } from "../../test/support/referrals";
import { exportAuditTrail } from "../audit-trail/export";
import { freeTextPlaceholder } from "./free-text";
import { listAuditPage, resolveFilters } from "../audit-trail/query";
import { hasScope, ROLES } from "../access/scopes";

const env = pushWorkerForFile();
const db = () => getDb();

async function textOf(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(typeof c === "string" ? c : (c as Buffer)));
  return Buffer.concat(chunks).toString("utf8");
}

describe("the audit CSV of a referral whose client, update and ACCloud's answers all carry a marker", () => {
  it("names no marker: free text by its length, ACCloud's failures by status and code; the push panel keeps ACCloud's message", async () => {
    const marker = `Zzmarker${randomBytes(5).toString("hex")}`;
    const ref = await newReferral({ client: { first_name: marker, last_name: marker } });
    const approval = approvalFor(ref);
    expect(
      (await approveReferral(db(), env.actor, { referralId: ref.id, version: ref.version, approval })).status,
    ).toBe("success");
    expect((await waitForPush(ref.id)).status).toBe("sent");

    // ACCloud busy, with the client in its words (and a sentence where a code should be), then a refusal that quotes the client.
    await env.sbx.control.addFault({
      path: "/*",
      kind: "status",
      status: 503,
      retryAfter: 1,
      body: { error: `Client ${marker} is being edited`, message: `Busy with client ${marker} ${marker}` },
      times: 1,
    });
    await env.sbx.control.addFault({
      path: "/*",
      kind: "status",
      status: 422,
      body: { code: "client_locked", message: `Cannot update: client ${marker} ${marker} (DOB 1998-05-07)` },
      times: 1,
    });
    const otherReason = `The daughter of ${marker} called`;
    const revisionComment = `${marker} asked for Thursdays`;
    const row = await db().execute<{ version: number }>(
      sql`select version from referral_requests where id = ${ref.id}`,
    );
    const updated = await changeApproval(db(), env.actor, {
      referralId: ref.id,
      version: row.rows[0]!.version,
      approval: { ...approval, endDate: dayFromToday(90) },
      reasons: { reasonCodes: ["authorization_extended"], otherReason, revisionComment },
    });
    expect(updated.status, updated.message).toBe("success");
    const push = await waitForPush(ref.id, (s) => s === "failed");
    expect(push.kind).toBe("update");

    // The push panel (referral:read) still has ACCloud's message.
    const { supervisor } = await makeActors();
    const panel = await getPushProgress(db(), supervisor, ref.id);
    expect(panel?.push?.lastError).toContain(`Cannot update: client ${marker}`);

    // The push's records keep no ACCloud message at all: status, code and the call only.
    const records = await db().execute<{ action: string; details: Record<string, unknown> }>(
      sql`select action, details from audit_events where entity_id = ${ref.id} and action in ('push.retrying', 'push.failed') order by id`,
    );
    expect(records.rows.map((r) => r.action)).toEqual(["push.retrying", "push.failed"]);
    expect(JSON.stringify(records.rows)).not.toContain(marker);
    expect(records.rows[0]!.details).toMatchObject({ failure: "http", accloudStatus: 503, kind: "update" });
    expect(records.rows[0]!.details).not.toHaveProperty("accloudCode");
    expect(records.rows[1]!.details).toMatchObject({
      failure: "http",
      accloudStatus: 422,
      accloudCode: "client_locked",
      kind: "update",
    });

    // The CSV, through the real export (audited as such).
    const csv = await textOf(await exportAuditTrail(db(), supervisor, { referral: ref.id }));
    expect(csv).not.toContain(marker);
    expect(csv.toLowerCase()).not.toContain(marker.toLowerCase());
    expect(csv).toContain(`Other reason: ${freeTextPlaceholder(otherReason)}`);
    expect(csv).toContain(`Revision comment: ${freeTextPlaceholder(revisionComment)}`);
    expect(csv).toContain(`another reason ${freeTextPlaceholder(otherReason)}`);
    expect(csv).toContain("ACCloud answered 422, code ‘client_locked’");
    for (const action of [
      "referral.received",
      "referral.approved",
      "push.sent",
      "referral.update_requested",
      "push.retrying",
      "push.failed",
    ])
      expect(csv, action).toContain(`,${action},`);

    // The trail's page: the reviewer's words for roles that may read referrals, their length for the others; ACCloud's for nobody.
    const actors = await makeActors();
    const resolved = await resolveFilters(db(), { referral: ref.id });
    for (const role of ROLES.filter((r) => hasScope(r, "audit:read"))) {
      const page = JSON.stringify((await listAuditPage(db(), actors[role], resolved, {})).rows);
      if (hasScope(role, "referral:read")) expect(page, role).toContain(otherReason);
      else expect(page, role).not.toContain(marker);
      expect(page, role).not.toContain("Cannot update");
    }
  });
});
