/**
 * The embedded PostgreSQL is set up with the roles production uses: the superuser owns the
 * schema and migrates, the app connects as csi_app, which can append to the audit trail but not
 * change it. A data folder from before the app had its role gets one at its next start.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "../env";
import { bootRuntime } from "./boot";

const saved = { ...process.env };
const dirs: string[] = [];
afterAll(() => {
  process.env = saved;
  resetEnvCache();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function bootIn(dataDir: string) {
  process.env = { ...saved, DATA_DIR: dataDir, EMBEDDED_PG_PORT: "0" };
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_OWNER_URL;
  delete process.env.AUTH_SECRET;
  delete process.env.APP_SECRET;
  resetEnvCache();
  return bootRuntime({ log: () => {} });
}

describe("bootRuntime with the embedded PostgreSQL", () => {
  it("connects the app as csi_app, which cannot change the audit trail; the superuser migrated", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "csi-boot-"));
    dirs.push(dataDir);
    // A data folder from before the app role: its secrets file has no password for it.
    writeFileSync(
      path.join(dataDir, "secrets.json"),
      JSON.stringify({ AUTH_SECRET: "a".repeat(40), APP_SECRET: "b".repeat(40), DEMO_PASSWORD: "demo-kept-1" }),
    );
    for (const round of [1, 2]) {
      const runtime = await bootIn(dataDir);
      try {
        expect(new URL(runtime.databaseUrl).username).toBe("csi_app");
        expect(new URL(process.env.DATABASE_OWNER_URL!).username).toBe("postgres");
        const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as Record<string, string>;
        expect(secrets).toMatchObject({ DEMO_PASSWORD: "demo-kept-1", DATABASE_APP_PASSWORD: expect.any(String) });
        const app = new pg.Client({ connectionString: runtime.databaseUrl });
        await app.connect();
        try {
          await app.query(
            `insert into audit_events (actor_type, actor_label, action, entity_type) values ('system', 'test', 'boot.${round}', 'test')`,
          );
          const update = await app.query("update audit_events set action = 'x'").then(
            () => "allowed",
            (e: { code: string }) => e.code,
          );
          expect(update).toBe("42501");
          const owner = await app.query<{ owner: string; superuser: boolean }>(
            "select pg_get_userbyid(relowner) as owner, (select rolsuper from pg_roles where rolname = current_user) as superuser from pg_class where oid = 'audit_events'::regclass",
          );
          expect(owner.rows[0]).toEqual({ owner: "postgres", superuser: false });
          // The job queue was made by the owner; the app can create nothing anywhere.
          const reach = await app.query<{ queue: string; db: boolean; temp: boolean; schemas: string[] }>(
            `select (select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'pgboss') as queue,
                    has_database_privilege(current_database(), 'CREATE') as db, has_database_privilege(current_database(), 'TEMPORARY') as temp,
                    array(select nspname::text from pg_namespace where has_schema_privilege(oid, 'CREATE') and nspname not like 'pg\\_%') as schemas`,
          );
          expect(reach.rows[0]).toEqual({ queue: "postgres", db: false, temp: false, schemas: [] });
        } finally {
          await app.end();
        }
        if (round === 1) {
          // As a data folder from before: the app had CREATE on the database and made (owned) the job queue's schema.
          const owner = new pg.Client({ connectionString: process.env.DATABASE_OWNER_URL });
          await owner.connect();
          await owner
            .query("grant create on database app to csi_app; alter schema pgboss owner to csi_app")
            .finally(() => owner.end());
        }
      } finally {
        await runtime.stop();
      }
    }
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  }, 120_000);
});
