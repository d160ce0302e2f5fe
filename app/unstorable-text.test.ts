/**
 * Text PostgreSQL cannot store (a NUL, a lone UTF-16 surrogate) is bad input, the same on every
 * try: each server action's free-text field and the documents upload's file name answer "invalid
 * data" naming the field (a 422 for the route), never a 503 or "try again", and nothing is stored.
 * Through the real actions and route (only Auth.js's cookie decoding is replaced, as in
 * authorization.test.ts); the session and every write are real.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/access/scopes";
import type { Actor } from "@/lib/access/actors";
import { closeDb, getDb } from "@/lib/db";
import { approvalInput } from "@/test/support/fixtures";
import { auditActions, makeActors, makeReferral, rowOf } from "@/test/support/referrals";

let current: Actor | null = null;
vi.mock("@/lib/auth/session-token", () => ({ readSessionId: vi.fn(async () => current?.sessionId ?? null) }));
vi.mock("@/lib/auth/index", () => ({ auth: vi.fn(), signIn: vi.fn(), signOut: vi.fn(), handlers: {} }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-csi-path": "/queue" }),
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const decisionActions = await import("./(app)/referrals/[id]/actions");
const approvalActions = await import("./(app)/referrals/[id]/approval-actions");
const adminActions = await import("./(app)/admin/actions");
const reviewActions = await import("./(app)/reviews/actions");
const queueActions = await import("./(app)/queue/actions");
const { runAction } = await import("@/lib/auth/action");
const { POST: documentsRoute } = await import("./api/referrals/[id]/documents/route");

let actors: Record<Role, Actor>;
const db = () => getDb();
const as = (role: Role) => (current = actors[role]);

beforeAll(async () => {
  actors = await makeActors();
});
afterAll(async () => {
  await closeDb();
});

const BAD = [
  ["a NUL", "Same as\u0000another one", /NUL character/],
  ["a lone surrogate", "Same as \ud800another one", /unpaired UTF-16 surrogate/],
] as const;

describe("server actions: free text PostgreSQL cannot store", () => {
  for (const [what, text, message] of BAD) {
    it(`reject, pending information: ${what} in the comment or note is invalid data naming the field; the request is unchanged`, async () => {
      as("reviewer");
      const { id } = await makeReferral();
      const before = await rowOf(id);
      const r = await decisionActions.rejectReferralAction({
        referralId: id,
        version: 1,
        reasonCode: "duplicate",
        comment: text,
      });
      expect(r).toMatchObject({
        status: "invalid_data",
        fieldErrors: { comment: [expect.stringMatching(/^The comment /)] },
      });
      expect((r as { fieldErrors: Record<string, string[]> }).fieldErrors.comment![0]).toMatch(message);
      const p = await decisionActions.pendingInfoAction({ referralId: id, version: 1, note: text });
      expect(p).toMatchObject({ status: "invalid_data", fieldErrors: { note: [expect.stringMatching(message)] } });
      expect(await rowOf(id)).toMatchObject({
        status: before.status,
        version: before.version,
        decision_comment: null,
        pending_info_note: null,
      });
      expect((await auditActions(id)).filter((a) => a !== "referral.received")).toEqual([]);
    });

    it(`approve and save draft: ${what} in the editor's text is invalid data at the editor's field; nothing is stored`, async () => {
      as("reviewer");
      const { id, orgId } = await makeReferral();
      const approval = approvalInput({ supplyPersonaId: orgId, caseManager: { name: text }, comment: text });
      const r = await approvalActions.approveReferralAction({ referralId: id, version: 1, approval });
      expect(r.status).toBe("invalid_data");
      const errors = (r as { fieldErrors: Record<string, string[]> }).fieldErrors;
      expect(errors["caseManager.name"]).toEqual([expect.stringMatching(message)]);
      expect(errors.comment).toEqual([expect.stringMatching(message)]);
      const d = await approvalActions.saveApprovalDraftAction({
        referralId: id,
        version: 1,
        approval: { comment: text, authorizations: [{ notes: text }] },
      });
      expect(d).toMatchObject({
        status: "invalid_data",
        fieldErrors: { comment: [expect.stringMatching(message)], "authorizations.0.notes": [expect.any(String)] },
      });
      const revisions = await db().execute(sql`select 1 from approval_revisions where referral_request_id = ${id}`);
      expect(revisions.rows).toEqual([]);
      expect(await rowOf(id)).toMatchObject({ status: "new", version: 1 });
    });

    it(`admin forms, the name search and the second review: ${what} in a name, label or note is invalid data naming the field`, async () => {
      as("admin");
      const email = `nul-${randomUUID().slice(0, 8)}@test.example`;
      expect(await adminActions.addUserAction({ email, name: text, role: "reviewer", password: "" })).toMatchObject({
        status: "invalid_data",
        fieldErrors: { name: [expect.stringMatching(message)] },
      });
      expect((await db().execute(sql`select 1 from users where email = ${email}`)).rows).toEqual([]);
      const code = `nul_${randomUUID().slice(0, 6).replace(/-/g, "")}`;
      expect(await adminActions.addReasonAction({ kind: "rejection", code, label: text })).toMatchObject({
        status: "invalid_data",
        fieldErrors: { label: [expect.stringMatching(message)] },
      });
      expect((await db().execute(sql`select 1 from decision_reasons where code = ${code}`)).rows).toEqual([]);
      as("reviewer");
      expect(await queueActions.setNameSearchAction({ q: text })).toMatchObject({
        status: "invalid_data",
        fieldErrors: { q: [expect.stringMatching(message)] },
      });
      as("supervisor");
      expect(
        await reviewActions.recordSecondReviewAction({ reviewId: randomUUID(), verdict: "disagree", note: text }),
      ).toMatchObject({
        status: "invalid_data",
        fieldErrors: { note: [expect.stringMatching(message)] },
      });
    });
  }

  it("a value PostgreSQL itself refuses (past the schemas) is invalid data, not a failure to try again", async () => {
    as("reviewer");
    const r = await runAction("probe", "referral:read", z.object({}), {}, async () => {
      await db().execute(sql`select ${"a\u0000b"}::text`);
      return { status: "success" as const };
    });
    expect(r).toMatchObject({
      status: "invalid_data",
      fieldErrors: { _form: [expect.not.stringMatching(/try again/i)] },
    });
  });
});

describe("POST /api/referrals/{id}/documents: the file name", () => {
  const post = (id: string, name: string) => {
    const form = new FormData();
    form.set("version", "1");
    form.set("file", new File([Buffer.from("%PDF-1.4 test")], name, { type: "application/pdf" }));
    return documentsRoute(
      new Request(`http://localhost/api/referrals/${id}/documents`, { method: "POST", body: form }),
      {
        params: Promise.resolve({ id }),
      },
    );
  };

  it("a NUL in the file name is a 422 naming the file, without Retry-After, and nothing is stored", async () => {
    as("reviewer");
    const { id } = await makeReferral();
    // Sent, so the upload would reach the database (where a NUL used to fail every try as a 503).
    await db().execute(sql`update referral_requests set status = 'sent' where id = ${id}`);
    const res = await post(id, "order\u0000form.pdf");
    expect(res.status).toBe(422);
    expect(res.headers.get("retry-after")).toBeNull();
    expect(await res.json()).toMatchObject({
      error: "invalid_data",
      issues: [{ path: "file", message: expect.stringMatching(/^The file name .*NUL/) }],
    });
    expect(
      (
        await db().execute(
          sql`select 1 from referral_files where referral_request_id = ${id} and submission_id is null`,
        )
      ).rows,
    ).toEqual([]);
  });

  it("the service refuses a lone surrogate in the name the same way (a multipart body cannot carry one)", async () => {
    const { sendDocuments } = await import("@/lib/approval/after-sending");
    const { id } = await makeReferral();
    const r = await sendDocuments(db(), actors.reviewer, {
      referralId: id,
      version: 1,
      upload: { name: "order\ud800.pdf", data: Buffer.from("%PDF-1.4") },
    });
    expect(r).toMatchObject({ status: "invalid_data", fieldErrors: { file: [expect.stringMatching(/surrogate/)] } });
  });
});
