/**
 * The README and docs/ are a newcomer's map: every file and folder they name in backticks exists.
 * Paths from the repository root (`lib/…`, `app/…`) are checked as they are; a bare file name
 * (`accloud-contract.md`) must exist somewhere in the repository. What git ignores (screenshots,
 * builds) is made by a run and need not exist in a fresh clone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const TOP = [
  "app/",
  "components/",
  "lib/",
  "db/",
  "public/",
  "e2e/",
  "scripts/",
  "reference/",
  ".ci/",
  "test/",
  "docs/",
];
const README_LINES_MAX = 200;
const SKIP_DIRS = new Set(["node_modules", ".git", ".next", ".data", "test-results", "playwright-report"]);

function namesInRepo(dir = ".", out = new Set<string>()): Set<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name) || e.name.startsWith(".next-")) continue;
    out.add(e.name);
    if (e.isDirectory()) namesInRepo(path.join(dir, e.name), out);
  }
  return out;
}

/** The paths a Markdown text names in inline code: repository paths and bare file names. */
export function namedPaths(markdown: string): { paths: string[]; bare: string[] } {
  const paths = new Set<string>();
  const bare = new Set<string>();
  for (const [, code] of markdown.matchAll(/`([^`\s]+)`/g)) {
    const p = code!.replace(/[,.;:]+$/, "").split(/[:#]/)[0]!;
    if (/[*{}<>…]/.test(p)) continue; // a pattern or a placeholder, not a file
    if (TOP.some((t) => p.startsWith(t))) paths.add(p);
    else if (/^[\w.-]+\.(ts|tsx|mjs|js|json|md|sql|css)$/.test(p)) bare.add(p);
  }
  return { paths: [...paths], bare: [...bare] };
}

/** The paths git ignores: made by a run (screenshots, builds), absent from a fresh clone. */
function ignoredByGit(paths: string[]): Set<string> {
  const r = spawnSync("git", ["check-ignore", "--no-index", ...paths], { encoding: "utf8" });
  return new Set((r.stdout ?? "").split("\n").filter(Boolean));
}

const DOCS = ["README.md", ...readdirSync("docs").map((f) => path.join("docs", f))];

describe("README and docs", () => {
  it("finds the paths a text names (and skips placeholders)", () => {
    expect(namedPaths("see `lib/db.ts`, `app/(app)/queue/` and `x.md`; not `/queue` or `lib/<feature>/`")).toEqual({
      paths: ["lib/db.ts", "app/(app)/queue/"],
      bare: ["x.md"],
    });
  });

  it(`keeps the README to ${README_LINES_MAX} lines, the rest in docs/`, () => {
    expect(readFileSync("README.md", "utf8").split("\n").length - 1).toBeLessThanOrEqual(README_LINES_MAX);
    expect(DOCS.length).toBeGreaterThan(5);
  });

  it.each(DOCS)("%s names only files and folders that exist", (doc) => {
    const { paths, bare } = namedPaths(readFileSync(doc, "utf8"));
    const made = paths.length ? ignoredByGit(paths) : new Set<string>();
    expect(paths.filter((p) => !made.has(p) && !existsSync(p))).toEqual([]);
    const names = namesInRepo();
    expect(bare.filter((b) => !names.has(b))).toEqual([]);
  });

  it("names every document of docs/ in the README", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(DOCS.filter((d) => d !== "README.md" && !readme.includes(`\`${d}\``))).toEqual([]);
  });
});
