/**
 * The queue's live poll through its real route handler: the rows on screen come back with what
 * changes (status, version, assignee), never a client's name, and only where the view could list
 * them; ids named from elsewhere find nothing. It writes no audit record (it returns no PHI).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/access/scopes";
import type { Actor } from "@/lib/access/actors";
import { closeDb, getDb } from "@/lib/db";
import { makeActors, makeReferral, makeUser } from "@/test/support/referrals";
import { session } from "@/test/support/route-session";
import { ROW_PATCH_KEYS } from "@/lib/referrals/queue-rows";

// Only the cookie decoding is replaced; the session itself is checked in the database.
vi.mock("@/lib/auth/session-token", async () => (await import("@/test/support/route-session")).sessionToken());
vi.mock("@/lib/auth/index", async () => (await import("@/test/support/route-session")).authStub());
vi.mock("next/headers", async () => (await import("@/test/support/route-session")).queueHeaders());

const { GET: queueUpdates } = await import("./api/queue/updates/route");

let actors: Record<Role, Actor>;
const db = () => getDb();
beforeAll(async () => {
  actors = await makeActors();
  session.current = actors.reviewer;
});
afterAll(async () => {
  await closeDb();
});

type Answer = { rows: Array<Record<string, unknown>> };
async function poll(query: Record<string, string>): Promise<{ status: number; text: string; body: Answer }> {
  const res = await queueUpdates(new Request(`http://x/api/queue/updates?${new URLSearchParams(query)}`));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Answer };
}
const dbNow = async () => (await db().execute<{ now: string }>(sql`select now()::text as now`)).rows[0]!.now;

describe("GET /api/queue/updates?rows=", () => {
  it("answers the rows on screen with what changes and no client's name, agency, service or dates", async () => {
    const orgId = randomUUID();
    const marker = `Zzclient${randomUUID().slice(0, 8)}`;
    const r = await makeReferral({ orgId, agencyName: "Zzagency Home Care", firstName: marker, lastName: marker });
    const since = await dbNow();
    const before = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events where actor_id = ${actors.reviewer.id}`,
    );

    const other = await makeUser("reviewer");
    const { claimReferral } = await import("@/lib/workflow/decisions");
    expect((await claimReferral(db(), other, r.id)).status).toBe("success");
    const { status, text, body } = await poll({ since, agency: orgId, rows: r.id });
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(1);
    expect(Object.keys(body.rows[0]!).sort()).toEqual([...ROW_PATCH_KEYS].sort());
    expect(body.rows[0]).toMatchObject({
      id: r.id,
      version: 2,
      action: null,
      assignee: { text: other.name, strong: true },
    });
    expect(text).not.toContain(marker);
    expect(text).not.toContain("Zzagency");
    // Polling records nothing (a poll every 15 s would bury the trail; it returns no PHI).
    const after = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events where actor_id = ${actors.reviewer.id}`,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it("answers only rows the view could list: another agency's, or one received after the page, find nothing", async () => {
    const orgA = randomUUID();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const a = await makeReferral({ orgId: orgA, receivedAt: hoursAgo(2) });
    const b = await makeReferral({ orgId: randomUUID(), receivedAt: hoursAgo(2) });
    // The page was rendered an hour ago; `later` arrived since.
    const since = hoursAgo(1).toISOString().replace("T", " ").replace("Z", "+00");
    const later = await makeReferral({ orgId: orgA, receivedAt: hoursAgo(0) });
    const name = (id: unknown) => ({ [a.id]: "a", [b.id]: "b", [later.id]: "later" })[String(id)] ?? String(id);
    const { body } = await poll({ since, agency: orgA, rows: [a.id, b.id, later.id, randomUUID()].join(",") });
    expect(body.rows.map((x) => name(x.id))).toEqual(["a"]);
    // Without a filter the view lists any agency's rows received by the page's time.
    const all = await poll({ since, rows: [a.id, b.id, later.id].join(",") });
    expect(all.body.rows.map((x) => name(x.id)).sort()).toEqual(["a", "b"]);
  });
});
