/**
 * Vitest global setup of the "embedded" project: a fresh embedded PostgreSQL cluster for every
 * run (in the system temp dir, removed afterwards), migrated, its URL handed to the test files
 * (lib/testing/worker-setup.ts). With DATABASE_URL set when vitest starts, a fresh database on
 * that server is used instead.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { runMigrations } from "../../db/migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseName } from "./database";

let embedded: EmbeddedDatabase | undefined;
let tmp: string | undefined;
let dropOnServer: (() => Promise<void>) | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    const database = testDatabaseName();
    const serverUrl = process.env.DATABASE_URL;
    let url: string;
    if (serverUrl) {
      url = (await createTestDatabase(serverUrl, database)).url;
      dropOnServer = () => dropTestDatabase(serverUrl, database);
    } else {
      tmp = mkdtempSync(path.join(os.tmpdir(), "csi-test-"));
      embedded = await startEmbeddedPostgres({ dataRoot: tmp, database, preferredPort: 0 });
      url = embedded.url;
    }
    await runMigrations(url);
    project.provide("databaseUrl", url);
  } catch (err) {
    // Cleaned up here too (teardown may run twice): a failed set-up leaves no cluster behind.
    await teardown().catch(() => {});
    throw err;
  }
}

export async function teardown(): Promise<void> {
  try {
    await dropOnServer?.();
    await embedded?.stop();
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
