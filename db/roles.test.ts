/**
 * The audit trail's append-only rule holds against the app's own database role: migrations run
 * as the owner and grant the app role what the app needs, so the app can read and append to
 * audit_events but neither change nor remove a record, nor lift the trigger that guards it.
 * And the app still does everything it does at run time as that role: store a referral through
 * the webhook, create the job queue's schema and the sandbox's, reach a schema made before it had
 * a role. Runs on the embedded cluster and on the server (the test role needs CREATEROLE there,
 * as .ci/server-postgres and the temporary server give it).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dropTestDatabase } from "../lib/testing/database";
import { runMigrations } from "./migrate";

const adminUrl = process.env.DATABASE_URL!;
const suffix = randomBytes(4).toString("hex");
const appRole = `csi_app_t${suffix}`;
const appPassword = randomBytes(12).toString("base64url");
let ownerUrl = "";
let appUrl = "";
let drop: (() => Promise<void>) | undefined;
let canCreateRoles = false;

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

beforeAll(async () => {
  const admin = await connect(adminUrl);
  try {
    const r = await admin.query<{ ok: boolean }>("select rolsuper or rolcreaterole as ok from pg_roles where rolname = current_user");
    canCreateRoles = r.rows[0]!.ok;
    if (!canCreateRoles) return;
    await admin.query(`create role ${appRole} login nosuperuser nocreatedb nocreaterole password '${appPassword}'`);
  } finally {
    await admin.end();
  }
  ownerUrl = (await createTestDatabase(adminUrl, `roles_${suffix}`)).url;
  drop = async () => {
    await dropTestDatabase(adminUrl, `roles_${suffix}`);
    const a = await connect(adminUrl);
    await a.query(`drop role if exists ${appRole}`).finally(() => a.end());
  };
  const u = new URL(ownerUrl);
  u.username = appRole;
  u.password = appPassword;
  appUrl = u.toString();
  await runMigrations(ownerUrl, { appRole });
});

afterAll(async () => {
  await drop?.();
});

describe("the app's database role", () => {
  it("reads and appends to audit_events, and can neither change, remove nor unguard a record", async (ctx) => {
    if (!canCreateRoles) {
      console.warn("SKIPPED: the test role cannot create roles (give it CREATEROLE)");
      ctx.skip();
    }
    const app = await connect(appUrl);
    try {
      await app.query(`insert into audit_events (actor_type, actor_label, action, entity_type) values ('system', 'test', 'test.appended', 'test')`);
      const read = await app.query("select id from audit_events where action = 'test.appended'");
      expect(read.rowCount).toBe(1);
      const refused = async (statement: string) => {
        const err = (await app.query(statement).then(
          () => null,
          (e: { code?: string }) => e,
        )) as { code?: string } | null;
        return err?.code;
      };
      // Refused by privileges (42501), not only by the trigger the owner could drop.
      expect(await refused("update audit_events set action = 'changed'")).toBe("42501");
      expect(await refused("delete from audit_events")).toBe("42501");
      expect(await refused("truncate audit_events")).toBe("42501");
      expect(await refused("alter table audit_events disable trigger audit_events_no_update_delete")).toBe("42501");
      expect(await refused("drop trigger audit_events_no_update_delete on audit_events")).toBe("42501");
      expect(await refused("create or replace function audit_events_refuse_change() returns trigger as $$ begin return new; end $$ language plpgsql")).toBe(
        "42501",
      );
      expect(await refused("drop table audit_events")).toBe("42501");
      // What it needs elsewhere it has.
      await app.query("update users set name = name where false");
      await app.query("delete from sign_in_rate_limits where false");
      expect((await app.query("select count(*) from drizzle.__drizzle_migrations")).rowCount).toBe(1);
    } finally {
      await app.end();
    }
  });

  it("creates the schemas it makes at run time, and reaches one made before it had a role", async (ctx) => {
    if (!canCreateRoles) ctx.skip();
    // A job-queue schema an earlier version made as the owner (the embedded cluster's superuser).
    const owner = await connect(ownerUrl);
    try {
      await owner.query("create schema legacy_jobs; create table legacy_jobs.job (id serial primary key, name text)");
    } finally {
      await owner.end();
    }
    await runMigrations(ownerUrl, { appRole });

    const { default: PgBoss } = await import("pg-boss");
    const boss = new PgBoss({ connectionString: appUrl, schema: `jobs_${suffix}`, supervise: false, schedule: false, migrate: true });
    boss.on("error", () => {});
    await boss.start();
    try {
      await boss.createQueue("roles-test");
      expect(await boss.send("roles-test", { n: 1 })).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    }
    const { prepareSchema } = await import("../lib/accloud/sandbox/store");
    await prepareSchema(appUrl, `sandbox_${suffix}`);

    const app = await connect(appUrl);
    try {
      await app.query("insert into legacy_jobs.job (name) values ('x')");
      const owners = await app.query<{ nspname: string; owner: string }>(
        "select nspname, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname in ($1, $2) order by 1",
        [`jobs_${suffix}`, `sandbox_${suffix}`],
      );
      expect(owners.rows).toEqual([
        { nspname: `jobs_${suffix}`, owner: appRole },
        { nspname: `sandbox_${suffix}`, owner: appRole },
      ]);
    } finally {
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
      const { basic, freshPayload, newApiClient, webhookRequest } = await import("../lib/testing/fixtures");
      const { handleReferralWebhook } = await import("../lib/intake/webhook");
      const c = await newApiClient();
      const res = await handleReferralWebhook(webhookRequest(freshPayload(), { auth: basic(c) }), getDb());
      expect(res.status).toBe(201);
      const check = await getDb().$client.query("select current_user as who, (select count(*)::int from audit_events where action = 'referral.received') as n");
      expect(check.rows[0]).toEqual({ who: appRole, n: 1 });
    } finally {
      await closeDb();
      process.env.DATABASE_URL = adminUrl;
      resetEnvCache();
    }
  });
});
