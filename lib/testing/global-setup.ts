/**
 * Vitest global setup: a fresh embedded PostgreSQL cluster for every run (in the system temp
 * dir, removed afterwards), migrated, with DATABASE_URL handed to the test workers.
 * With DATABASE_URL already set, a fresh database is created on that server instead.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { runMigrations } from "../../db/migrate";

let embedded: EmbeddedDatabase | undefined;
let tmp: string | undefined;

export async function setup(): Promise<void> {
  const database = `test_${Date.now()}_${process.pid}`;
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database "${database}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${database}`;
    process.env.DATABASE_URL = url.toString();
  } else {
    tmp = mkdtempSync(path.join(os.tmpdir(), "csi-test-"));
    embedded = await startEmbeddedPostgres({ dataRoot: tmp, database, preferredPort: 0 });
    process.env.DATABASE_URL = embedded.url;
  }
  await runMigrations(process.env.DATABASE_URL);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
