/**
 * Route handlers run in a test as the actor in `session.current`: only the cookie decoding is
 * replaced (the session itself is checked in the database), Auth.js is a stub and `next/headers`
 * answers a request for the queue with no cookies. A test file mocks the three modules with these
 * factories (vi.mock is hoisted, so each factory imports this module itself):
 *
 *   vi.mock("@/lib/auth/session-token", async () => (await import("@/test/support/route-session")).sessionToken());
 *   vi.mock("@/lib/auth/index", async () => (await import("@/test/support/route-session")).authStub());
 *   vi.mock("next/headers", async () => (await import("@/test/support/route-session")).queueHeaders());
 */
import { vi } from "vitest";
import type { Actor } from "../../lib/access/actors";

/** Who the mocked cookie names; null: no session. */
export const session: { current: Actor | null } = { current: null };

export const sessionToken = () => ({ readSessionId: vi.fn(async () => session.current?.sessionId ?? null) });

export const authStub = () => ({ auth: vi.fn(), signIn: vi.fn(), signOut: vi.fn(), handlers: {} });

export const queueHeaders = () => ({
  headers: async () => new Headers({ "x-csi-path": "/queue" }),
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined }),
});
