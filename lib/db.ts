import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../db/schema";
import { getEnv } from "./env";

/** The app's database: drizzle over the process's pool (`$client`, for work that needs a connection of its own). */
export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A transaction, or drizzle over one connection that is inside a transaction. */
export type TxDb = Tx | NodePgDatabase<typeof schema>;

// One pool per process; kept on globalThis so Next's dev reloads don't leak connections.
const globalForDb = globalThis as unknown as { csiPool?: pg.Pool; csiDb?: Db };

// DATE columns stay "YYYY-MM-DD" strings: a JS Date would shift them by the server's zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function getPool(): pg.Pool {
  if (!globalForDb.csiPool) {
    const env = getEnv();
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set (the launcher sets it for the embedded PostgreSQL)");
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
    // An idle client's error (server restart) must not crash the process.
    pool.on("error", (err: Error & { code?: string }) => {
      // 57P01: the server is shutting down (the embedded PostgreSQL stopping with the app).
      if (err.code !== "57P01") console.error(`[db] idle client error: ${err.message}`);
    });
    globalForDb.csiPool = pool;
  }
  return globalForDb.csiPool;
}

export function getDb(): Db {
  globalForDb.csiDb ??= drizzle(getPool(), { schema });
  return globalForDb.csiDb;
}

export async function closeDb(): Promise<void> {
  const pool = globalForDb.csiPool;
  globalForDb.csiPool = undefined;
  globalForDb.csiDb = undefined;
  await pool?.end();
}
