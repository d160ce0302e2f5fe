/**
 * Vitest global setup of the "server" project: the integration tests again, against a
 * PostgreSQL server as production runs it (DATABASE_URL set), on a fresh migrated database.
 *  - TEST_SERVER_DATABASE_URL set (CI sets it): a database is created there (its role needs
 *    CREATEDB). An unreachable server fails the run;
 *  - otherwise a temporary cluster from the installed server binaries (lib/testing/server-postgres.ts).
 * vitest.config.ts leaves the project out, loudly, when neither is available.
 */
import type { TestProject } from "vitest/node";
import { runMigrations } from "../../db/migrate";
import { createTestDatabase, describeServer, dropTestDatabase, testDatabaseName } from "./database";
import { serverBinDir, startTemporaryServer, type TemporaryServer } from "./server-postgres";

let temporary: TemporaryServer | undefined;
let drop: (() => Promise<void>) | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    let adminUrl = process.env.TEST_SERVER_DATABASE_URL;
    let origin = "TEST_SERVER_DATABASE_URL";
    if (!adminUrl) {
      const bin = serverBinDir();
      if (!bin) throw new Error("no TEST_SERVER_DATABASE_URL and no PostgreSQL server binaries (vitest.config.ts should have left this project out)");
      temporary = await startTemporaryServer(bin);
      adminUrl = temporary.url;
      origin = `a temporary cluster from ${bin}`;
    }
    const database = testDatabaseName();
    const { url, serverVersion } = await createTestDatabase(adminUrl, database);
    const admin = adminUrl;
    drop = () => dropTestDatabase(admin, database);
    console.log(`[server] PostgreSQL ${serverVersion} at ${describeServer(adminUrl)} (${origin}), database ${database}`);
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
    await drop?.();
  } finally {
    await temporary?.stop();
  }
}
