/**
 * Every route handler that takes a POST, through its real code (only Auth.js's cookie decoding
 * is replaced, as in authorization.test.ts, and Auth.js itself behind its route): the browser's
 * Origin is compared with the app's public origin (APP_URL here, as behind a proxy, while the
 * request's own URL says http://localhost like the launcher's), another site's is refused, and
 * a body is read no further than its limit: the bytes pulled from a chunked body are counted.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/access/scopes";
import type { Actor } from "@/lib/access/actors";
import { closeDb, getDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { MULTIPART_ENVELOPE_BYTES, SMALL_BODY_LIMIT } from "@/lib/http/request-guard";
import { basic, newApiClient } from "@/test/support/fixtures";
import { makeActors, makeReferral } from "@/test/support/referrals";
import { countingStream } from "@/test/support/streams";
import { DOCUMENT_MAX_BYTES } from "@/lib/approval/after-sending-constants";
import { sql } from "drizzle-orm";

let current: Actor | null = null;
vi.mock("@/lib/auth/session-token", () => ({ readSessionId: vi.fn(async () => current?.sessionId ?? null) }));
/** Auth.js behind its route answers with the form it was handed (its own tests drive the real one: lib/auth/*.test.ts). */
vi.mock("@/lib/auth/index", () => ({
  auth: vi.fn(),
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn(async (r: Request) => new Response(await r.text(), { status: 200 })) },
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-csi-path": "/queue" }),
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const PUBLIC = "https://csi.test:8443";
const saved = { APP_URL: process.env.APP_URL, TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS };
process.env.APP_URL = PUBLIC;
process.env.TRUSTED_PROXY_HOPS = "1";
resetEnvCache();

const { POST: documentsRoute } = await import("./api/referrals/[id]/documents/route");
const { POST: activityRoute } = await import("./api/session/activity/route");
const { POST: authRoute } = await import("./api/auth/[...nextauth]/route");
const { POST: webhookRoute } = await import("./api/referral-requests/route");
const { NextRequest } = await import("next/server");

let actors: Record<Role, Actor>;
beforeAll(async () => {
  actors = await makeActors();
});
afterAll(async () => {
  Object.assign(process.env, saved);
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  resetEnvCache();
  await closeDb();
});

/** Behind the launcher and nginx: the URL Next builds says localhost; the headers are nginx's. */
const LAUNCHER = "http://localhost:3101";
const viaProxy = (origin: string | null, extra: Record<string, string> = {}) => ({
  host: "csi.test:8443",
  "x-forwarded-host": "csi.test:8443",
  "x-forwarded-proto": "https",
  "x-forwarded-for": "127.0.0.1",
  ...(origin ? { origin } : {}),
  ...extra,
});

describe("POST /api/referrals/{id}/documents", () => {
  const post = (id: string, headers: Record<string, string>, body: BodyInit | ReadableStream) =>
    documentsRoute(
      new Request(`${LAUNCHER}/api/referrals/${id}/documents`, {
        method: "POST",
        headers,
        body,
        duplex: "half",
      } as RequestInit),
      {
        params: Promise.resolve({ id }),
      },
    );
  const formWithoutVersion = () => {
    const form = new FormData();
    form.set("file", new File([Buffer.from("%PDF-1.4 test")], "order.pdf", { type: "application/pdf" }));
    return form;
  };

  it("from the app's own page at its public address (APP_URL) it goes on to the form, though the request URL says localhost", async () => {
    current = actors.reviewer;
    const { id } = await makeReferral();
    const res = await post(id, viaProxy(PUBLIC), formWithoutVersion());
    // Past the origin check and the body: the form's own answer (it lacks the page's version).
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: "invalid_data", issues: [{ path: "version" }] });
  });

  it("from another site: 403 before a byte of the body is read", async () => {
    current = actors.reviewer;
    const { id } = await makeReferral();
    const { stream: body, pulled } = countingStream(1_000_000);
    const res = await post(
      id,
      viaProxy("https://evil.example", { "content-type": "multipart/form-data; boundary=x" }),
      body,
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden", message: "Cross-site request refused" });
    expect(pulled()).toBe(0);
  });

  it("a chunked 60 MB body: 413 naming the file, having read no more than 50 MB and the envelope (and the chunk that crossed it)", async () => {
    current = actors.reviewer;
    const { id } = await makeReferral();
    const { stream: body, pulled } = countingStream(60_000_000);
    // (A tool's upload, without Origin: nothing but the limit stops it.)
    const res = await post(id, viaProxy(null, { "content-type": "multipart/form-data; boundary=----x" }), body);
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toMatchObject({
      error: "payload_too_large",
      message: "The file is larger than 50 MB",
      issues: [{ path: "file" }],
    });
    const limit = DOCUMENT_MAX_BYTES + MULTIPART_ENVELOPE_BYTES;
    expect(pulled()).toBeGreaterThan(limit);
    expect(pulled()).toBeLessThanOrEqual(limit + 64 * 1024);
  });
});

describe("POST /api/session/activity", () => {
  const lastSeen = async (sessionId: string) =>
    (
      (await getDb().execute(sql`select last_seen_at::text as t from user_sessions where id = ${sessionId}`))
        .rows[0] as { t: string }
    ).t;

  it("the app's own page keeps the session alive; another site cannot (403, the session untouched)", async () => {
    current = actors.supervisor;
    await getDb().execute(
      sql`update user_sessions set last_seen_at = now() - interval '5 minutes' where id = ${actors.supervisor.sessionId}`,
    );
    const before = await lastSeen(actors.supervisor.sessionId);
    const foreign = await activityRoute(
      new Request(`${LAUNCHER}/api/session/activity`, { method: "POST", headers: viaProxy("https://evil.example") }),
    );
    expect(foreign.status).toBe(403);
    // A browser that leaves Origin out still says where the request came from.
    const noOrigin = await activityRoute(
      new Request(`${LAUNCHER}/api/session/activity`, {
        method: "POST",
        headers: viaProxy(null, { "sec-fetch-site": "cross-site" }),
      }),
    );
    expect(noOrigin.status).toBe(403);
    expect(await lastSeen(actors.supervisor.sessionId)).toBe(before);
    const own = await activityRoute(
      new Request(`${LAUNCHER}/api/session/activity`, { method: "POST", headers: viaProxy(PUBLIC) }),
    );
    expect(own.status).toBe(204);
    expect(await lastSeen(actors.supervisor.sessionId)).not.toBe(before);
  });
});

describe("POST /api/auth/* (Auth.js's form posts)", () => {
  type Init = ConstructorParameters<typeof NextRequest>[1];
  const authPost = (headers: Record<string, string>, body: BodyInit | ReadableStream) =>
    authRoute(
      new NextRequest(`${LAUNCHER}/api/auth/callback/credentials`, {
        method: "POST",
        headers,
        body,
        duplex: "half",
      } as Init),
    );

  it("a small form reaches Auth.js as it was sent", async () => {
    const form = new URLSearchParams({ csrfToken: "t", email: "someone@example.org", password: "x" }).toString();
    const res = await authPost(viaProxy(PUBLIC, { "content-type": "application/x-www-form-urlencoded" }), form);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(form);
  });

  it("a chunked body past 64 KB: 413 having read no more than the limit and one chunk; Auth.js never sees it", async () => {
    const { stream: body, pulled } = countingStream(10_000_000, 16 * 1024);
    const res = await authPost(viaProxy(null, { "content-type": "application/x-www-form-urlencoded" }), body);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large", issues: [{ path: "body" }] });
    expect(pulled()).toBeLessThanOrEqual(SMALL_BODY_LIMIT + 16 * 1024);
  });

  it("another site's post (a sign-in forced on the user, a sign-out) is refused", async () => {
    const res = await authPost(
      viaProxy("https://evil.example", { "content-type": "application/x-www-form-urlencoded" }),
      "csrfToken=t",
    );
    expect(res.status).toBe(403);
  });
});

describe("POST /api/referral-requests (the webhook)", () => {
  it("its sender, a server, sends no Origin and is let through to the webhook's own checks; a browser sent by another site is refused", async () => {
    const client = await newApiClient();
    const send = (headers: Record<string, string>) =>
      webhookRoute(
        new Request(`${LAUNCHER}/api/referral-requests`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: "{}",
        }),
      );
    // Let through: the webhook answers (its schema refuses the empty body).
    const fromServer = await send({ authorization: basic(client) });
    expect(fromServer.status).toBe(422);
    expect((await send({ authorization: "Basic bm86bm8=" })).status).toBe(401);
    const fromBrowser = await send({ authorization: basic(client), origin: "https://evil.example" });
    expect(fromBrowser.status).toBe(403);
  });
});
