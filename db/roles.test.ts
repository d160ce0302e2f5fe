/**
 * The audit trail's append-only rule holds against the app's own database role: migrations run
 * as the owner and grant the app role what the app needs, so the app can read and append to
 * audit_events but neither change nor remove a record, nor lift the trigger that guards it, nor
 * choose a record's time or number. It can create nothing (no schema, no table, no temporary
 * table), so no object of its own can shadow the audit trail. And the app still does everything it
 * does at run time as that role: store a referral through the webhook, use the job queue the owner
 * made for it, reach a schema made before. Runs on the embedded cluster and on the server (the
 * test role needs CREATEROLE there, as .ci/server-postgres and the temporary server give it).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "../lib/env";
import { createTestDatabase, dropTestDatabase } from "../test/support/database";
import { roleOf, runMigrations } from "./migrate";

const adminUrl = process.env.DATABASE_URL!;
const suffix = randomBytes(4).toString("hex");
const appRole = `csi_app_t${suffix}`;
const appPassword = randomBytes(12).toString("base64url");
let ownerUrl = "";
let appUrl = "";
let drop: (() => Promise<void>) | undefined;
let canCreateRoles = false;
const jobSchema = `jobs_${suffix}`;
const savedJobSchema = process.env.JOB_QUEUE_SCHEMA;

/** As the launcher migrates (lib/runtime/boot.ts): the owner also makes the job queue, on this file's own schema. */
async function migrateAsOwner(): Promise<void> {
  process.env.JOB_QUEUE_SCHEMA = jobSchema;
  resetEnvCache();
  const { installJobQueue } = await import("../lib/jobs/queue");
  await runMigrations(ownerUrl, { appRole, ownerSetUp: installJobQueue });
}

/** The SQLSTATE a statement fails with, or null when it succeeds. */
async function refusal(client: pg.Client, statement: string, values: unknown[] = []): Promise<string | null> {
  return client.query(statement, values).then(
    () => null,
    (e: { code?: string }) => e.code ?? "no code",
  );
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** A connection to `url` for `run`, ended afterwards. */
async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  canCreateRoles = await withClient(adminUrl, async (admin) => {
    const r = await admin.query<{ ok: boolean }>(
      "select rolsuper or rolcreaterole as ok from pg_roles where rolname = current_user",
    );
    const ok = r.rows[0]!.ok;
    if (ok)
      await admin.query(`create role ${appRole} login nosuperuser nocreatedb nocreaterole password '${appPassword}'`);
    return ok;
  });
  if (!canCreateRoles) return;
  ownerUrl = (await createTestDatabase(adminUrl, `roles_${suffix}`)).url;
  drop = async () => {
    // Ending the app role's sessions still open (a pool's idle connections) needs membership of it.
    const m = await connect(adminUrl);
    await m.query(`grant ${appRole} to current_user`).finally(() => m.end());
    await dropTestDatabase(adminUrl, `roles_${suffix}`);
    const a = await connect(adminUrl);
    await a.query(`drop role if exists ${appRole}`).finally(() => a.end());
  };
  const u = new URL(ownerUrl);
  u.username = appRole;
  u.password = appPassword;
  appUrl = u.toString();
  await migrateAsOwner();
});

afterAll(async () => {
  process.env.JOB_QUEUE_SCHEMA = savedJobSchema;
  resetEnvCache();
  await drop?.();
});

describe("the app's database role", () => {
  it("reads and appends to audit_events, and can neither change, remove nor unguard a record", async (ctx) => {
    if (!canCreateRoles) {
      console.warn("SKIPPED: the test role cannot create roles (give it CREATEROLE)");
      ctx.skip();
    }
    await withClient(appUrl, async (app) => {
      await app.query(
        `insert into audit_events (actor_type, actor_label, action, entity_type) values ('system', 'test', 'test.appended', 'test')`,
      );
      const read = await app.query("select id from audit_events where action = 'test.appended'");
      expect(read.rowCount).toBe(1);
      const refused = (statement: string) => refusal(app, statement);
      // Refused by privileges (42501), not only by the trigger the owner could drop.
      expect(await refused("update audit_events set action = 'changed'")).toBe("42501");
      expect(await refused("delete from audit_events")).toBe("42501");
      expect(await refused("truncate audit_events")).toBe("42501");
      expect(await refused("alter table audit_events disable trigger audit_events_no_update_delete")).toBe("42501");
      expect(await refused("drop trigger audit_events_no_update_delete on audit_events")).toBe("42501");
      expect(
        await refused(
          "create or replace function audit_events_refuse_change() returns trigger as $$ begin return new; end $$ language plpgsql",
        ),
      ).toBe("42501");
      expect(await refused("drop table audit_events")).toBe("42501");
      // What it needs elsewhere it has.
      await app.query("update users set name = name where false");
      await app.query("delete from sign_in_rate_limits where false");
      expect((await app.query("select count(*) from drizzle.__drizzle_migrations")).rowCount).toBe(1);
    });
  });

  it("can create nothing: no schema, no table (in public, in the job queue's schema or temporary)", async (ctx) => {
    if (!canCreateRoles) ctx.skip();
    await withClient(appUrl, async (app) => {
      expect(await refusal(app, `create schema ${appRole}`)).toBe("42501");
      expect(await refusal(app, "create schema if not exists shadow")).toBe("42501");
      // Unqualified, as a shadow audit_events would be made; and in each schema by name.
      expect(await refusal(app, "create table audit_events_shadow (id int)")).toBe("42501");
      expect(await refusal(app, "create table public.audit_events_shadow (id int)")).toBe("42501");
      expect(await refusal(app, `create table ${jobSchema}.audit_events (id int)`)).toBe("42501");
      expect(await refusal(app, "create view public.shadow as select 1")).toBe("42501");
      expect(await refusal(app, "create function public.shadow() returns int as 'select 1' language sql")).toBe(
        "42501",
      );
      // A temporary table is searched before public (unless search_path names pg_temp later): none either.
      expect(await refusal(app, "create temp table audit_events (id int)")).toBe("42501");
      const rights = await app.query<{ db: boolean; temp: boolean; schemas: string[] }>(
        `select has_database_privilege(current_database(), 'CREATE') as db, has_database_privilege(current_database(), 'TEMPORARY') as temp,
                array(select nspname::text from pg_namespace where has_schema_privilege(oid, 'CREATE') and nspname not like 'pg\\_%' order by 1) as schemas`,
      );
      expect(rights.rows[0]).toEqual({ db: false, temp: false, schemas: [] });
    });
  });

  it("cannot choose an audit record's time or number: the database sets both", async (ctx) => {
    if (!canCreateRoles) ctx.skip();
    await withClient(appUrl, async (app) => {
      const columns = "actor_type, actor_label, action, entity_type";
      const values = "'system', 'test', 'test.dated', 'test'";
      expect(
        await refusal(app, `insert into audit_events (at, ${columns}) values ('2020-01-01T00:00:00Z', ${values})`),
      ).toBe("42501");
      expect(await refusal(app, `insert into audit_events (at, ${columns}) values (default, ${values})`)).toBe("42501");
      expect(await refusal(app, `insert into audit_events (id, ${columns}) values (1, ${values})`)).toBe("42501");
      expect(
        await refusal(
          app,
          `insert into audit_events (id, ${columns}) overriding system value values (9000000000, ${values})`,
        ),
      ).toBe("42501");
      expect(
        await refusal(app, `insert into audit_events (agency_org_id, ${columns}) values ('someone-else', ${values})`),
      ).toBe("42501");
      // The sequence that numbers the records cannot be moved (setval needs UPDATE).
      expect(await refusal(app, "select setval('audit_events_id_seq', 1)")).toBe("42501");
      expect(await refusal(app, "select setval('audit_events_id_seq', 9000000000, false)")).toBe("42501");
      expect(await refusal(app, "alter sequence audit_events_id_seq restart with 1")).toBe("42501");
      // What it may write, it writes, with the database's time and the next number; RETURNING reads them.
      const before = await app.query<{ id: string }>("select coalesce(max(id), 0)::text as id from audit_events");
      const r = await app.query<{ id: string; fresh: boolean }>(
        `insert into audit_events (${columns}) values (${values}) returning id::text, at = now() as fresh`,
      );
      expect(r.rows[0]!.fresh).toBe(true);
      expect(BigInt(r.rows[0]!.id)).toBeGreaterThan(BigInt(before.rows[0]!.id));
    });
    // The app's own writer names only the columns it may write.
    const { resetEnvCache: reset } = await import("../lib/env");
    const { closeDb, getDb } = await import("../lib/db");
    const { recordAudit } = await import("../lib/audit/record");
    const { systemActor } = await import("../lib/access/actors");
    process.env.DATABASE_URL = appUrl;
    reset();
    await closeDb();
    try {
      await recordAudit(getDb(), {
        actor: systemActor("test"),
        action: "test.recorded",
        entityType: "test",
        details: { n: 1 },
      });
      const row = await getDb().$client.query(
        "select details, at is not null as timed from audit_events where action = 'test.recorded'",
      );
      expect(row.rows).toEqual([{ details: { n: 1 }, timed: true }]);
    } finally {
      await closeDb();
      process.env.DATABASE_URL = adminUrl;
      reset();
    }
  });

  it("uses the job queue the owner made with the migrations, and reaches a schema made before it had a role", async (ctx) => {
    if (!canCreateRoles) ctx.skip();
    // A job-queue schema an earlier version made as the owner (the embedded cluster's superuser).
    await withClient(ownerUrl, async (owner) => {
      await owner.query("create schema legacy_jobs; create table legacy_jobs.job (id serial primary key, name text)");
    });
    await migrateAsOwner();

    const { default: PgBoss } = await import("pg-boss");
    const { QUEUES } = await import("../lib/jobs/queue");
    const { push: PUSH_QUEUE, referenceRefresh: REFERENCE_QUEUE, notify: NOTIFY_QUEUE } = QUEUES;
    // As the app's processes start it (migrate: true): the schema is there and current, so pg-boss changes nothing.
    const boss = new PgBoss({
      connectionString: appUrl,
      schema: jobSchema,
      supervise: false,
      schedule: false,
      migrate: true,
    });
    boss.on("error", () => {});
    await boss.start();
    try {
      for (const queue of [PUSH_QUEUE, REFERENCE_QUEUE, NOTIFY_QUEUE])
        expect(await boss.getQueue(queue), queue).toMatchObject({ name: queue });
      expect(await boss.send(PUSH_QUEUE, { pushId: "roles-test" })).toMatch(/^[0-9a-f-]{36}$/);
      const [job] = await boss.fetch<{ pushId: string }>(PUSH_QUEUE);
      expect(job?.data).toEqual({ pushId: "roles-test" });
      await boss.complete(PUSH_QUEUE, job!.id);
      // A queue of its own would be a table of its own: refused.
      await expect(boss.createQueue("roles-test-new")).rejects.toMatchObject({ code: "42501" });
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    }

    await withClient(appUrl, async (app) => {
      await app.query("insert into legacy_jobs.job (name) values ('x')");
      const owners = await app.query<{ nspname: string; owner: string }>(
        "select nspname, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname in ($1, 'legacy_jobs') order by 1",
        [jobSchema],
      );
      expect(owners.rows.map((r) => r.owner)).toEqual([roleOf(ownerUrl), roleOf(ownerUrl)]);
    });
  });

  it("keeps every privilege it uses while another process migrates and grants again", async (ctx) => {
    if (!canCreateRoles) ctx.skip();
    const { grantAppRole } = await import("./migrate");
    const owner = await connect(ownerUrl);
    const app = await connect(appUrl);
    const failures: string[] = [];
    // What a running app does, tried after every statement of the grants (as if between them).
    const probe = async (after: string) => {
      for (const statement of [
        "insert into audit_events (actor_type, actor_label, action, entity_type) values ('system', 'test', 'test.probe', 'test')",
        `select count(*) from ${jobSchema}.queue`,
        "update users set name = name where false",
      ]) {
        const code = await refusal(app, statement);
        if (code) failures.push(`${code} for "${statement.slice(0, 30)}…" after "${after.slice(0, 60)}"`);
      }
    };
    const observed = Object.create(owner) as pg.Client;
    observed.query = (async (...args: Parameters<pg.Client["query"]>) => {
      const result = await (owner.query as (...a: unknown[]) => Promise<unknown>)(...args);
      await probe(String(args[0]));
      return result;
    }) as pg.Client["query"];
    try {
      await grantAppRole(observed, appRole);
      expect(failures).toEqual([]);
    } finally {
      await owner.end();
      await app.end();
    }
  });

  it("stores a referral through the webhook as that role", async (ctx) => {
    if (!canCreateRoles) ctx.skip();
    const { resetEnvCache } = await import("../lib/env");
    const { closeDb, getDb } = await import("../lib/db");
    process.env.DATABASE_URL = appUrl;
    resetEnvCache();
    await closeDb();
    try {
      const { basic, freshPayload, newApiClient, webhookRequest } = await import("../test/support/fixtures");
      const { handleReferralWebhook } = await import("../lib/intake/webhook");
      const c = await newApiClient();
      const res = await handleReferralWebhook(webhookRequest(freshPayload(), { auth: basic(c) }), getDb());
      expect(res.status).toBe(201);
      const check = await getDb().$client.query(
        "select current_user as who, current_setting('search_path') as path, (select count(*)::int from audit_events where action = 'referral.received') as n",
      );
      expect(check.rows[0]).toEqual({ who: appRole, path: "public,pg_temp", n: 1 });
    } finally {
      await closeDb();
      process.env.DATABASE_URL = adminUrl;
      resetEnvCache();
    }
  });
});
