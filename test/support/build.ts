/**
 * The production build the tests that need one read or serve (`npm test` makes it before
 * Vitest): reused when it is newer than every source that goes into it, else made once.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
export const distDir = path.resolve(root, process.env.NEXT_DIST_DIR || ".next");

/** Newest modification time of what goes into the build (sources, config; not tests). */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p))
        if (e !== "node_modules" && e !== "testing" && !e.startsWith(".")) visit(path.join(p, e));
    } else if (!/\.test\.tsx?$/.test(p)) newest = Math.max(newest, s.mtimeMs);
  };
  for (const d of [
    "app",
    "components",
    "lib",
    "db/schema",
    "db/schema.ts",
    "proxy.ts",
    "instrumentation.ts",
    "next.config.js",
    "postcss.config.mjs",
    "tsconfig.json",
    "package-lock.json",
  ]) {
    if (existsSync(path.join(root, d))) visit(path.join(root, d));
  }
  return newest;
}

/** `next build` as `npm test` runs it (the environment's BENCH_BASELINE is not passed on: that is the benchmarks' build). */
export async function ensureBuild(label: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  delete env.BENCH_BASELINE;
  await buildWhenStale(label, distDir, env);
}

/** The benchmarks' build (BENCH_BASELINE=1, into `dir`: scripts/bench-lib.ts), made the same way when missing or older than the sources. */
export async function ensureBenchBuild(label: string, dir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    BENCH_BASELINE: "1",
    NEXT_DIST_DIR: dir,
  };
  await buildWhenStale(label, path.resolve(root, dir), env);
}

async function buildWhenStale(label: string, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const buildId = path.join(dir, "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource()) return;
  console.log(
    `[${label}] ${existsSync(buildId) ? "sources changed since the build" : "no build yet"} in ${path.relative(root, dir)}: running \`next build\`…`,
  );
  // Not spawnSync: the test worker must keep answering Vitest meanwhile.
  const build = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  const code = await new Promise<number | null>((resolve) => build.once("exit", resolve));
  if (code !== 0) throw new Error("next build failed");
}
