/**
 * Vitest global setup of the "embedded" project: a fresh embedded PostgreSQL cluster for every
 * run (in the system temp dir, removed afterwards), migrated, its URL handed to the test files
 * (test/support/worker-setup.ts). With DATABASE_URL set when vitest starts, a fresh database on
 * that server is used instead.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../db/embedded";
import { createTestDatabase, dropTestDatabase, migratedTestDatabase, testDatabaseName } from "./database";

export const { setup, teardown } = migratedTestDatabase(async (onTeardown) => {
  const database = testDatabaseName();
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const { url } = await createTestDatabase(serverUrl, database);
    onTeardown(() => dropTestDatabase(serverUrl, database));
    return url;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "csi-test-"));
  onTeardown(() => rmSync(tmp, { recursive: true, force: true }));
  const embedded = await startEmbeddedPostgres({ dataRoot: tmp, database, preferredPort: 0 });
  onTeardown(() => embedded.stop());
  return embedded.url;
});
