/**
 * The process's PostgreSQL pool and drizzle over it. Read this first: every pooled connection's
 * `client.query` is patched (`nameStatements`, below) so that a parameterized statement gets a name
 * and is prepared once per connection (docs/architecture.md, "The database module"); nothing else
 * here changes what a query does.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { getEnv } from "./env";
import { errorBrief } from "./errors";
import { logger } from "./log";

/**
 * The app's database: drizzle over the process's pool (`$client`, for work that needs a connection
 * of its own). Without drizzle's relational queries (`db.query.*`, unused): their config is built
 * by walking the whole schema, which every transaction on a connection of its own would redo.
 */
export type Db = NodePgDatabase & { $client: pg.Pool };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A transaction, or drizzle over one connection that is inside a transaction. */
export type TxDb = Tx | NodePgDatabase;

const log = logger("db");

// One pool per process; kept on globalThis so Next's dev reloads don't leak connections, and so
// the launcher (which serves the HTTP requests) and Next's bundled copy of this module share it
// and its view of whether the database answers.
const globalForDb = globalThis as unknown as {
  csiPool?: pg.Pool;
  csiDb?: Db;
  csiDbUnavailableUntil?: number;
  csiOwnStatementTimeout?: AsyncLocalStorage<true>;
};

// DATE columns stay "YYYY-MM-DD" strings: a JS Date would shift them by the server's zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** How long after a database failure a 500 is answered as 503 (see lib/runtime/unavailable.ts). */
const UNAVAILABLE_FOR_MS = 15_000;

/**
 * Failures a retry may cure: no connection (refused, reset, timed out), a server that stopped
 * answering (read timeout), shutting down, out of resources, a statement or lock timeout, a
 * serialization failure or deadlock.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  const code = typeof e.code === "string" ? e.code : "";
  if (/^(08|53|57P0)/.test(code) || ["57014", "55P03", "40001", "40P01"].includes(code)) return true;
  if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"].includes(code))
    return true;
  const message = typeof e.message === "string" ? e.message : "";
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Client has encountered a connection error/i.test(
    message,
  );
}

/**
 * What PostgreSQL refuses for a value itself, the same on every retry: data exceptions (22…:
 * out of range, bad encoding, invalid text), program limits (54…: index row too large, nesting
 * too deep), not-null and check violations.
 */
export function isUnstorableValue(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (/^(22|54)/.test(code) || code === "23502" || code === "23514");
}

// Shared like the pool: the statement runs in Next's copy of this module, the pool may be the launcher's.
const ownStatementTimeout = () => (globalForDb.csiOwnStatementTimeout ??= new AsyncLocalStorage<true>());

/**
 * Runs `fn` under a statement timeout of its own that it catches and answers (the audit trail's
 * capped count: `set local statement_timeout`, then an estimate): a 57014 inside is that limit
 * doing its work, not the database failing, so it does not turn the next 15 s of 500s into 503s.
 * Any other failure inside still counts.
 */
export function withOwnStatementTimeout<T>(fn: () => Promise<T>): Promise<T> {
  return ownStatementTimeout().run(true, fn);
}

function observe(err: unknown): void {
  if ((err as { code?: unknown } | null)?.code === "57014" && ownStatementTimeout().getStore()) return;
  if (isDatabaseUnavailable(err)) globalForDb.csiDbUnavailableUntil = Date.now() + UNAVAILABLE_FOR_MS;
}

/** true for a while after a query or connection of this process failed for want of the database. */
export function databaseRecentlyUnavailable(): boolean {
  return (globalForDb.csiDbUnavailableUntil ?? 0) > Date.now();
}

/** A pool that notes database failures (new connections that fail, queries that fail on any client). */
class ObservedPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    if (callback) {
      super.connect((err, client, done) => {
        if (err) observe(err);
        callback(err, client, done);
      });
      return;
    }
    return super.connect().catch((err: unknown) => {
      observe(err);
      throw err;
    });
  }
}

type Queryable = { query: (...args: unknown[]) => unknown };
function observeQueries(target: object): void {
  const q = target as Queryable;
  const query = q.query.bind(target);
  q.query = (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (err: unknown, ...rest: unknown[]) => void;
      args[args.length - 1] = (err: unknown, ...rest: unknown[]) => {
        if (err) observe(err);
        callback(err, ...rest);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(observe);
    return result;
  };
}

/**
 * Parameterized statements are named, one name per distinct text in this process, so each
 * connection parses and plans a statement the first time only: PostgreSQL keeps it, planning it
 * again per execution or using a generic plan when that costs no more. Planning was a fifth of
 * PostgreSQL's time in a push (bench:push). At most NAMED_MAX texts are named; the rest run unnamed.
 */
const NAMED_MAX = 500;
const names = new Map<string, string>();
let lastName = 0;
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < NAMED_MAX) {
    name = `auto-${++lastName}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A prepared statement whose row type a migration changed (a column's type, while this process
 * runs) fails on its connection every time: its text gets a new name, so the next run prepares it
 * again. The caller gets this run's error.
 */
function renameIfStale(text: string, err: unknown): void {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (
    e?.code === "0A000" &&
    typeof e.message === "string" &&
    e.message.includes("cached plan must not change result type")
  )
    names.delete(text);
}

/** The query with its name, its failure noted by renameIfStale (by promise or by callback, as pg-pool calls it). */
function runNamed(
  query: (...args: unknown[]) => unknown,
  config: QueryConfig & { name: string },
  rest: unknown[],
): unknown {
  const callback = rest.find((a) => typeof a === "function") as ((err: unknown, ...r: unknown[]) => void) | undefined;
  if (callback) {
    return query(config, (err: unknown, ...r: unknown[]) => {
      if (err) renameIfStale(config.text, err);
      callback(err, ...r);
    });
  }
  const result = query(config);
  if (result instanceof Promise) result.catch((err: unknown) => renameIfStale(config.text, err));
  return result;
}

type QueryConfig = { text: string; values?: unknown[]; name?: string };
function nameStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as Queryable).query = (...args: unknown[]) => {
    const [first, second] = args;
    if (typeof first === "string" && Array.isArray(second) && second.length) {
      const name = nameOf(first);
      if (name) return runNamed(query, { text: first, values: second, name }, args.slice(2));
    } else if (
      first &&
      typeof first === "object" &&
      typeof (first as QueryConfig).text === "string" &&
      !(first as QueryConfig).name
    ) {
      const config = first as QueryConfig;
      const name = config.values?.length ? nameOf(config.text) : undefined;
      if (name) return runNamed(query, { ...config, name }, args.slice(1));
    }
    return query(...args);
  };
}

/** The search_path of every connection of the app's pool. */
export const APP_SEARCH_PATH = "public,pg_temp";

export function createPool(connectionString: string, opts: { max?: number } = {}): pg.Pool {
  const env = getEnv();
  const pool = new ObservedPool({
    connectionString,
    max: opts.max ?? env.DATABASE_POOL_MAX,
    // A server that is down, or up but not answering (a frozen host, a stuck proxy), costs a
    // request seconds, never a hang: the connection, each statement (cancelled by PostgreSQL),
    // and the wait for an answer at all (a server that cannot even cancel) are bounded.
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
    query_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS + 2000,
    // Unqualified names are the app's own tables: not a schema named after the role ("$user", the
    // default's first entry), and temporary tables last instead of first (README, "Database roles").
    options: `-c search_path=${APP_SEARCH_PATH}`,
    keepAlive: true,
  });
  // Queries fail on the pool (pool.query, which drizzle uses outside transactions) and on its
  // clients (transactions), with a promise or with a callback: each way is observed.
  observeQueries(pool);
  pool.on("connect", (client) => {
    nameStatements(client);
    observeQueries(client);
  });
  // An idle client's error (server restart) must not crash the process.
  pool.on("error", (err: Error & { code?: string }) => {
    observe(err);
    // 57P01: the server is shutting down (the embedded PostgreSQL stopping with the app).
    // By code only: a database error's message may quote a value.
    if (err.code !== "57P01") log.error(`idle client error: ${errorBrief(err)}`);
  });
  return pool;
}

export function getPool(): pg.Pool {
  if (!globalForDb.csiPool) {
    const env = getEnv();
    if (!env.DATABASE_URL)
      throw new Error("DATABASE_URL is not set (the launcher sets it for the embedded PostgreSQL)");
    globalForDb.csiPool = createPool(env.DATABASE_URL);
  }
  return globalForDb.csiPool;
}

export function getDb(): Db {
  globalForDb.csiDb ??= drizzle(getPool());
  return globalForDb.csiDb;
}

export async function closeDb(): Promise<void> {
  const pool = globalForDb.csiPool;
  globalForDb.csiPool = undefined;
  globalForDb.csiDb = undefined;
  await pool?.end();
}
