/**
 * zod (about 30 KB gzip) is in no page's first load: the forms load their schemas with their first
 * validation (components/ui/lazy-schema.ts) and the root layout sets zod's config without
 * importing it (components/zod-jitless.tsx). Read from the first-load chunks Next 16 lists for
 * every route in .next/diagnostics/route-bundle-stats.json.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { distDir, ensureBuild } from "@/test/support/build";

/** A string every zod 4 build carries: the name its object schemas are constructed under. */
const ZOD_MARK = "$ZodObject";

describe("first-load JavaScript", () => {
  it("carries zod on no page, while the schemas' own chunk does", { timeout: 900_000 }, async () => {
    await ensureBuild("first-load");
    const stats = JSON.parse(
      readFileSync(path.join(distDir, "diagnostics", "route-bundle-stats.json"), "utf8"),
    ) as Array<{
      route: string;
      firstLoadChunkPaths: string[];
    }>;
    expect(stats.map((s) => s.route)).toEqual(
      expect.arrayContaining(["/queue", "/referrals/[id]", "/reviews", "/admin"]),
    );
    const withZod = stats.flatMap((s) =>
      s.firstLoadChunkPaths
        .filter((p) => readFileSync(path.resolve(p), "utf8").includes(ZOD_MARK))
        .map((p) => `${s.route}: ${p}`),
    );
    expect(withZod).toEqual([]);
    // The mark is a real one: zod is in the build, in the chunks loaded on demand.
    const chunks = path.join(distDir, "static", "chunks");
    const lazy = readdirSync(chunks).filter(
      (f) => f.endsWith(".js") && readFileSync(path.join(chunks, f), "utf8").includes(ZOD_MARK),
    );
    expect(lazy.length).toBeGreaterThan(0);
  });
});
