/**
 * The benchmarks' baseline pages and routes are not part of the production build: they are
 * `page.bench.tsx` / `route.bench.ts` files, which next.config.js makes routes only when
 * BENCH_BASELINE=1 at build time (the bench scripts' own build).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { distDir, ensureBuild } from "@/test/support/build";

/** next.config.js's pageExtensions as `next build` reads them with this environment. */
function pageExtensions(benchBaseline: string | undefined): string[] {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (benchBaseline === undefined) delete env.BENCH_BASELINE;
  else env.BENCH_BASELINE = benchBaseline;
  const out = execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      "const c = (await import('./next.config.js')).default; console.log(JSON.stringify(c.pageExtensions))",
    ],
    { env, encoding: "utf8" },
  );
  return JSON.parse(out) as string[];
}

/** Next's rule for the app directory: a route file is named page.<ext> or route.<ext>, ext one of pageExtensions. */
const isRouteFile = (file: string, exts: string[]) =>
  exts.some((ext) => ["page", "route"].some((name) => path.basename(file) === `${name}.${ext}`));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe("benchmark routes", () => {
  const benchFiles = filesUnder("app").filter((f) => /bench/.test(path.relative("app", f)) && !/\.test\.tsx?$/.test(f));

  it("are .bench files, routes only with the extensions of a BENCH_BASELINE=1 build", () => {
    expect(benchFiles.length).toBeGreaterThanOrEqual(3);
    const production = pageExtensions(undefined);
    const alsoProduction = pageExtensions("0");
    const bench = pageExtensions("1");
    for (const f of benchFiles) {
      expect(f, "a file of a benchmark route is named *.bench.ts(x)").toMatch(/\.bench\.tsx?$/);
      expect(isRouteFile(f, production), f).toBe(false);
      expect(isRouteFile(f, alsoProduction), f).toBe(false);
    }
    expect(benchFiles.filter((f) => isRouteFile(f, bench)).length).toBeGreaterThanOrEqual(3);
    // The app's own pages are routes in both builds.
    expect(isRouteFile("app/(app)/queue/page.tsx", production)).toBe(true);
    expect(isRouteFile("app/(app)/queue/page.tsx", bench)).toBe(true);
  });

  it("are absent from the production build's route manifests", { timeout: 900_000 }, async () => {
    await ensureBuild("bench-routes");
    const appRoutes = Object.values(
      JSON.parse(readFileSync(path.join(distDir, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>,
    );
    const manifest = JSON.parse(readFileSync(path.join(distDir, "routes-manifest.json"), "utf8")) as {
      staticRoutes: Array<{ page: string }>;
      dynamicRoutes: Array<{ page: string }>;
    };
    const routes = [
      ...appRoutes,
      ...manifest.staticRoutes.map((r) => r.page),
      ...manifest.dynamicRoutes.map((r) => r.page),
    ];
    // The real manifest: the app's pages and the webhook are in it.
    expect(routes).toEqual(expect.arrayContaining(["/queue", "/referrals/[id]", "/api/referral-requests"]));
    expect(routes.filter((r) => /bench/.test(r))).toEqual([]);
  });
});
