/**
 * The order check's routes through their real handlers: GET /api/referrals/{id}/checks answers
 * the contract (`{ status, documents, checks }`) to those with referral:read and records the read
 * as a view; a page image comes through the file route family, audited as a view of the file with
 * its page. Unknown referral or page: 404; no scope: 403; no session: 401.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/access/scopes";
import type { Actor } from "@/lib/access/actors";
import { closeDb, getDb } from "@/lib/db";
import { readDocument } from "@/lib/documents/read";
import { CHECK_FIELDS } from "@/lib/documents/types";
import { recheckReferral } from "@/lib/worker/document-checks";
import { storeReading } from "@/lib/worker/document-read";
import { buildCase } from "@/test/documents/corpus";
import { makeOrderReferral } from "@/test/documents/order-referral";
import { makeActors, makeReferral } from "@/test/support/referrals";
import { session } from "@/test/support/route-session";

// Only the cookie decoding is replaced; the session itself is checked in the database.
vi.mock("@/lib/auth/session-token", async () => (await import("@/test/support/route-session")).sessionToken());
vi.mock("@/lib/auth/index", async () => (await import("@/test/support/route-session")).authStub());
vi.mock("next/headers", async () => (await import("@/test/support/route-session")).queueHeaders());

const { GET: checksRoute } = await import("./api/referrals/[id]/checks/route");
const { GET: pageRoute } = await import("./api/referrals/[id]/files/[fileId]/pages/[page]/route");

let actors: Record<Role, Actor>;
const db = () => getDb();
let referralId = "";
let fileId = "";
let lastName = "";

beforeAll(async () => {
  actors = await makeActors();
  // A referral whose order (a text PDF) was read and checked, as the worker leaves it.
  const c = await buildCase({ kind: "text-pdf", index: 6, plant: ["physician_npi"] });
  const { ref, order, fileId: orderFileId } = await makeOrderReferral(c);
  referralId = ref.id;
  lastName = (c.payload.client as { last_name: string }).last_name;
  fileId = orderFileId;
  await storeReading(db(), { fileId, referralId }, await readDocument(order.bytes, { images: true }), 1);
  await recheckReferral(db(), referralId);
});
afterAll(async () => {
  await closeDb();
});

const as = (role: Role | null) => {
  session.current = role ? actors[role] : null;
};
const checksCtx = (id: string) => ({ params: Promise.resolve({ id }) });
const pageCtx = (id: string, file: string, page: string) => ({ params: Promise.resolve({ id, fileId: file, page }) });
const reads = async (action: string) =>
  (
    await db().execute<{ actor_id: string; details: Record<string, unknown> }>(
      sql`select actor_id, details from audit_events where entity_id = ${referralId} and action = ${action} order by id`,
    )
  ).rows;

describe("GET /api/referrals/{id}/checks", () => {
  it("answers the contract to readers, one check per field, and records each read as a view", async () => {
    for (const role of ["reviewer", "supervisor"] as const) {
      as(role);
      const res = await checksRoute(new Request("http://x"), checksCtx(referralId));
      expect([role, res.status, res.headers.get("cache-control")]).toEqual([role, 200, "private, no-store"]);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(["checks", "documents", "status"]);
      expect(body.status).toBe("done");
      expect(body.documents).toEqual([{ file_id: fileId, state: "read", method: "text", pages: 1, reason: null }]);
      const checks = body.checks as Array<Record<string, unknown>>;
      expect(checks.map((c) => c.field)).toEqual(CHECK_FIELDS);
      const npi = checks.find((c) => c.field === "physician_npi")!;
      expect(npi).toMatchObject({ verdict: expect.stringMatching(/^(mismatch|invalid)$/) });
      const birthday = checks.find((c) => c.field === "client_birthday")!;
      expect(birthday).toMatchObject({ verdict: "match", source: { file_id: fileId, page: 1 } });
      const box = (birthday.source as { box: number[] }).box;
      expect(box).toHaveLength(4);
      expect(box.every((n) => Number.isFinite(n) && n >= 0)).toBe(true);
    }
    expect(await reads("referral.viewed")).toEqual([
      { actor_id: actors.reviewer.id, details: { view: "checks" } },
      { actor_id: actors.supervisor.id, details: { view: "checks" } },
    ]);
  });

  it("404 for an unknown referral, 403 without referral:read (naming no client), 401 without a session", async () => {
    as("reviewer");
    for (const id of [randomUUID(), "not-a-uuid"])
      expect((await checksRoute(new Request("http://x"), checksCtx(id))).status).toBe(404);
    as("admin");
    const forbidden = await checksRoute(new Request("http://x"), checksCtx(referralId));
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).not.toContain(lastName);
    as(null);
    expect((await checksRoute(new Request("http://x"), checksCtx(referralId))).status).toBe(401);
  });
});

describe("GET /api/referrals/{id}/files/{fileId}/pages/{page}", () => {
  it("serves a read page's image to readers, never cached, audited as a view of the file with the page", async () => {
    const before = (await reads("referral.file_viewed")).length;
    as("reviewer");
    const res = await pageRoute(new Request("http://x"), pageCtx(referralId, fileId, "1"));
    expect([res.status, res.headers.get("content-type"), res.headers.get("cache-control")]).toEqual([
      200,
      "image/png",
      "private, no-store",
    ]);
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The image the boxes are in: its size is the stored page's.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1224, 1584]);
    const views = await reads("referral.file_viewed");
    expect(views.slice(before)).toEqual([
      { actor_id: actors.reviewer.id, details: { fileId, sha256: expect.any(String), page: 1 } },
    ]);
  });

  it("404 for a page, file or referral that is not there (or not this referral's), 403 without the scope", async () => {
    as("reviewer");
    const other = await makeReferral();
    for (const [id, file, page] of [
      [referralId, fileId, "2"],
      [referralId, fileId, "0"],
      [referralId, fileId, "x"],
      [referralId, randomUUID(), "1"],
      [other.id, fileId, "1"],
    ])
      expect((await pageRoute(new Request("http://x"), pageCtx(id!, file!, page!))).status, `${page}`).toBe(404);
    as("admin");
    expect((await pageRoute(new Request("http://x"), pageCtx(referralId, fileId, "1"))).status).toBe(403);
  });
});
