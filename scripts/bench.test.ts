/**
 * Every bench runs from a clean clone: each one, in a tiny configuration (a few hundred or
 * thousand rows, one round of one second, one Lighthouse run of two pages), on a new temporary
 * data folder, exits 0, prints each of its RESULT lines with its target, and leaves no
 * PostgreSQL running. Whole runs rather than their set-up only: the measuring code (sign-in,
 * the bench routes, Lighthouse's session, the selectors of the interactions) is what breaks as
 * the app changes. Nothing is asserted about the figures (speed is the benches' business).
 *
 * They need the benches' build (BENCH_BASELINE=1 in .next-bench, as bench-lib.ts makes it):
 * made once here when it is missing or older than the sources, and shared by those that serve. The
 * benches run one after another (about 4 minutes on the 2-core machine, plus the build).
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBenchBuild } from "../test/support/build";
import { BENCH_DIST_DIR } from "./bench-lib";

const dataRoot = mkdtempSync(path.join(os.tmpdir(), "csi-bench-test-"));
// Reachable by the postgres user (the embedded cluster runs as it under root), or the data would move elsewhere.
chmodSync(dataRoot, 0o755);
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

/** Only what an operator's shell would have: the test runner's variables (NODE_ENV=test, DATABASE_URL, its secrets) stay out. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
    NEXT_TELEMETRY_DISABLED: "1",
    BENCH_DIST_DIR,
  };
  for (const k of ["TMPDIR", "CHROMIUM_PATH", "LANG"]) if (process.env[k]) env[k] = process.env[k];
  return { ...env, BENCH_DATA_DIR: dataRoot, ...extra } as unknown as NodeJS.ProcessEnv;
}

async function runBench(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, "--no-build"], {
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, out };
}

/** Each `RESULT <name> <value> <target>` line, by name; the value is a figure (an empty run's ratio may be Infinity or NaN). */
function results(out: string): Map<string, { value: string; target: string }> {
  const lines = [...out.matchAll(/^RESULT (\S+) (\S+) (\S+)$/gm)];
  for (const [, name, value] of lines) expect(value, name).toMatch(/^(-?\d+(\.\d+)?|Infinity|NaN)$/);
  return new Map(lines.map(([, name, value, target]) => [name!, { value: value!, target: target! }]));
}

/** No bench leaves a postmaster behind in its data folders. */
function runningClusters(): string[] {
  return readdirSync(dataRoot).filter((d) => existsSync(path.join(dataRoot, d, "pg", "postmaster.pid")));
}

const expectResults = (out: string, expected: Record<string, string>) => {
  const got = results(out);
  for (const [name, target] of Object.entries(expected))
    expect(got.get(name)?.target, `RESULT ${name}\n${out.slice(-3000)}`).toBe(target);
};

/** Runs the bench, which exits 0 and prints each of `expected`'s RESULT lines with its target. */
async function expectBenchResults(
  script: string,
  env: Record<string, string>,
  expected: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<void> {
  const { code, out } = await runBench(script, env, nodeArgs);
  expect(code, out.slice(-3000)).toBe(0);
  expectResults(out, expected);
}

const TINY = { BENCH_SECONDS: "1", BENCH_ROUNDS: "1" };

describe("the benches, each in a tiny configuration", () => {
  beforeAll(() => ensureBenchBuild("bench", BENCH_DIST_DIR), 20 * 60_000);

  /** The benches on embedded PostgreSQL of their own: each prints its RESULT lines (name: target) and leaves no cluster running. */
  const onTheirOwnClusters: Array<{
    title: string;
    script: string;
    env: Record<string, string>;
    results: Record<string, string>;
  }> = [
    {
      title: "bench:intake (its API-client step shares the bench app's embedded PostgreSQL)",
      script: "scripts/bench-intake.ts",
      env: { ...TINY, BENCH_STORED: "200" },
      results: {
        "intake-ratio-same-work": "≥0.85",
        "intake-p99-ratio-same-work": "≤1.25",
        "intake-growth-1m": "≥0.9",
        "intake-errors": "0",
      },
    },
    {
      title: "bench:queue",
      script: "scripts/bench-queue.ts",
      env: { ...TINY, BENCH_ROWS: "2000" },
      results: {
        "queue-ratio-unfiltered": "≤1.25",
        "queue-ratio-filtered": "≤1.25",
        "queue-growth-1m-vs-10k": "≤1.1",
        "queue-first-load-kb": "≤160",
        "detail-first-load-kb": "≤210",
      },
    },
    {
      title: "bench:duplicates",
      script: "scripts/bench-duplicates.ts",
      env: { BENCH_ROWS: "2000", BENCH_CHECKS: "50" },
      results: { "duplicates-check-ms-at-1m": "≤5" },
    },
    {
      title: "bench:supervisors",
      script: "scripts/bench-supervisors.ts",
      env: { ...TINY, BENCH_ROWS: "2000", BENCH_EVENTS: "2000" },
      results: {
        "supervisors-dashboard-p50-ms": "≤1000",
        "supervisors-dashboard-p99-ms": "≤1000",
        "supervisors-errors": "0",
      },
    },
    {
      title: "bench:documents (a text order and a scan read through the worker; the webhook with the reader busy)",
      script: "scripts/bench-documents.ts",
      env: { ...TINY, BENCH_TEXT: "1", BENCH_SCANS: "1", BENCH_BACKLOG: "1" },
      results: {
        "documents-text-seconds-per-page": "≤0.5",
        "documents-ocr-seconds-per-page": "≤10",
        "documents-webhook-ratio-busy": "≥0.85",
      },
    },
  ];
  for (const bench of onTheirOwnClusters)
    it(bench.title, { timeout: 10 * 60_000 }, async () => {
      await expectBenchResults(bench.script, bench.env, bench.results);
      expect(runningClusters()).toEqual([]);
    });

  it("bench:push", { timeout: 10 * 60_000 }, async () => {
    await expectBenchResults(
      "scripts/bench-push.ts",
      { BENCH_PUSHES: "4", BENCH_CONCURRENCY: "2" },
      { "push-own-ms-per-call": "≤10", "push-ratio": "≥0.7" },
      ["--conditions=react-server"],
    );
  });

  it(
    "bench:web (Lighthouse signed in as a reviewer and as a supervisor, the interactions at 4× CPU)",
    { timeout: 10 * 60_000 },
    async () => {
      const { code, out } = await runBench("scripts/bench-web.ts", {
        BENCH_ROWS: "2000",
        BENCH_RUNS: "1",
        BENCH_PAGES: "shell,audit",
      });
      expect(code, out.slice(-3000)).toBe(0);
      const perPage = (page: string) => ({
        [`web-${page}-score`]: "≥0.98",
        [`web-${page}-tbt-ms`]: "≤50",
        [`web-${page}-lcp-ms`]: "≤1000",
        [`web-${page}-cls`]: "≤0.02",
        [`web-${page}-a11y`]: "1",
        [`web-${page}-score-4x`]: "≥0.90",
        [`web-${page}-tbt-4x-ms`]: "≤400",
      });
      expectResults(out, {
        ...perPage("shell"),
        ...perPage("audit"),
        "web-inp-claim-ms": "≤100",
        "web-inp-open-editor-ms": "≤100",
        "web-inp-choose-funder-ms": "≤100",
        "web-inp-approve-ms": "≤100",
        // The worker reads the referral's 20-page order before the pass: a page is flipped.
        "web-inp-flip-page-ms": "≤100",
      });
      expect(runningClusters()).toEqual([]);
    },
  );
});
