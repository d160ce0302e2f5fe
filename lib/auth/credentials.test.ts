/**
 * Password sign-in under attack: the lockout holds under a burst of parallel guesses, attempts
 * are rate limited per address and per account (rate-limiter-flexible on PostgreSQL), and an
 * unknown e-mail and a locked account answer exactly like a wrong password, also over the app's
 * Auth.js route.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { closeDb, getDb } from "../db";
import { getEnv, resetEnvCache } from "../env";
import { makeUser, TEST_PASSWORD } from "../../test/support/referrals";
import { CLIENT_IP_HEADER } from "../runtime/client-ip";
import { verifyCredentials } from "./credentials";

const db = () => getDb();
const codeOf = (r: Awaited<ReturnType<typeof verifyCredentials>>) => (r.ok ? "ok" : r.code);
const saved = { ...process.env };
const ip = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const setLimits = (perIp: number, perAccount: number) => {
  process.env.SIGN_IN_RATE_PER_IP = String(perIp);
  process.env.SIGN_IN_RATE_PER_ACCOUNT = String(perAccount);
  resetEnvCache();
};
beforeEach(() => setLimits(10_000, 10_000));
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});
afterAll(async () => {
  await closeDb();
});

const checkedPasswords = async (userId: string) =>
  (
    await db().execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events where entity_id = ${userId} and details->>'reason' = 'wrong_password'`,
    )
  ).rows[0]!.n;

describe("lockout", () => {
  it("a burst of 40 parallel wrong passwords gets SIGN_IN_MAX_FAILURES checks, not 40, and locks the account", async () => {
    const u = await makeUser("reviewer");
    const max = getEnv().SIGN_IN_MAX_FAILURES;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => verifyCredentials(db(), u.email, `guess-${i}`, { ip: ip() })),
    );
    expect(results.every((r) => codeOf(r) === "invalid")).toBe(true);
    expect(await checkedPasswords(u.id)).toBe(max);
    const [row] = await db().select({ lockedUntil: users.lockedUntil }).from(users).where(eq(users.id, u.id));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // The right password now gets the wrong one's answer, and is not even a try.
    expect(await verifyCredentials(db(), u.email, TEST_PASSWORD, { ip: ip() })).toEqual({ ok: false, code: "invalid" });
    expect(await checkedPasswords(u.id)).toBe(max);
  });

  it("a burst with the right password in it cannot outrun the lock: at most SIGN_IN_MAX_FAILURES guesses are checked in all", async () => {
    const u = await makeUser("reviewer");
    const max = getEnv().SIGN_IN_MAX_FAILURES;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        verifyCredentials(db(), u.email, i === 29 ? TEST_PASSWORD : `guess-${i}`, { ip: ip() }),
      ),
    );
    expect(await checkedPasswords(u.id)).toBeLessThanOrEqual(max);
  });
});

describe("rate limits (PostgreSQL)", () => {
  it("per address: the attempts past SIGN_IN_RATE_PER_IP are refused, even in one parallel burst; other addresses are not", async () => {
    setLimits(5, 10_000);
    const from = ip();
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        verifyCredentials(db(), `nobody-${randomUUID()}@test.example`, "x", { ip: from }),
      ),
    );
    expect(burst.filter((r) => codeOf(r) === "invalid")).toHaveLength(5);
    expect(burst.filter((r) => codeOf(r) === "rate_limited")).toHaveLength(15);
    expect(burst.find((r) => codeOf(r) === "rate_limited")).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect(await verifyCredentials(db(), `nobody-${randomUUID()}@test.example`, "x", { ip: ip() })).toEqual({
      ok: false,
      code: "invalid",
    });
    // The counters are rows of sign_in_rate_limits, keyed by hashes: no address or e-mail stored.
    const keys = (await db().execute<{ key: string }>(sql`select key from sign_in_rate_limits`)).rows.map((r) => r.key);
    expect(keys.some((k) => k.includes(from) || k.includes("@"))).toBe(false);
  });

  it("per account: the attempts past SIGN_IN_RATE_PER_ACCOUNT are refused from any address, known e-mail or not; a success clears it", async () => {
    setLimits(10_000, 3);
    const unknown = `nobody-${randomUUID()}@test.example`;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(codeOf(await verifyCredentials(db(), unknown, "x", { ip: ip() })));
    expect(codes).toEqual(["invalid", "invalid", "invalid", "rate_limited"]);

    const u = await makeUser("reviewer");
    expect(codeOf(await verifyCredentials(db(), u.email, "wrong", { ip: ip() }))).toBe("invalid");
    expect(codeOf(await verifyCredentials(db(), u.email, TEST_PASSWORD, { ip: ip() }))).toBe("ok");
    for (let i = 0; i < 2; i++)
      expect(codeOf(await verifyCredentials(db(), u.email, "wrong", { ip: ip() }))).toBe("invalid");
  });
});

describe("the answer says nothing about the account", () => {
  const APP = "http://localhost:3999";
  /** The app's Auth.js credentials route, as the sign-in form and e2e tests reach it. */
  async function postCredentials(email: string, password: string) {
    const { GET, POST } = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as Record<
      "GET" | "POST",
      (r: NextRequest) => Promise<Response>
    >;
    const csrf = await GET(new NextRequest(`${APP}/api/auth/csrf`));
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await POST(
      new NextRequest(`${APP}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie, [CLIENT_IP_HEADER]: ip() },
        body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/queue" }),
      }),
    );
    return {
      status: res.status,
      location: res.headers.get("location"),
      cookies: res.headers
        .getSetCookie()
        .map((c) => c.split("=")[0])
        .sort(),
      body: await res.text(),
    };
  }

  it("an unknown e-mail and a locked account get exactly the wrong password's answer", async () => {
    const u = await makeUser("reviewer");
    const wrong = await postCredentials(u.email, "wrong-password");
    const unknown = await postCredentials(`nobody-${randomUUID()}@test.example`, "wrong-password");
    await db()
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 600_000) })
      .where(eq(users.id, u.id));
    const locked = await postCredentials(u.email, TEST_PASSWORD);
    expect(wrong.status).toBe(302);
    expect(new URL(wrong.location!).searchParams.get("code")).toBe("invalid");
    expect(unknown).toEqual(wrong);
    expect(locked).toEqual(wrong);
    // And the right password of an account that is not locked signs in.
    await db().update(users).set({ lockedUntil: null, failedSignIns: 0 }).where(eq(users.id, u.id));
    const ok = await postCredentials(u.email, TEST_PASSWORD);
    expect(ok.location).toBe(`${APP}/queue`);
    expect(ok.cookies).toContain("authjs.session-token");
  });
});
