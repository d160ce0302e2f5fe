/**
 * Every page, route handler and server action × role, through the real code: the session
 * comes from the database (only Auth.js's cookie decoding is replaced), so a page's check
 * never stands in for an action's.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/access/scopes";
import type { Actor } from "@/lib/access/actors";
import { closeDb, getDb } from "@/lib/db";
import { makeActors, makeReferral, makeUser } from "@/test/support/referrals";
import { newApiClient } from "@/test/support/fixtures";

process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

let current: Actor | null = null;
// Only the cookie decoding is replaced; the session itself is checked in the database.
vi.mock("@/lib/auth/session-token", () => ({ readSessionId: vi.fn(async () => current?.sessionId ?? null) }));
vi.mock("@/lib/auth/index", () => ({ auth: vi.fn(), signIn: vi.fn(), signOut: vi.fn(), handlers: {} }));
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-csi-path": "/queue" }),
  cookies: async () => ({
    get: (k: string) => (jar.has(k) ? { name: k, value: jar.get(k) } : undefined),
    set: (k: string, v: string) => void jar.set(k, v),
    delete: (k: string) => void jar.delete(k),
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { default: QueuePage } = await import("./(app)/queue/page");
const { default: ReferralLayout } = await import("./(app)/referrals/[id]/layout");
const { default: ReferralPage } = await import("./(app)/referrals/[id]/page");
const { default: AuditPage } = await import("./(app)/audit/page");
const { default: AdminPage } = await import("./(app)/admin/page");
const { default: DashboardPage } = await import("./(app)/dashboard/page");
const { default: ReviewsPage } = await import("./(app)/reviews/page");
const { default: PreferencesPage } = await import("./(app)/preferences/page");
const { default: OutboxPage } = await import("./(app)/admin/outbox/page");
const reviewActions = await import("./(app)/reviews/actions");
const preferenceActions = await import("./(app)/preferences/actions");
const { GET: auditExport } = await import("./api/audit/export/route");
const queueActions = await import("./(app)/queue/actions");
const decisionActions = await import("./(app)/referrals/[id]/actions");
const adminActions = await import("./(app)/admin/actions");
const approvalActions = await import("./(app)/referrals/[id]/approval-actions");
const { GET: pushRoute } = await import("./api/referrals/[id]/push/route");
const { GET: draftRoute } = await import("./api/referrals/[id]/draft/route");
const { GET: queueUpdates } = await import("./api/queue/updates/route");
const { GET: fileRoute } = await import("./api/referrals/[id]/files/[fileId]/route");
const { POST: activity } = await import("./api/session/activity/route");

const ROLES: Role[] = ["reviewer", "supervisor", "admin"];
/** Who reads referrals (referral:read): not administrators, who read no PHI. */
const READERS: Role[] = ["reviewer", "supervisor"];
let actors: Record<Role, Actor>;
const db = () => getDb();

beforeAll(async () => {
  actors = await makeActors();
});
afterAll(async () => {
  await closeDb();
});

const as = (role: Role | null) => {
  current = role ? actors[role] : null;
};

/** "allowed" | "forbidden" | "redirect" | "notfound" for a page render. */
async function pageOutcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "allowed";
  } catch (e) {
    const digest = String((e as { digest?: string }).digest ?? "");
    if (digest.endsWith(";403")) return "forbidden";
    if (digest.endsWith(";404")) return "notfound";
    if (digest.startsWith("NEXT_REDIRECT")) return "redirect";
    throw e;
  }
}

describe("pages × role", () => {
  const sp = (q: Record<string, string> = {}) => ({ searchParams: Promise.resolve(q) });
  const pages: Array<{ name: string; allowed: Role[]; run: (referralId: string) => Promise<unknown> }> = [
    { name: "/queue", allowed: READERS, run: () => QueuePage(sp()) },
    {
      name: "/referrals/[id]",
      allowed: READERS,
      run: async (id) => {
        await ReferralLayout({ children: null, params: Promise.resolve({ id }) });
        return ReferralPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) });
      },
    },
    { name: "/audit", allowed: ["supervisor", "admin"], run: () => AuditPage(sp()) },
    { name: "/admin", allowed: ["admin"], run: () => AdminPage() },
    { name: "/dashboard", allowed: ["supervisor", "admin"], run: () => DashboardPage(sp({ weeks: "4" })) },
    { name: "/reviews", allowed: READERS, run: () => ReviewsPage() },
    { name: "/preferences", allowed: READERS, run: () => PreferencesPage() },
    { name: "/admin/outbox", allowed: ["admin"], run: () => OutboxPage(sp()) },
  ];
  for (const p of pages) {
    it(`${p.name}: ${p.allowed.join(", ")} only; anonymous → sign-in`, async () => {
      const { id } = await makeReferral();
      for (const role of ROLES) {
        as(role);
        expect([role, await pageOutcome(() => p.run(id))]).toEqual([
          role,
          p.allowed.includes(role) ? "allowed" : "forbidden",
        ]);
      }
      as(null);
      expect(await pageOutcome(() => p.run(id))).toBe("redirect");
    });
  }

  it("an unknown referral id is a 404, an ended session a redirect", async () => {
    as("reviewer");
    expect(
      await pageOutcome(() => ReferralLayout({ children: null, params: Promise.resolve({ id: randomUUID() }) })),
    ).toBe("notfound");
    expect(await pageOutcome(() => ReferralLayout({ children: null, params: Promise.resolve({ id: "nope" }) }))).toBe(
      "notfound",
    );
    await db().execute(
      sql`update user_sessions set last_seen_at = now() - interval '1 day' where id = ${actors.reviewer.sessionId}`,
    );
    expect(await pageOutcome(() => QueuePage(sp()))).toBe("redirect");
    actors.reviewer = (await makeActors()).reviewer;
  });
});

describe("route handlers × role", () => {
  it("GET /api/queue/updates: reviewers and supervisors read (polling does not extend the session); admins 403; anonymous 401; bad input 400", async () => {
    const url = `http://x/api/queue/updates?since=${encodeURIComponent("2026-01-01 00:00:00.123456+00")}`;
    for (const role of READERS) {
      as(role);
      const res = await queueUpdates(new Request(url));
      expect([role, res.status]).toEqual([role, 200]);
      expect(await res.json()).toMatchObject({ newCount: expect.any(Number), counts: { new: expect.any(Number) } });
    }
    as("admin");
    const refused = await queueUpdates(new Request(url));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: "forbidden",
      message: "Forbidden: this needs the referral:read scope",
    });
    as("reviewer");
    expect((await queueUpdates(new Request("http://x/api/queue/updates?since=yesterday"))).status).toBe(400);
    as(null);
    const anon = await queueUpdates(new Request(url));
    expect(anon.status).toBe(401);
  });

  it("GET /api/queue/updates with rows=: the rows on screen as they are now (another reviewer's claim shows in place)", async () => {
    const { id } = await makeReferral();
    const other = await makeUser("reviewer");
    const { claimReferral } = await import("@/lib/workflow/decisions");
    as("reviewer");
    const url = `http://x/api/queue/updates?since=${encodeURIComponent("2999-01-01 00:00:00+00")}&rows=${id},not-an-id`;
    const before = (await (await queueUpdates(new Request(url))).json()) as {
      rows: Array<{ id: string; version: number; action: string | null }>;
    };
    expect(before.rows).toEqual([expect.objectContaining({ id, version: 1, action: "claim" })]);
    expect((await claimReferral(db(), other, id)).status).toBe("success");
    const after = (await (await queueUpdates(new Request(url))).json()) as {
      rows: Array<{
        id: string;
        version: number;
        action: string | null;
        assignee: { text: string };
        status: { key: string };
      }>;
    };
    expect(after.rows).toEqual([
      expect.objectContaining({
        id,
        version: 2,
        action: null,
        assignee: { text: other.name, strong: true },
        status: expect.objectContaining({ key: "in_review" }),
      }),
    ]);
  });

  it("GET /api/referrals/[id]/files/[fileId]: reviewers and supervisors read, audited; admins 403; anonymous 401; unknown 404; downloads are attachments", async () => {
    const { id } = await makeReferral();
    const file = (
      await db().execute<{ id: string }>(sql`select id from referral_files where referral_request_id = ${id}`)
    ).rows[0]!;
    const ctx = (fileId: string) => ({ params: Promise.resolve({ id, fileId }) });
    as("admin");
    expect((await fileRoute(new Request(`http://x/api/referrals/${id}/files/${file.id}`), ctx(file.id))).status).toBe(
      403,
    );
    for (const role of READERS) {
      as(role);
      const res = await fileRoute(new Request(`http://x/api/referrals/${id}/files/${file.id}`), ctx(file.id));
      expect([role, res.status, res.headers.get("content-type")]).toEqual([role, 200, "image/png"]);
      expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="physician_order_form\.png"$/);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
    }
    as("reviewer");
    const dl = await fileRoute(new Request(`http://x/api/referrals/${id}/files/${file.id}?download=1`), ctx(file.id));
    expect(dl.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect((await fileRoute(new Request("http://x"), ctx(randomUUID()))).status).toBe(404);
    // This test's referral, read by this test's users: one record per read, naming who read it.
    const views = await db().execute<{ actor_id: string; action: string }>(
      sql`select actor_id, action from audit_events where entity_id = ${id} and action in ('referral.file_viewed', 'referral.file_downloaded') order by id`,
    );
    expect(views.rows).toEqual([
      ...READERS.map((role) => ({ actor_id: actors[role].id, action: "referral.file_viewed" })),
      { actor_id: actors.reviewer.id, action: "referral.file_downloaded" },
    ]);
    as(null);
    expect((await fileRoute(new Request("http://x"), ctx(file.id))).status).toBe(401);
  });

  it("GET /api/referrals/[id]/push: reviewers and supervisors read the progress; admins 403; anonymous 401; unknown 404", async () => {
    const { id } = await makeReferral();
    const ctx = (rid: string) => ({ params: Promise.resolve({ id: rid }) });
    as("admin");
    expect((await pushRoute(new Request("http://x"), ctx(id))).status).toBe(403);
    for (const role of READERS) {
      as(role);
      const res = await pushRoute(new Request("http://x"), ctx(id));
      expect([role, res.status]).toEqual([role, 200]);
      expect(await res.json()).toMatchObject({ referralStatus: "new", push: null });
    }
    as("reviewer");
    expect((await pushRoute(new Request("http://x"), ctx(randomUUID()))).status).toBe(404);
    as(null);
    expect((await pushRoute(new Request("http://x"), ctx(id))).status).toBe(401);
  });

  it("GET /api/referrals/[id]/draft: reviewers and supervisors read the draft with its sources, audited as a view; admins 403; anonymous 401; unknown 404", async () => {
    const { id } = await makeReferral();
    const ctx = (rid: string) => ({ params: Promise.resolve({ id: rid }) });
    as("admin");
    expect((await draftRoute(new Request("http://x"), ctx(id))).status).toBe(403);
    for (const role of READERS) {
      as(role);
      const res = await draftRoute(new Request("http://x"), ctx(id));
      expect([role, res.status, res.headers.get("cache-control")]).toEqual([role, 200, "private, no-store"]);
      const draft = await res.json();
      expect(Object.keys(draft)).toEqual(
        expect.arrayContaining(["complete", "missing", "service", "authorizations", "case_manager", "duplicates"]),
      );
      expect(draft.service.start_date).toEqual({
        value: "2023-05-31",
        source: { kind: "form", label: "Service start date", text: "the form's ‘Service start date’: 2023-05-31" },
      });
      expect(draft.authorizations[0].rule_weekly).toMatchObject({
        value: 2,
        source: { kind: "form", label: "Service frequency" },
      });
      expect(draft.authorizations[0].rule_monday).toBeNull();
    }
    as("reviewer");
    expect((await draftRoute(new Request("http://x"), ctx(randomUUID()))).status).toBe(404);
    expect((await draftRoute(new Request("http://x"), ctx("not-a-uuid"))).status).toBe(404);
    const views = await db().execute<{ actor_id: string; details: unknown }>(
      sql`select actor_id, details from audit_events where entity_id = ${id} and action = 'referral.viewed' order by id`,
    );
    expect(views.rows).toEqual(READERS.map((role) => ({ actor_id: actors[role].id, details: { view: "draft" } })));
    as(null);
    expect((await draftRoute(new Request("http://x"), ctx(id))).status).toBe(401);
  });

  it("GET /api/audit/export: supervisors and admins get a CSV attachment, audited; reviewers 403 naming the scope; anonymous 401; a bad filter 400 naming it", async () => {
    const { id } = await makeReferral();
    const url = `http://x/api/audit/export?referral=${id}&action=intake`;
    for (const role of ["supervisor", "admin"] as const) {
      as(role);
      const res = await auditExport(new Request(url));
      expect([role, res.status, res.headers.get("content-type")]).toEqual([role, 200, "text/csv; charset=utf-8"]);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{8}-\d{4}\.csv"$/);
      const lines = (await res.text()).trim().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(",referral.received,Intake,");
    }
    const exported = await db().execute<{ actor_id: string; details: unknown }>(
      sql`select actor_id, details from audit_events where action = 'audit.exported' and details -> 'filters' ->> 'referral' = ${id} order by id`,
    );
    expect(exported.rows).toEqual([
      { actor_id: actors.supervisor.id, details: { filters: { referral: id, action: "intake" } } },
      { actor_id: actors.admin.id, details: { filters: { referral: id, action: "intake" } } },
    ]);
    as("reviewer");
    const refused = await auditExport(new Request(url));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: "forbidden",
      message: "Forbidden: this needs the audit:read scope",
    });
    as("supervisor");
    const bad = await auditExport(new Request("http://x/api/audit/export?from=last-week"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: "bad_request",
      issues: [{ path: "from", message: "Enter a date as YYYY-MM-DD" }],
    });
    as(null);
    expect((await auditExport(new Request(url))).status).toBe(401);
  });

  it("opening /audit is audited with its filters", async () => {
    as("supervisor");
    const { id } = await makeReferral();
    await AuditPage({ searchParams: Promise.resolve({ referral: id, user: actors.reviewer.email }) });
    const viewed = await db().execute<{ details: unknown }>(
      sql`select details from audit_events where action = 'audit.viewed' and actor_id = ${actors.supervisor.id} order by id desc limit 1`,
    );
    expect(viewed.rows[0]!.details).toEqual({ filters: { referral: id, user: actors.reviewer.email } });
  });

  it("POST /api/session/activity: any signed-in role; anonymous 401", async () => {
    const heartbeat = () => new Request("http://localhost/api/session/activity", { method: "POST" });
    for (const role of ROLES) {
      as(role);
      expect((await activity(heartbeat())).status).toBe(204);
    }
    as(null);
    expect((await activity(heartbeat())).status).toBe(401);
  });
});

/** A fresh referral with an approval drawn for a second review (verdict given: already recorded). */
async function drawnReview(approvedById: string, verdict: "agree" | "disagree" | null = null): Promise<string> {
  const { id } = await makeReferral();
  const r = await db().execute<{ id: string }>(sql`
    with rev as (insert into approval_revisions (referral_request_id, revision, state, data, approved_by_id, approved_at) values (${id}, 1, 'approved', '{}', ${approvedById}, now()) returning id)
    insert into second_reviews (referral_request_id, approval_revision_id, approved_by_id, sample_percent, verdict, note, reviewed_at)
    select ${id}, rev.id, ${approvedById}, 10, ${verdict}::second_review_verdict, ${verdict ? "Not covered by the order" : null}, ${verdict ? sql`now()` : null} from rev returning id`);
  return r.rows[0]!.id;
}
const recordSecondReviewAction = async (verdict: "agree") =>
  reviewActions.recordSecondReviewAction({
    reviewId: await drawnReview((await makeActors()).reviewer.id),
    verdict,
    note: "",
  });
const overdueOn = async (role: Role) => {
  const r = await db().execute<{ enabled: boolean }>(
    sql`select enabled from notification_preferences where user_id = ${actors[role].id} and event = 'overdue'`,
  );
  return r.rows[0]?.enabled ?? true;
};

describe("server actions × role", () => {
  /** success: the message an allowed role gets (undefined when the action says nothing). */
  type Case = {
    name: string;
    allowed: Role[];
    scope: string;
    success: (role: Role) => unknown;
    run: (role: Role) => Promise<{ status: string; message?: string }>;
  };
  const fresh = async () => (await makeReferral()).id;
  const cases: Case[] = [
    {
      name: "claimReferralAction",
      allowed: ["reviewer"],
      scope: "referral:claim",
      success: () => "Claimed.",
      run: async () => queueActions.claimReferralAction({ referralId: await fresh() }),
    },
    {
      name: "unassignReferralAction",
      allowed: READERS,
      scope: "referral:read",
      // The reviewer releases the claim it just made; the others find the fresh referral unassigned.
      success: (role) => (role === "reviewer" ? "Unassigned." : "Already unassigned."),
      run: async (role) => {
        const id = await fresh();
        if (role === "reviewer") await queueActions.claimReferralAction({ referralId: id });
        return queueActions.unassignReferralAction({ referralId: id });
      },
    },
    {
      name: "bulkAssignAction",
      allowed: ["supervisor"],
      scope: "referral:assign",
      success: () => "Assigned 1 request.",
      run: async () => queueActions.bulkAssignAction({ ids: [await fresh()], assigneeId: actors.reviewer.id }),
    },
    {
      name: "setNameSearchAction",
      allowed: READERS,
      scope: "referral:read",
      success: () => undefined,
      run: async () => queueActions.setNameSearchAction({ q: "smi" }),
    },
    {
      name: "rejectReferralAction",
      allowed: ["reviewer"],
      scope: "referral:decide",
      success: () => "Rejected.",
      run: async () =>
        decisionActions.rejectReferralAction({
          referralId: await fresh(),
          version: 1,
          reasonCode: "duplicate",
          comment: "Same as another one",
        }),
    },
    {
      name: "pendingInfoAction",
      allowed: ["reviewer"],
      scope: "referral:decide",
      success: () => "Marked as pending information; the SLA clock is paused.",
      run: async () =>
        decisionActions.pendingInfoAction({ referralId: await fresh(), version: 1, note: "Need the order" }),
    },
    {
      name: "reopenReferralAction",
      allowed: ["reviewer"],
      scope: "referral:decide",
      success: () => "Reopened.",
      run: async () => {
        const id = await fresh();
        await db().execute(sql`update referral_requests set status = 'rejected', version = 2 where id = ${id}`);
        return decisionActions.reopenReferralAction({ referralId: id, version: 2 });
      },
    },
    {
      name: "addUserAction",
      allowed: ["admin"],
      scope: "admin:users",
      success: () => expect.stringMatching(/^Added new-[0-9a-f]{6}@test\.example\.$/),
      run: async () =>
        adminActions.addUserAction({
          email: `new-${randomUUID().slice(0, 6)}@test.example`,
          name: "New Person",
          role: "reviewer",
          password: "",
        }),
    },
    {
      name: "setUserRoleAction",
      allowed: ["admin"],
      scope: "admin:users",
      success: () => expect.stringMatching(/ is now supervisor\.$/),
      run: async () => adminActions.setUserRoleAction({ userId: (await makeActors()).reviewer.id, role: "supervisor" }),
    },
    {
      name: "setUserDisabledAction",
      allowed: ["admin"],
      scope: "admin:users",
      success: () => expect.stringMatching(/ disabled\.$/),
      run: async () => adminActions.setUserDisabledAction({ userId: (await makeActors()).reviewer.id, disabled: true }),
    },
    {
      name: "unlockUserAction",
      allowed: ["admin"],
      scope: "admin:users",
      success: () => expect.stringMatching(/ unlocked\.$/),
      run: async () => adminActions.unlockUserAction({ userId: (await makeActors()).reviewer.id }),
    },
    {
      name: "addReasonAction",
      allowed: ["admin"],
      scope: "admin:settings",
      success: () => "Added “A new reason”.",
      run: async () => adminActions.addReasonAction({ code: `r_${randomUUID().slice(0, 6)}`, label: "A new reason" }),
    },
    {
      name: "setReasonActiveAction",
      allowed: ["admin"],
      scope: "admin:settings",
      success: () => "Reason enabled.",
      run: async () => adminActions.setReasonActiveAction({ code: "duplicate", active: true }),
    },
    {
      name: "saveApprovalDraftAction",
      allowed: ["reviewer"],
      scope: "referral:decide",
      success: () => "Draft saved.",
      run: async () =>
        approvalActions.saveApprovalDraftAction({
          referralId: await fresh(),
          version: 1,
          approval: { careType: "nursing", startDate: "" },
        }),
    },
    {
      name: "recordSecondReviewAction",
      allowed: ["supervisor"],
      scope: "review:second",
      success: () => "Recorded: you agree with this approval.",
      run: async () => recordSecondReviewAction("agree"),
    },
    {
      name: "acknowledgeDisagreementAction",
      allowed: READERS,
      scope: "referral:read",
      // Each role acknowledges a disagreement with an approval recorded as its own.
      success: () => "Marked as read.",
      run: async (role) =>
        reviewActions.acknowledgeDisagreementAction({ reviewId: await drawnReview(actors[role].id, "disagree") }),
    },
    {
      name: "setPreferencesAction",
      allowed: READERS,
      scope: "referral:read",
      success: () => "Saved.",
      run: async (role) => preferenceActions.setPreferencesAction({ prefs: { overdue: !(await overdueOn(role)) } }),
    },
    {
      name: "createApiClientAction",
      allowed: ["admin"],
      scope: "admin:api_clients",
      success: () => "Created “Matrix client”. Copy the secret now: it is not shown again.",
      run: async () => adminActions.createApiClientAction({ name: "Matrix client", signed: true }),
    },
    {
      name: "rotateApiClientAction",
      allowed: ["admin"],
      scope: "admin:api_clients",
      success: () =>
        expect.stringMatching(
          /^New signing secret for csi_ak_[0-9a-f]+\. The previous one is accepted for 60 more minutes\.$/,
        ),
      run: async () =>
        adminActions.rotateApiClientAction({
          id: (await newApiClient({ signed: true })).id,
          which: "signing",
          overlapMinutes: 60,
        }),
    },
    {
      name: "revokeApiClientAction",
      allowed: ["admin"],
      scope: "admin:api_clients",
      success: () => "Revoked: its deliveries are refused within 5 seconds.",
      run: async () => adminActions.revokeApiClientAction({ id: (await newApiClient()).id }),
    },
    {
      name: "setSecondReviewPercentAction",
      allowed: ["admin"],
      scope: "admin:settings",
      success: () => "10% of approvals are now drawn for a second review.",
      run: async () => adminActions.setSecondReviewPercentAction({ percent: 10 }),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.allowed.join(", ")} only; others get forbidden naming the scope; anonymous forbidden`, async () => {
      for (const role of ROLES) {
        as(role);
        const res = await c.run(role);
        if (c.allowed.includes(role)) {
          expect([role, res.status, res.message]).toEqual([role, "success", c.success(role)]);
        } else {
          expect([role, res.status, res.message]).toEqual([
            role,
            "forbidden",
            `Forbidden: this needs the ${c.scope} scope.`,
          ]);
        }
      }
      as(null);
      const anon = await c.run("reviewer");
      expect(anon).toMatchObject({ status: "forbidden", message: expect.stringContaining("Sign in") });
    });
  }

  // Approving and retrying go on to ACCloud's reference data and the job queue: here only who is let through matters.
  it("approveReferralAction, retryPushAction: only a reviewer gets past the scope checks; anonymous forbidden", async () => {
    const runs = {
      approve: async () =>
        approvalActions.approveReferralAction({ referralId: await fresh(), version: 1, approval: {} }),
      retry: async () => approvalActions.retryPushAction({ referralId: await fresh(), version: 1 }),
    };
    for (const [name, run] of Object.entries(runs)) {
      for (const role of ROLES) {
        as(role);
        const res = await run();
        if (role === "reviewer")
          expect([name, res.status]).toEqual([name, name === "approve" ? "invalid_data" : "conflict"]);
        else
          expect([name, role, res.status, res.message]).toEqual([
            name,
            role,
            "forbidden",
            expect.stringContaining("referral:decide"),
          ]);
      }
      as(null);
      expect(await run()).toMatchObject({ status: "forbidden", message: expect.stringContaining("Sign in") });
    }
  });

  it("refreshReferenceDataAction: admins only", async () => {
    for (const role of ["reviewer", "supervisor"] as const) {
      as(role);
      expect(await adminActions.refreshReferenceDataAction()).toMatchObject({
        status: "forbidden",
        message: expect.stringContaining("admin:settings"),
      });
    }
    as(null);
    expect((await adminActions.refreshReferenceDataAction()).status).toBe("forbidden");
  });

  it("saveApprovalDraftAction validates the draft (a JSON object) after authorization", async () => {
    as("reviewer");
    const res = await approvalActions.saveApprovalDraftAction({
      referralId: await fresh(),
      version: 1,
      approval: "not an object",
    });
    expect(res.status).toBe("invalid_data");
  });

  it("validates input after authorization (invalid_data with field errors)", async () => {
    as("reviewer");
    const res = await decisionActions.rejectReferralAction({
      referralId: "nope",
      version: 0,
      reasonCode: "",
      comment: "",
    });
    expect(res.status).toBe("invalid_data");
    expect(Object.keys(("fieldErrors" in res && res.fieldErrors) || {}).sort()).toEqual([
      "comment",
      "reasonCode",
      "referralId",
      "version",
    ]);
  });
});
