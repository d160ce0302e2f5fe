/** A fresh database per test run on a PostgreSQL server, and its removal afterwards. */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { runMigrations } from "../../db/migrate";

export const testDatabaseName = () => `test_${Date.now()}_${process.pid}`;

/** Where a URL points, without its password (for messages). */
export function describeServer(url: string): string {
  const u = new URL(url);
  return `${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.hostname}:${u.port || "5432"}`;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot connect to PostgreSQL at ${describeServer(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates `database` on the server of `adminUrl` (its role needs CREATEDB); returns its URL and the server's version. */
export async function createTestDatabase(
  adminUrl: string,
  database: string,
): Promise<{ url: string; serverVersion: string }> {
  const serverVersion = await withClient(adminUrl, async (c) => {
    await c.query(`create database "${database}"`);
    return (await c.query<{ server_version: string }>("show server_version")).rows[0]!.server_version;
  });
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return { url: url.toString(), serverVersion };
}

/** Drops a database made by createTestDatabase, ending sessions still open on it. */
export async function dropTestDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`drop database if exists "${database}" with (force)`));
}

type Cleanup = () => unknown;

/**
 * A vitest global setup and teardown: `start` makes a database (registering, as it goes, how to
 * undo each thing it made) and answers its URL, which is migrated and handed to the test files.
 * A failed start or migration undoes what was made before it throws; teardown undoes the rest,
 * last made first, each even when a later one failed.
 */
export function migratedTestDatabase(start: (onTeardown: (cleanup: Cleanup) => void) => Promise<string>) {
  const cleanups: Cleanup[] = [];
  async function teardown(): Promise<void> {
    const cleanup = cleanups.pop();
    if (!cleanup) return;
    try {
      await cleanup();
    } finally {
      await teardown();
    }
  }
  async function setup(project: TestProject): Promise<void> {
    try {
      const url = await start((cleanup) => cleanups.push(cleanup));
      await runMigrations(url);
      project.provide("databaseUrl", url);
    } catch (err) {
      // Cleaned up here too, so a failed set-up leaves no cluster behind (teardown then finds nothing left).
      await teardown().catch(() => {});
      throw err;
    }
  }
  return { setup, teardown };
}
