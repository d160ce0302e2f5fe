/** A fresh database per test run on a PostgreSQL server, and its removal afterwards. */
import pg from "pg";

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
    throw new Error(`cannot connect to PostgreSQL at ${describeServer(url)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates `database` on the server of `adminUrl` (its role needs CREATEDB); returns its URL and the server's version. */
export async function createTestDatabase(adminUrl: string, database: string): Promise<{ url: string; serverVersion: string }> {
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
