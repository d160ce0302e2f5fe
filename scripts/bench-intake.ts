/**
 * `npm run bench:intake` (a benchmark, not a test): the webhook against a baseline route that
 * does one bare insert of the same body, in the same run on the same production build.
 * 50 connections, 10 s each, the reference payload with a unique request_id per request;
 * BENCH_ROUNDS (default 3) alternating rounds, medians reported.
 * Prints req/s, p50, p99 and errors for both and the ratio (target ≥ 0.8, p99 ≤ 150 ms, 0 errors).
 */
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { buildApp, cannon, medianFigures, printTable, startApp, type Figures } from "./bench-lib";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const distDir = ".next-bench";
const baseEnv = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" };
if (!process.argv.includes("--no-build")) buildApp(baseEnv);
process.env.NEXT_DIST_DIR = distDir;

const app = await startApp({ port: 3200, dataDir: path.resolve(".data/bench-intake"), extraEnv: { BENCH_BASELINE: "1", NEXT_DIST_DIR: distDir } });
try {
  const creds = JSON.parse(
    execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/api-client.ts", "create", "--name", "bench", "--json"], {
      env: app.env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as { key: string; secret: string };

  const owner = JSON.parse(readFileSync(path.resolve(".data/bench-intake/owner.json"), "utf8")) as { port: number };
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${owner.port}/app` });
  await client.connect();
  await client.query("create table if not exists bench_baseline (id bigserial primary key, body text not null, created_at timestamptz not null default now())");
  await client.end();

  const template = JSON.parse(readFileSync(path.resolve("reference/new_referral_request_payload.json"), "utf8")) as Record<string, unknown>;
  const body = () => JSON.stringify({ ...template, request_id: randomUUID() });
  const headers = { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${creds.key}:${creds.secret}`).toString("base64")}` };
  const run = (name: string, pathName: string, seconds: number) =>
    cannon(name, {
      url: `${app.url}${pathName}`,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [{ method: "POST", headers, setupRequest: (req) => ({ ...req, body: body() }) }],
    });

  console.log("Warming up…");
  await run("warm-up webhook", "/api/referral-requests", 5);
  await run("warm-up baseline", "/api/bench/baseline", 5);
  // Rounds alternate baseline and webhook, so drift on a shared machine (a noisy neighbour, a
  // checkpoint, tables growing) falls on both; the medians are the figures.
  const baselines: Figures[] = [];
  const intakes: Figures[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    baselines.push(await run(`baseline (bare insert) #${round}`, "/api/bench/baseline", DURATION));
    intakes.push(await run(`webhook #${round}`, "/api/referral-requests", DURATION));
    console.log(`round ${round}: baseline ${baselines.at(-1)!.rps.toFixed(1)} req/s, webhook ${intakes.at(-1)!.rps.toFixed(1)} req/s`);
  }
  const baseline = medianFigures("baseline (bare insert)", baselines);
  const intake = medianFigures("webhook /api/referral-requests", intakes);
  printTable([...baselines, ...intakes]);
  console.log(`\nmedians of ${ROUNDS} rounds:`);
  printTable([baseline, intake]);
  console.log("");
  console.log(`ratio webhook/baseline req/s: ${(intake.rps / baseline.rps).toFixed(2)}  (target ≥ 0.80)`);
  console.log(`webhook p99: ${intake.p99} ms (target ≤ 150), errors: ${intake.errors + intake.non2xx} (target 0)`);
} finally {
  await app.stop();
}
