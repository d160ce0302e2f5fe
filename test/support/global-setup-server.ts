/**
 * Vitest global setup of the "server" project: the integration tests again, against a
 * PostgreSQL server as production runs it (DATABASE_URL set), on a fresh migrated database.
 *  - TEST_SERVER_DATABASE_URL set (CI sets it): a database is created there (its role needs
 *    CREATEDB). An unreachable server fails the run;
 *  - otherwise a temporary cluster from the installed server binaries (test/support/server-postgres.ts).
 * vitest.config.ts leaves the project out, loudly, when neither is available.
 */
import {
  createTestDatabase,
  describeServer,
  dropTestDatabase,
  migratedTestDatabase,
  testDatabaseName,
} from "./database";
import { serverBinDir, startTemporaryServer } from "./server-postgres";

export const { setup, teardown } = migratedTestDatabase(async (onTeardown) => {
  let adminUrl = process.env.TEST_SERVER_DATABASE_URL;
  let origin = "TEST_SERVER_DATABASE_URL";
  if (!adminUrl) {
    const bin = serverBinDir();
    if (!bin)
      throw new Error(
        "no TEST_SERVER_DATABASE_URL and no PostgreSQL server binaries (vitest.config.ts should have left this project out)",
      );
    const temporary = await startTemporaryServer(bin);
    onTeardown(() => temporary.stop());
    adminUrl = temporary.url;
    origin = `a temporary cluster from ${bin}`;
  }
  const database = testDatabaseName();
  const { url, serverVersion } = await createTestDatabase(adminUrl, database);
  const admin = adminUrl;
  onTeardown(() => dropTestDatabase(admin, database));
  console.log(`[server] PostgreSQL ${serverVersion} at ${describeServer(adminUrl)} (${origin}), database ${database}`);
  return url;
});
