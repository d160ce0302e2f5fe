import pg from "pg";
import { PgDialect } from "drizzle-orm/pg-core";
import { spawnSync } from "node:child_process";
/**
 * The audit workspace's reads against the real database: every filter, keyset paging while
 * events keep arriving, the total that never scans the table, action groups computed by
 * PostgreSQL, the agency kept on each record, and the CSV stream (formula injection, 100k
 * events at flat memory).
 */
import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../audit/record";
import { systemActor } from "../access/actors";
import type { Role } from "../access/scopes";
import type { Actor } from "../access/actors";
import { closeDb, getDb } from "../db";
import { makeActors, makeReferral } from "../../test/support/referrals";
import { claimReferral } from "../workflow/decisions";
import { parseAuditParams, type TAuditFilters } from "./filters";
import { auditCsvStream, neutraliseCell } from "./export";
import { actionGroupOf, ACTION_GROUPS } from "../../db/schema/audit-groups";
import { COUNT_CAP, countEvents, describeRows, listAuditPage, resolveFilters, selectEvents, whoSaw } from "./query";
import { describeAuditEvent } from "./describe";
import { FREE_TEXT_KEYS, freeTextPlaceholder } from "../audit/free-text";
import { hasScope } from "../access/scopes";

const db = () => getDb();
/** One statement without the app pool's statement and read timeouts (test data in bulk). */
async function bulk(statement: SQL) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const q = new PgDialect().sqlToQuery(statement);
    await client.query(q.sql, q.params);
  } finally {
    await client.end();
  }
}
let actors: Record<Role, Actor>;
beforeAll(async () => {
  actors = await makeActors();
});
afterAll(async () => {
  await closeDb();
});

/** Every event id of a filter, walking all pages. */
async function allIds(f: TAuditFilters): Promise<number[]> {
  const resolved = await resolveFilters(db(), f);
  const out: number[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await listAuditPage(db(), actors.supervisor, resolved, { before });
    out.push(...page.rows.map((r) => r.id));
    if (!page.olderCursor) return out;
    before = page.olderCursor;
  }
}

const idsOf = async (where: ReturnType<typeof sql>) =>
  (
    await db().execute<{ id: number }>(
      sql`select id::float8 as id from audit_events e where ${where} order by at desc, id desc`,
    )
  ).rows.map((r) => Number(r.id));

describe("filters", () => {
  it("user, action group, referral, agency and dates each narrow the trail to exactly what they name", async () => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const a = await makeReferral({ orgId: orgA, agencyName: "Gem City Home Care" });
    const b = await makeReferral({ orgId: orgB, agencyName: "Miami Valley Nursing" });
    const riley = (await makeActors()).reviewer;
    await claimReferral(db(), riley, a.id);
    await recordAudit(db(), {
      actor: riley,
      action: "referral.viewed",
      entityType: "referral_request",
      entityId: b.id,
    });
    await recordAudit(db(), {
      actor: actors.supervisor,
      action: "referral.viewed",
      entityType: "referral_request",
      entityId: a.id,
    });
    await recordAudit(db(), {
      actor: riley,
      action: "auth.signed_in",
      entityType: "user",
      entityId: riley.id,
      details: { provider: "credentials" },
    });

    expect(await allIds({ user: riley.email })).toEqual(await idsOf(sql`actor_id = ${riley.id}`));
    // the session's sign-in (makeActors), the claim, the view, the sign-in recorded here
    expect((await allIds({ user: riley.email })).length).toBe(4);
    expect(await allIds({ referral: a.id })).toEqual(await idsOf(sql`entity_id = ${a.id}`));
    // received (intake), claimed (claims), the supervisor's view (views)
    const onA = await selectEvents(db(), (await resolveFilters(db(), { referral: a.id })).where, { limit: 10 });
    expect(onA.map((e) => [e.action, e.actionGroup]).sort()).toEqual([
      ["referral.claimed", "claims"],
      ["referral.received", "intake"],
      ["referral.viewed", "views"],
    ]);
    // A referral may also be named by its request id.
    expect(await allIds({ referral: a.requestId })).toEqual(await allIds({ referral: a.id }));
    expect(await allIds({ agency: orgB })).toEqual(await idsOf(sql`entity_id = ${b.id}`));
    expect(await allIds({ agency: orgA, action: "views" })).toEqual(
      await idsOf(sql`entity_id = ${a.id} and action = 'referral.viewed'`),
    );
    expect(await allIds({ user: riley.email, action: "sign-ins" })).toEqual(
      await idsOf(sql`actor_id = ${riley.id} and action = 'auth.signed_in'`),
    );
    expect(await allIds({ user: riley.email, referral: b.id })).toEqual(
      await idsOf(sql`actor_id = ${riley.id} and entity_id = ${b.id}`),
    );

    // Dates are days in the display time zone, both inclusive.
    const marker = randomUUID();
    const at = (iso: string) =>
      db().execute(
        sql`insert into audit_events (at, actor_type, actor_label, action, entity_type, entity_id) values (${iso}::timestamptz, 'system', 'test', 'settings.reason_added', 'decision_reason', ${marker})`,
      );
    await at("2001-03-01T04:59:59Z"); // Feb 28, 23:59:59 in New York
    await at("2001-03-01T05:00:00Z"); // Mar 1, 00:00
    await at("2001-03-02T12:00:00Z");
    await at("2001-03-03T04:59:59Z"); // Mar 2, 23:59:59
    await at("2001-03-03T05:00:00Z"); // Mar 3
    const inRange = await selectEvents(
      db(),
      [
        ...(await resolveFilters(db(), { from: "2001-03-01", to: "2001-03-02", action: "admin" })).where,
        sql`e.entity_id = ${marker}`,
      ],
      { limit: 10 },
    );
    expect(inRange.map((e) => e.at)).toEqual([
      "2001-03-03T04:59:59.000000Z",
      "2001-03-02T12:00:00.000000Z",
      "2001-03-01T05:00:00.000000Z",
    ]);
  });

  it("who saw this: every view, file view and download of one referral, per person", async () => {
    const r = await makeReferral();
    const other = (await makeActors()).reviewer;
    const file = (
      await db().execute<{ id: string }>(sql`select id from referral_files where referral_request_id = ${r.id} limit 1`)
    ).rows[0]!;
    for (const [who, action] of [
      [other, "referral.viewed"],
      [other, "referral.viewed"],
      [other, "referral.file_downloaded"],
      [actors.supervisor, "referral.file_viewed"],
    ] as const) {
      await recordAudit(db(), {
        actor: who,
        action,
        entityType: "referral_request",
        entityId: r.id,
        details: action === "referral.viewed" ? {} : { fileId: file.id },
      });
    }
    const saw = await whoSaw(db(), actors.supervisor, r.id);
    expect(saw.map((s) => [s.label, s.views, s.fileViews, s.downloads]).sort()).toEqual(
      [
        [other.email, 2, 0, 1],
        [actors.supervisor.email, 0, 1, 0],
      ].sort(),
    );
    expect(saw.find((s) => s.label === other.email)!.name).toBe(other.name);
  });

  it("refuses malformed filters naming the parameter, never widening the answer", () => {
    const bad = parseAuditParams(
      new URLSearchParams({
        user: "riley",
        action: "deletes",
        referral: "x",
        agency: "nope",
        from: "2026-13-01",
        to: "yesterday",
        before: "-3",
      }),
    );
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : Object.keys(bad.errors).sort()).toEqual([
      "action",
      "agency",
      "before",
      "from",
      "referral",
      "to",
      "user",
    ]);
    const reversed = parseAuditParams(new URLSearchParams({ from: "2026-03-02", to: "2026-03-01" }));
    expect(reversed).toMatchObject({ ok: false, errors: { to: "The end date is before the start date" } });
    expect(
      parseAuditParams(new URLSearchParams({ user: "Riley@Demo.Test", action: "sign-ins", from: "" })),
    ).toMatchObject({
      ok: true,
      filters: { user: "riley@demo.test", action: "sign-ins" },
    });
  });
});

describe("action groups", () => {
  it("PostgreSQL's generated column agrees with the table, and actions still to come fall in their group by prefix", async () => {
    const marker = randomUUID();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["referral.received", {}, "intake"],
      ["referral.amended", {}, "intake"],
      ["referral.agency_accepted", {}, "intake"],
      ["referral.viewed", {}, "views"],
      ["referral.file_downloaded", {}, "views"],
      ["queue.viewed", {}, "views"],
      ["audit.exported", {}, "views"],
      ["referral.claimed", {}, "claims"],
      ["referral.assigned", {}, "claims"],
      ["referral.approved", {}, "decisions"],
      ["referral.amendment_dismissed", {}, "decisions"],
      ["review.disagreed", {}, "decisions"],
      ["push.started", {}, "pushes"],
      ["push.failed", { kind: "approve" }, "pushes"],
      ["push.started", { kind: "update" }, "updates"],
      ["push.sent", { kind: "cancel" }, "cancels"],
      ["referral.update_approved", {}, "updates"],
      ["referral.cancel_requested", {}, "cancels"],
      ["referral.agency_cancelled", {}, "cancels"],
      ["push.cancel_sent", {}, "cancels"],
      ["auth.signed_in", {}, "sign-ins"],
      ["api_client.rotated", {}, "admin"],
      ["user.created", {}, "admin"],
      ["something.new", {}, "other"],
    ];
    for (const [action, details] of cases)
      await recordAudit(db(), { actor: systemActor("test"), action, entityType: "test", entityId: marker, details });
    const rows = await db().execute<{ action: string; details: Record<string, unknown>; action_group: string }>(
      sql`select action, details, action_group from audit_events where entity_id = ${marker} order by id`,
    );
    expect(rows.rows.map((r) => [r.action, r.details, r.action_group])).toEqual(cases);
    expect(rows.rows.every((r) => actionGroupOf(r.action, r.details) === r.action_group)).toBe(true);
    expect(ACTION_GROUPS.map((g) => g.key)).toEqual([
      "cancels",
      "updates",
      "intake",
      "views",
      "claims",
      "decisions",
      "pushes",
      "sign-ins",
      "admin",
    ]);
  });

  it("each record about a referral keeps its agency, the intake's one-statement insert included", async () => {
    const orgId = randomUUID();
    const r = await makeReferral({ orgId });
    await claimReferral(db(), actors.reviewer, r.id);
    await recordAudit(db(), {
      actor: actors.supervisor,
      action: "referral.viewed",
      entityType: "referral_request",
      entityId: r.id,
    });
    const rows = await db().execute<{ action: string; agency_org_id: string | null }>(
      sql`select action, agency_org_id from audit_events where entity_id = ${r.id} order by id`,
    );
    expect(rows.rows).toEqual([
      { action: "referral.received", agency_org_id: orgId },
      { action: "referral.claimed", agency_org_id: orgId },
      { action: "referral.viewed", agency_org_id: orgId },
    ]);
  });
});

describe("paging and the total", () => {
  it("keyset pages stay stable while new events arrive: no event twice, none skipped, the new ones on a newer page", async () => {
    const orgId = randomUUID();
    const r = await makeReferral({ orgId });
    for (let i = 0; i < 129; i++)
      await recordAudit(db(), {
        actor: actors.reviewer,
        action: "referral.viewed",
        entityType: "referral_request",
        entityId: r.id,
      });
    const before = await idsOf(sql`agency_org_id = ${orgId}`);
    expect(before.length).toBe(130);

    const resolved = await resolveFilters(db(), { agency: orgId });
    const first = await listAuditPage(db(), actors.supervisor, resolved, {});
    // Others keep working while the supervisor reads: 25 new events arrive between page loads.
    const writes = Promise.all(
      Array.from({ length: 25 }, () =>
        recordAudit(db(), {
          actor: actors.reviewer,
          action: "referral.file_viewed",
          entityType: "referral_request",
          entityId: r.id,
        }),
      ),
    );
    const second = await listAuditPage(db(), actors.supervisor, resolved, { before: first.olderCursor! });
    await writes;
    const third = await listAuditPage(db(), actors.supervisor, resolved, { before: second.olderCursor! });
    expect(third.olderCursor).toBeNull();
    const walked = [...first.rows, ...second.rows, ...third.rows].map((x) => x.id);
    expect(walked).toEqual(before);
    expect(new Set(walked).size).toBe(walked.length);

    // Back from the first page: the 25 new ones, then nothing newer.
    const newer = await listAuditPage(db(), actors.supervisor, resolved, { after: first.rows[0]!.id });
    expect(newer.rows.map((x) => x.action)).toEqual(Array(25).fill("referral.file_viewed"));
    expect(newer.newerCursor).toBeNull();
    expect(newer.olderCursor).toBe(newer.rows[newer.rows.length - 1]!.id);
    // And back from the second page to the first, exactly.
    const back = await listAuditPage(db(), actors.supervisor, resolved, { after: second.rows[0]!.id });
    expect(back.rows.map((x) => x.id)).toEqual(first.rows.map((x) => x.id));
    expect(back.newerCursor).toBe(first.rows[0]!.id);

    expect(await countEvents(db(), resolved.where)).toEqual({ exact: true, n: 155 });
  });

  it("the total is exact up to the cap and PostgreSQL's estimate beyond it", async () => {
    const orgId = randomUUID();
    await db()
      .execute(sql`insert into audit_events (actor_type, actor_label, action, entity_type, entity_id, agency_org_id)
      select 'system', 'test', 'referral.viewed', 'referral_request', ${randomUUID()}, ${orgId} from generate_series(1, ${COUNT_CAP + 50})`);
    await db().execute(sql`analyze audit_events`);
    const total = await countEvents(db(), (await resolveFilters(db(), { agency: orgId })).where);
    expect(total.exact).toBe(false);
    expect(total.exact ? 0 : total.estimate).toBeGreaterThan(COUNT_CAP);
  });
});

describe("free text", () => {
  const ctx = (freeText: boolean) => ({
    actorName: "Riley Reviewer",
    agencyName: "Gem City Home Care",
    userNames: new Map<string, string>(),
    freeText,
  });
  const event = (action: string, details: Record<string, unknown>) => ({
    action,
    actorType: "user",
    actorLabel: "riley@demo.test",
    entityType: "referral_request",
    entityId: randomUUID(),
    details,
    actionGroup: actionGroupOf(action, details),
  });
  const text = (d: { sentence: string; items: unknown }) => `${d.sentence} ${JSON.stringify(d.items)}`;

  it("every free-text key, at any depth, is shown only where the context allows it, its length in its place otherwise", () => {
    const secret = "Zzsecret words about the client";
    for (const key of FREE_TEXT_KEYS) {
      for (const details of [{ [key]: secret }, { nested: { deeper: [{ [key]: secret }] } }]) {
        const hidden = describeAuditEvent(event("something.new", details), ctx(false));
        expect(text(hidden), key).not.toContain("Zzsecret");
        expect(text(hidden), key).toContain(freeTextPlaceholder(secret));
        expect(text(describeAuditEvent(event("something.new", details), ctx(true))), key).toContain(secret);
      }
    }
    expect(freeTextPlaceholder(secret)).toBe(`(free text, ${secret.length} characters)`);
  });

  it("an update's sentence names the chosen reasons, and the reviewer's own words only where allowed", () => {
    const d = {
      revision: 2,
      reasons: ["Authorization extended"],
      otherReason: "Zzdaughter called",
      revisionComment: "Zzsee notes",
    };
    const shown = describeAuditEvent(event("referral.update_requested", d), ctx(true));
    expect(shown.sentence).toBe(
      "Riley Reviewer approved update revision 2 for Gem City Home Care, reason ‘Authorization extended’, ‘Zzdaughter called’",
    );
    const hidden = describeAuditEvent(event("referral.update_requested", d), ctx(false));
    expect(hidden.sentence).toBe(
      "Riley Reviewer approved update revision 2 for Gem City Home Care, reason ‘Authorization extended’, another reason (free text, 17 characters)",
    );
    expect(text(hidden)).not.toContain("Zz");
  });

  it("a push failure is told from its status and code; an older record's ACCloud message only where allowed", () => {
    const failed = describeAuditEvent(
      event("push.failed", {
        failure: "http",
        accloudStatus: 422,
        accloudCode: "client_locked",
        call: "PUT /ext/api/v2/authorizations/{id}",
      }),
      ctx(false),
    );
    expect(failed.sentence).toBe(
      "Sending the request from Gem City Home Care to ACCloud failed: ACCloud answered 422, code ‘client_locked’ (PUT /ext/api/v2/authorizations/{id})",
    );
    const older = event("push.failed", {
      error: "ACCloud answered 409: Cannot cancel: client Zzjane (DOB 1998-05-07)",
    });
    expect(text(describeAuditEvent(older, ctx(false)))).not.toContain("Zzjane");
    expect(describeAuditEvent(older, ctx(true)).sentence).toContain("Zzjane");
  });

  it("the writer refuses ACCloud's message in a record", async () => {
    const r = await makeReferral();
    const write = (details: Record<string, unknown>) =>
      recordAudit(db(), {
        actor: systemActor("test"),
        action: "push.failed",
        entityType: "referral_request",
        entityId: r.id,
        details,
      });
    await expect(write({ error: "ACCloud answered 409: Cannot cancel: client Jane" })).rejects.toThrow(
      "may not carry error",
    );
    await expect(write({ previousError: "x" })).rejects.toThrow("may not carry previousError");
    await write({ failure: "http", accloudStatus: 409 });
  });

  it("the trail's page shows free text by the referral:read scope, whoever holds audit:read", async () => {
    const r = await makeReferral();
    await recordAudit(db(), {
      actor: actors.reviewer,
      action: "referral.pending_info",
      entityType: "referral_request",
      entityId: r.id,
      details: { note: "Zzask the daughter" },
    });
    const resolved = await resolveFilters(db(), { referral: r.id });
    const withAudit = (Object.keys(actors) as Role[]).filter((role) => hasScope(role, "audit:read"));
    expect(withAudit.length).toBeGreaterThan(0);
    for (const role of withAudit) {
      const page = await listAuditPage(db(), actors[role], resolved, {});
      const shown = text(page.rows.find((e) => e.action === "referral.pending_info")!);
      if (hasScope(role, "referral:read")) expect(shown, role).toContain("Zzask the daughter");
      else expect(shown, role).not.toContain("Zzask");
    }
    // The same rows described for a viewer without referral:read (what the CSV always uses).
    const hidden = await describeRows(db(), await selectEvents(db(), resolved.where, { limit: 10 }), {
      freeText: false,
    });
    expect(hidden.map(text).join("\n")).not.toContain("Zzask");
    expect(hidden.map(text).join("\n")).toContain(freeTextPlaceholder("Zzask the daughter"));
  });
});

describe("CSV export", () => {
  async function csvOf(f: TAuditFilters, batch?: number): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of auditCsvStream(db(), await resolveFilters(db(), f), { batch }))
      chunks.push(Buffer.from(typeof c === "string" ? c : (c as Buffer)));
    return Buffer.concat(chunks).toString("utf8");
  }

  it("neutralises spreadsheet formulas at the start of any cell", async () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=1", "1-2"].map(neutraliseCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      "a=1",
      "1-2",
    ]);
    const orgId = randomUUID();
    const r = await makeReferral({ orgId });
    await recordAudit(db(), {
      actor: { type: "system", label: '=HYPERLINK("http://evil.example","x")' },
      action: "push.failed",
      entityType: "referral_request",
      entityId: r.id,
      details: { failure: "http", call: "@SUM(1+1)" },
    });
    await recordAudit(db(), {
      actor: { type: "system", label: "+cmd" },
      action: "-weird.action",
      entityType: "referral_request",
      entityId: r.id,
    });
    const csv = await csvOf({ agency: orgId });
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "event_id,time_utc,actor_type,actor,actor_name,action,action_group,description,entity_type,entity_id,request_id,agency_org_id,agency,details",
    );
    expect(lines).toHaveLength(4);
    // No cell of any line starts with a formula character (csv cells start after a comma or a quote).
    for (const line of lines.slice(1)) expect(line).not.toMatch(/(^|,)"?[=+\-@]/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(",'+cmd,");
    expect(csv).toContain(",'-weird.action,");
  });

  it("streams 100,000 events at flat memory", async () => {
    const orgId = randomUUID();
    const r = await makeReferral({ orgId });
    // ~1 KB of details per event: the CSV is ~130 MB, far more than the memory it may use.
    // Test data in bulk, on a connection of its own: the app pool's timeouts are for requests.
    await bulk(sql`insert into audit_events (at, actor_type, actor_id, actor_label, action, entity_type, entity_id, agency_org_id, details)
      select now() - g * interval '1 second', 'user', ${actors.reviewer.id}, ${actors.reviewer.email}, 'push.failed', 'referral_request', ${r.id}, ${orgId},
        jsonb_build_object('pushId', gen_random_uuid(), 'failure', 'http', 'accloudStatus', 503, 'call', repeat('PUT /ext/api/v2/scheduler/services/{id} ', 25))
      from generate_series(1, 100000) g`);
    // A process whose heap is capped at 64 MB streams the whole CSV (well over 200 MB): holding
    // the rows or the text would run it out of memory. Measuring RSS in this (shared, busy)
    // process instead was at the mercy of the garbage collector's timing.
    const child = spawnSync(
      process.execPath,
      [
        "--max-old-space-size=64",
        "--conditions=react-server",
        "--import",
        "tsx",
        "test/fixtures/audit-export-memory.fixture.ts",
        orgId,
      ],
      {
        env: { ...process.env, LOG_LEVEL: "error" },
        encoding: "utf8",
        timeout: 200_000,
      },
    );
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split("\n").pop()!) as { bytes: number; heapUsedMb: number };
    expect(out.bytes / 1024 / 1024).toBeGreaterThan(200);
    expect(out.heapUsedMb).toBeLessThan(64);
  }, 240_000);
});
