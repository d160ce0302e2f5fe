/**
 * Shared plumbing for the benchmark scripts: a production app on a private data dir, signed in to
 * or with an API client, and a bench's run around them (its figures: bench-figures.ts).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { resolveDataRoot } from "../db/embedded";
import { printResults } from "./bench-figures";

/** `ownerUrl`: the embedded cluster's superuser, on the app's database (data generation, set-up reads). */
export type BenchApp = { url: string; env: NodeJS.ProcessEnv; ownerUrl: string; stop: () => Promise<void> };

/**
 * Where a bench keeps the data of `name` (`.data/bench-…` unless BENCH_DATA_DIR names another
 * parent: the bench test runs the benches in a temporary folder).
 */
export const benchDataDir = (name: string) => path.resolve(process.env.BENCH_DATA_DIR || ".data", name);

/** How long each measured run lasts (BENCH_SECONDS, default 10) and how many rounds a bench alternates (BENCH_ROUNDS, default 3). */
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * The benchmarks' own build: BENCH_BASELINE=1 (next.config.js then makes the `*.bench.ts(x)`
 * ceiling routes part of it) into a dist dir of its own, so the production build in `.next`
 * (which has no bench route) is never replaced by it. BENCH_DIST_DIR names another folder.
 */
export const BENCH_DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";
export const benchEnv = { BENCH_BASELINE: "1", NEXT_DIST_DIR: BENCH_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" };

/**
 * `next build` with benchEnv, skipped with --no-build (the last bench build is reused).
 * BENCH_REACT_PROFILE=1 builds with `next build --profile` (React's profiling build: the
 * Components track of a Chrome trace names each component's render and hydration; its
 * figures are not comparable with a normal build's).
 */
export function buildApp(): void {
  process.env.NEXT_DIST_DIR = BENCH_DIST_DIR;
  if (process.argv.includes("--no-build")) return;
  const profile = process.env.BENCH_REACT_PROFILE === "1";
  console.log(`Building (BENCH_BASELINE=1 next build${profile ? " --profile" : ""} into ${BENCH_DIST_DIR})…`);
  const r = spawnSync(
    process.execPath,
    [path.resolve("node_modules/next/dist/bin/next"), "build", ...(profile ? ["--profile"] : [])],
    {
      stdio: "inherit",
      env: { ...process.env, ...benchEnv, NODE_ENV: "production" },
    },
  );
  if (r.status !== 0) throw new Error("next build failed");
}

/** The embedded cluster's owner record (db/embedded.ts) of a data dir, where the runtime keeps it. */
function readOwner(dataDir: string): { nodePid: number; port: number } | null {
  try {
    return JSON.parse(readFileSync(path.join(resolveDataRoot(dataDir), "owner.json"), "utf8")) as {
      nodePid: number;
      port: number;
    };
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/**
 * keepData: reuse the data dir (a database seeded by an earlier run) instead of starting empty.
 * The app always runs on its own embedded cluster in `dataDir` (DATABASE_URL and
 * DATABASE_OWNER_URL of the caller's environment are not passed on). It refuses to start when
 * its port already answers or its data dir belongs to a live process (another run of the same
 * bench): the health check would otherwise pass on the other app while this one is still
 * starting, and the data dir would be removed under the other one's PostgreSQL.
 */
export async function startApp(opts: {
  port: number;
  dataDir: string;
  keepData?: boolean;
  extraEnv?: Record<string, string>;
}): Promise<BenchApp> {
  if (await listening(opts.port))
    throw new Error(`port ${opts.port} is already in use (another run of this bench, or another app?)`);
  const holder = readOwner(opts.dataDir);
  if (holder && alive(holder.nodePid))
    throw new Error(
      `${opts.dataDir} is in use by a running process (pid ${holder.nodePid}): another run of this bench?`,
    );
  if (!opts.keepData) rmSync(opts.dataDir, { recursive: true, force: true });
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.DATABASE_OWNER_URL;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...benchEnv,
    PORT: String(opts.port),
    DATA_DIR: opts.dataDir,
    SEED_DEMO_DATA: "false",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ACCLOUD_SANDBOX_PORT: String(opts.port + 1000),
    EMBEDDED_PG_PORT: String(opts.port + 50000 > 65000 ? 0 : opts.port + 50000),
    ...opts.extraEnv,
  };
  // One process (`node --import tsx`, as the Procfile runs it): tsx's CLI would put a second one
  // in between, which SIGKILLs the launcher when it does not acknowledge a relayed SIGTERM within
  // 30 ms (a loaded machine), leaving its PostgreSQL behind.
  // BENCH_CPU_PROFILE_DIR=dir: the app runs under --cpu-prof (a .cpuprofile per thread, written when it stops).
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROFILE_DIR
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`]
        : []),
      "--import",
      "tsx",
      "scripts/start.ts",
    ],
    { env, stdio: ["ignore", "inherit", "inherit"] },
  );
  const url = `http://127.0.0.1:${opts.port}`;
  // A stop that did not go cleanly (the launcher exits non-zero then) fails the bench.
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      const settle = () =>
        child.exitCode === 0
          ? resolve()
          : reject(new Error(`the app stopped with ${child.exitCode ?? child.signalCode}`));
      if (child.exitCode !== null || child.signalCode !== null) return settle();
      child.once("exit", settle);
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited during start (code ${child.exitCode})`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      // Not left running (with its PostgreSQL) after the bench gives up.
      await stop().catch(() => {});
      throw new Error("the app did not become healthy");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const owner = readOwner(opts.dataDir);
  if (!owner) {
    await stop().catch(() => {});
    throw new Error(`the app started, but ${opts.dataDir} has no owner.json: is DATABASE_URL set in its environment?`);
  }
  return { url, env, ownerUrl: `postgres://postgres:postgres@127.0.0.1:${owner.port}/app`, stop };
}

/**
 * A webhook API client made as an operator makes one (`npm run api-client -- create`), with the
 * app's environment, so it shares the app's embedded cluster. Its stderr is shown when it fails.
 */
export function createApiClient(app: BenchApp, name = "bench"): { id: string; key: string; secret: string } {
  try {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "scripts/api-client.ts", "create", "--name", name, "--json"],
      {
        env: app.env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    return JSON.parse(out) as { id: string; key: string; secret: string };
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`npm run api-client -- create failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Signs in with the credentials provider as a browser would; the session cookie. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const jar = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/queue" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session.split(";")[0]!;
}

/**
 * A bench's run: the benches' build (buildApp), then `body`, which hands each app it starts to
 * `apps`. Whatever happens, `close` runs (the bench's own connections; its failure is ignored)
 * and then every app is stopped, the last started first, each even when another's stop fails; a
 * failed stop fails the bench. A failure prints `bench failed: …` and sets the exit code 1; the
 * RESULT lines are printed last.
 */
export async function runBench(
  body: (apps: BenchApp[]) => Promise<void>,
  close?: () => Promise<unknown>,
): Promise<void> {
  buildApp();
  const apps: BenchApp[] = [];
  try {
    await body(apps);
  } catch (err) {
    const cause = (err as Error).cause as { code?: string } | undefined;
    console.error(`bench failed: ${(err as Error).message}${cause?.code ? ` (${cause.code})` : ""}`);
    process.exitCode = 1;
  } finally {
    await close?.().catch(() => undefined);
    for (const app of apps.reverse())
      await app.stop().catch((err: Error) => {
        console.error(err.message);
        process.exitCode = 1;
      });
  }
  printResults();
}
