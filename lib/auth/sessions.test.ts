import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { userSessions, users } from "../../db/schema";
import { closeDb, getDb } from "../db";
import { getEnv } from "../env";
import { makeUser, TEST_PASSWORD } from "../../test/support/referrals";
import { verifyCredentials } from "./credentials";
import { upsertSsoUser } from "./oidc";
import { createSession, endSession, endSessionIfIdle, resolveSession } from "./sessions";

const db = () => getDb();
afterAll(async () => {
  await closeDb();
});

async function lastSeenAgo(sessionId: string, minutes: number) {
  await db().execute(
    sql`update user_sessions set last_seen_at = now() - make_interval(mins => ${minutes}) where id = ${sessionId}`,
  );
}

describe("sessions", () => {
  it("resolve to the actor while active and record activity", async () => {
    const u = await makeUser("reviewer");
    await lastSeenAgo(u.sessionId, 2);
    const check = await resolveSession(db(), u.sessionId, { touch: true });
    expect(check).toEqual({
      ok: true,
      actor: {
        type: "user",
        id: u.id,
        email: u.email,
        name: u.name,
        role: "reviewer",
        roles: ["reviewer"],
        sessionId: u.sessionId,
      },
    });
    const [s] = await db().select().from(userSessions).where(eq(userSessions.id, u.sessionId));
    expect(Date.now() - s!.lastSeenAt.getTime()).toBeLessThan(10_000);
  });

  it("expire after SESSION_IDLE_MINUTES without activity (HIPAA automatic logoff), audited once", async () => {
    const u = await makeUser("reviewer");
    const idle = getEnv().SESSION_IDLE_MINUTES;
    await lastSeenAgo(u.sessionId, idle - 1);
    expect((await resolveSession(db(), u.sessionId, { touch: false })).ok).toBe(true);
    // Polling (touch: false) did not extend it.
    await lastSeenAgo(u.sessionId, idle + 1);
    expect(await resolveSession(db(), u.sessionId, { touch: true })).toEqual({ ok: false, reason: "idle" });
    expect(await resolveSession(db(), u.sessionId, { touch: true })).toEqual({ ok: false, reason: "idle" });
    const audits = await db().execute(
      sql`select count(*)::int as n from audit_events where action = 'auth.session_ended' and details->>'session' = ${u.sessionId}`,
    );
    expect((audits.rows[0] as { n: number }).n).toBe(1);
  });

  it("end as idle at the browser's request only when the server heard of no activity (from any tab) for SESSION_IDLE_MINUTES", async () => {
    const u = await makeUser("reviewer");
    const idle = getEnv().SESSION_IDLE_MINUTES;
    // Another tab was in use 5 minutes ago: a quiet tab's timer ran out, but the session is not idle.
    await lastSeenAgo(u.sessionId, 5);
    const refused = await endSessionIfIdle(db(), u.sessionId);
    expect(refused.ended).toBe(false);
    const left = refused.ended ? 0 : refused.remainingMs;
    // What is left of the idle time, as the server counts it (give or take this test's own seconds).
    expect(left).toBeGreaterThan((idle - 5) * 60_000 - 60_000);
    expect(left).toBeLessThanOrEqual((idle - 5) * 60_000);
    // Asking is not activity, and nothing ended.
    const [s] = await db().select().from(userSessions).where(eq(userSessions.id, u.sessionId));
    expect(Date.now() - s!.lastSeenAt.getTime()).toBeGreaterThan(4 * 60_000);
    expect(s!.endedAt).toBeNull();
    expect((await resolveSession(db(), u.sessionId, { touch: false })).ok).toBe(true);
    // Idle on the server's clock: it ends, audited as idle; asked again, it stays ended.
    await lastSeenAgo(u.sessionId, idle + 1);
    expect(await endSessionIfIdle(db(), u.sessionId)).toEqual({ ended: true, reason: "idle" });
    expect(await endSessionIfIdle(db(), u.sessionId)).toEqual({ ended: true, reason: "idle" });
    const audits = await db().execute<{ reason: string }>(
      sql`select details->>'reason' as reason from audit_events where action = 'auth.session_ended' and details->>'session' = ${u.sessionId}`,
    );
    expect(audits.rows).toEqual([{ reason: "idle" }]);
    // A session that ended otherwise says so, and no cookie-less call ends anything.
    const v = await makeUser("reviewer");
    await endSession(db(), v.sessionId, "signed_out");
    expect(await endSessionIfIdle(db(), v.sessionId)).toEqual({ ended: true, reason: "signed_out" });
    expect(await endSessionIfIdle(db(), null)).toEqual({ ended: true, reason: "missing" });
  });

  it("end at sign-out and when the user is disabled", async () => {
    const u = await makeUser("supervisor");
    await endSession(db(), u.sessionId, "signed_out");
    expect(await resolveSession(db(), u.sessionId, { touch: true })).toEqual({ ok: false, reason: "signed_out" });
    const sid = await createSession(db(), { userId: u.id, provider: "credentials", label: u.email });
    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await resolveSession(db(), sid, { touch: true })).toEqual({ ok: false, reason: "disabled" });
  });

  it("refuse unknown and malformed ids", async () => {
    expect(await resolveSession(db(), null, { touch: true })).toEqual({ ok: false, reason: "missing" });
    expect(await resolveSession(db(), "not-a-uuid", { touch: true })).toEqual({ ok: false, reason: "missing" });
    expect(await resolveSession(db(), "00000000-0000-4000-8000-000000000000", { touch: true })).toEqual({
      ok: false,
      reason: "missing",
    });
  });
});

describe("every end of a session is audited, with its reason", () => {
  const endsOf = async (sessionId: string) =>
    (
      await db().execute<{ action: string; reason: string }>(
        sql`select action, details->>'reason' as reason from audit_events where details->>'session' = ${sessionId} and action <> 'auth.signed_in' order by id`,
      )
    ).rows;

  it("sign-out through the app's Auth.js route", async () => {
    const { NextRequest } = await import("next/server");
    const { GET, POST } = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as Record<
      "GET" | "POST",
      (r: InstanceType<typeof NextRequest>) => Promise<Response>
    >;
    const { decodeSessionId } = await import("./session-token");
    const APP = "http://localhost:3999";
    const u = await makeUser("reviewer");
    const jar = new Map<string, string>();
    const take = (res: Response) =>
      res.headers
        .getSetCookie()
        .forEach((c) => jar.set(c.split("=")[0]!, c.split(";")[0]!.split("=").slice(1).join("=")));
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const csrfToken = async () => {
      const res = await GET(new NextRequest(`${APP}/api/auth/csrf`, { headers: { cookie: cookie() } }));
      take(res);
      return ((await res.json()) as { csrfToken: string }).csrfToken;
    };
    const form = async (path: string, body: Record<string, string>) => {
      const res = await POST(
        new NextRequest(`${APP}${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
          body: new URLSearchParams(body),
        }),
      );
      take(res);
      return res;
    };
    await form("/api/auth/callback/credentials", {
      csrfToken: await csrfToken(),
      email: u.email,
      password: TEST_PASSWORD,
      callbackUrl: "/queue",
    });
    const sid = await decodeSessionId(jar.get("authjs.session-token")!, "authjs.session-token");
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    await form("/api/auth/signout", { csrfToken: await csrfToken(), callbackUrl: "/sign-in" });
    expect(await endsOf(sid!)).toEqual([{ action: "auth.signed_out", reason: "signed_out" }]);
    expect(await resolveSession(db(), sid, { touch: true })).toEqual({ ok: false, reason: "signed_out" });
  });

  it("idle and expired sessions", async () => {
    const u = await makeUser("reviewer");
    await lastSeenAgo(u.sessionId, getEnv().SESSION_IDLE_MINUTES + 1);
    await resolveSession(db(), u.sessionId, { touch: false });
    expect(await endsOf(u.sessionId)).toEqual([{ action: "auth.session_ended", reason: "idle" }]);
    const v = await makeUser("reviewer");
    await db().execute(
      sql`update user_sessions set expires_at = now() - interval '1 second' where id = ${v.sessionId}`,
    );
    await resolveSession(db(), v.sessionId, { touch: false });
    expect(await endsOf(v.sessionId)).toEqual([{ action: "auth.session_ended", reason: "expired" }]);
  });

  it("every open session of a user an administrator disables, at once", async () => {
    const { setUserDisabled } = await import("../admin/users");
    const admin = await makeUser("admin");
    const u = await makeUser("reviewer");
    const second = await createSession(db(), { userId: u.id, provider: "credentials", label: u.email });
    const result = await setUserDisabled(db(), admin, { userId: u.id, disabled: true });
    expect(result.status).toBe("success");
    expect(await endsOf(u.sessionId)).toEqual([{ action: "auth.session_ended", reason: "disabled" }]);
    expect(await endsOf(second)).toEqual([{ action: "auth.session_ended", reason: "disabled" }]);
  });
});

describe("password sign-in", () => {
  it("accepts the right password and resets the failure count", async () => {
    const u = await makeUser("reviewer");
    expect(await verifyCredentials(db(), u.email.toUpperCase(), "wrong")).toEqual({ ok: false, code: "invalid" });
    const ok = await verifyCredentials(db(), u.email, TEST_PASSWORD);
    expect(ok).toMatchObject({ ok: true, user: { id: u.id, role: "reviewer" } });
    const [row] = await db().select().from(users).where(eq(users.id, u.id));
    expect(row!.failedSignIns).toBe(0);
    expect(row!.lastSignInAt).not.toBeNull();
  });

  it("locks after SIGN_IN_MAX_FAILURES wrong passwords, refusing even the right one while locked", async () => {
    const u = await makeUser("reviewer");
    const max = getEnv().SIGN_IN_MAX_FAILURES;
    for (let i = 1; i < max; i++)
      expect(await verifyCredentials(db(), u.email, `wrong-${i}`)).toEqual({ ok: false, code: "invalid" });
    // Locked: answered exactly like a wrong password, also for the right one.
    expect(await verifyCredentials(db(), u.email, "wrong-last")).toEqual({ ok: false, code: "invalid" });
    expect(await verifyCredentials(db(), u.email, TEST_PASSWORD)).toEqual({ ok: false, code: "invalid" });
    await db()
      .update(users)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(users.id, u.id));
    expect(await verifyCredentials(db(), u.email, TEST_PASSWORD)).toMatchObject({ ok: true });
    const actions = await db().execute<{ action: string }>(
      sql`select action from audit_events where entity_id = ${u.id} and action like 'auth.%' order by id`,
    );
    expect(actions.rows.map((r) => r.action)).toContain("auth.locked");
  });

  it("refuses disabled users and unknown e-mails alike", async () => {
    const u = await makeUser("reviewer");
    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await verifyCredentials(db(), u.email, TEST_PASSWORD)).toEqual({ ok: false, code: "disabled" });
    expect(await verifyCredentials(db(), "nobody@test.example", TEST_PASSWORD)).toEqual({ ok: false, code: "invalid" });
  });
});

describe("single sign-on users", () => {
  const issuer = "https://sso.test.example";
  it("are created on first sign-in and take the role of the claim afterwards", async () => {
    const email = `sso-${Date.now()}@test.example`;
    const subject = `sub-${Date.now()}`;
    const first = await upsertSsoUser(db(), { issuer, subject, email, name: "Sso User", roles: ["reviewer"] });
    expect(first).toMatchObject({ ok: true, user: { role: "reviewer", roles: ["reviewer"] } });
    const again = await upsertSsoUser(db(), {
      issuer,
      subject,
      email: email.toUpperCase(),
      name: "Sso User",
      roles: ["supervisor"],
    });
    expect(again).toMatchObject({ ok: true, user: { role: "supervisor", roles: ["supervisor"] } });
    if (!again.ok) throw new Error("unreachable");
    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, again.user.id));
    expect(await upsertSsoUser(db(), { issuer, subject, email, name: "Sso User", roles: ["admin"] })).toEqual({
      ok: false,
      code: "disabled",
    });
  });

  it("hold every role the role map gives (an administrator who also reviews), and the session the scopes of all of them", async () => {
    const { hasScope } = await import("../access/scopes");
    const email = `sso-two-${Date.now()}@test.example`;
    const subject = `sub-two-${Date.now()}`;
    const both = await upsertSsoUser(db(), { issuer, subject, email, name: "Two Roles", roles: ["reviewer", "admin"] });
    expect(both).toMatchObject({ ok: true, user: { role: "admin", roles: ["admin", "reviewer"] } });
    if (!both.ok) throw new Error("unreachable");
    const sid = await createSession(db(), { userId: both.user.id, provider: "oidc", label: email });
    const check = await resolveSession(db(), sid, { touch: false });
    if (!check.ok) throw new Error(`no session: ${check.reason}`);
    expect(check.actor).toMatchObject({ role: "admin", roles: ["admin", "reviewer"] });
    for (const scope of [
      "referral:read",
      "referral:claim",
      "referral:decide",
      "admin:users",
      "admin:api_clients",
    ] as const) {
      expect(hasScope(check.actor, scope), scope).toBe(true);
    }
    // The claim loses a group: the next sign-in takes the role away, audited.
    await upsertSsoUser(db(), { issuer, subject, email, name: "Two Roles", roles: ["admin"] });
    const after = await resolveSession(db(), sid, { touch: false });
    if (!after.ok) throw new Error(`no session: ${after.reason}`);
    expect(after.actor.roles).toEqual(["admin"]);
    expect(hasScope(after.actor, "referral:read")).toBe(false);
    const audit = await db().execute<{ details: unknown }>(
      sql`select details from audit_events where action = 'user.role_changed' and entity_id = ${both.user.id}`,
    );
    expect(audit.rows).toEqual([{ details: { from: "admin+reviewer", to: "admin", source: "oidc_claim" } }]);
  });
});

describe("session cookie", () => {
  it("yields the session id of a genuine, unexpired token only", async () => {
    const { encode } = await import("next-auth/jwt");
    const { decodeSessionId } = await import("./session-token");
    const secret = getEnv().AUTH_SECRET!;
    const salt = "authjs.session-token";
    const good = await encode({
      token: { sub: "u", sid: "11111111-1111-4111-8111-111111111111" },
      secret,
      salt,
      maxAge: 60,
    });
    expect(await decodeSessionId(good, salt)).toBe("11111111-1111-4111-8111-111111111111");
    expect(await decodeSessionId(good, salt)).toBe("11111111-1111-4111-8111-111111111111"); // memoised
    expect(await decodeSessionId(good, "__Secure-authjs.session-token")).toBe("11111111-1111-4111-8111-111111111111"); // memo is by token
    const forged = await encode({
      token: { sid: "22222222-2222-4222-8222-222222222222" },
      secret: "another-secret-of-enough-length-0123456789",
      salt,
      maxAge: 60,
    });
    expect(await decodeSessionId(forged, salt)).toBeNull();
    expect(await decodeSessionId(`${good.slice(0, -4)}AAAA`, salt)).toBeNull();
    const expired = await encode({
      token: { sid: "33333333-3333-4333-8333-333333333333" },
      secret,
      salt,
      maxAge: -120,
    });
    expect(await decodeSessionId(expired, salt)).toBeNull();
  });
});
