/**
 * A clone must run with nothing beside it: the reference files live in reference/, and no
 * tracked source reaches above the repository root for anything.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referenceFile } from "./demo/reference-payload";

/** Ways a path leaves the repository root: "../x" strings, "..", "x" segments, absolute /work paths. */
const OUTSIDE_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: "a path up into the shared folder", pattern: /\.\.[\\/]+shared\b/ },
  { name: "path segments up into the shared folder", pattern: /["'`]\.\.["'`]\s*,\s*["'`]shared["'`]/ },
  { name: "process.cwd() joined with ..", pattern: /process\.cwd\(\)\s*,\s*["'`]\.\.(?:[\\/][^"'`]*)?["'`]/ },
  { name: "an absolute /work path", pattern: /["'`]\/work\// },
];

function outsideReads(files: ReadonlyArray<{ file: string; text: string }>): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    text.split("\n").forEach((line, i) => {
      for (const { name, pattern } of OUTSIDE_PATTERNS) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${name}`);
    });
  }
  return found;
}

const tracked = (globs: string[]) =>
  execFileSync("git", ["ls-files", "-z", "--", ...globs], { encoding: "utf8" })
    .split("\0")
    .filter(Boolean)
    // Deleted in the work tree but not yet committed: nothing reads it any more.
    .filter((file) => existsSync(file));

describe("the repository stands alone", () => {
  it("no tracked source file reads outside the repository", () => {
    const files = tracked(["*.ts", "*.tsx", "*.mjs", "*.js", "*.cjs"]).map((file) => ({
      file,
      text: readFileSync(file, "utf8"),
    }));
    // The scan must have seen the code it guards, or it proves nothing.
    expect(files.length).toBeGreaterThan(100);
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining([
        "lib/demo/reference-payload.ts",
        "test/support/fixtures.ts",
        "lib/accloud/conformance.test.ts",
        "lib/demo/seed.ts",
        "e2e/support/webhook.ts",
      ]),
    );
    expect(outsideReads(files)).toEqual([]);
  });

  it("no tracked document outside reference/ points up into the shared folder", () => {
    const docs = tracked(["*.md", "*.json", "*.yml", "*.yaml", ".env.example"]).filter(
      (f) => !f.startsWith("reference/") && f !== "package-lock.json",
    );
    expect(docs).toEqual(expect.arrayContaining(["README.md", "lib/accloud/README.md"]));
    const found = docs.filter((file) => /\.\.[\\/]+shared\b/.test(readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });

  it("no comment names an issue number (a comment says why, and an issue tracker is outside the repository)", () => {
    const files = tracked(["*.ts", "*.tsx", "*.mjs", "*.js", "*.css", "*.sql"]);
    // Spelled so that this line does not match its own scan.
    const issueRef = new RegExp(["\\bissue", "s?\\s*#?\\d+"].join(""), "i");
    const found = files.filter((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .some((line) => issueRef.test(line)),
    );
    expect(found).toEqual([]);
    expect(issueRef.test("Approval (is" + "sue 5) will join these")).toBe(true);
  });

  it("the scan finds each way of reaching outside", () => {
    // Spelled with placeholders so that this file does not match its own scan.
    const samples = [
      'readFileSync("DOTS/shared/reference/x.json")',
      'path.resolve(process.cwd(), "DOTS", "shared", "reference")',
      'path.join(process.cwd(), "DOTS/other/file")',
      "readFileSync('/WORK/shared/reference/x.json')",
    ].map((s) => s.replaceAll("DOTS", "..").replaceAll("WORK", "work"));
    const flagged = new Set(
      outsideReads(samples.map((text, i) => ({ file: `sample${i}.ts`, text }))).map((f) => f.split(":")[0]),
    );
    expect([...flagged].sort()).toEqual(samples.map((_, i) => `sample${i}.ts`));
    expect(
      outsideReads([{ file: "ok.ts", text: 'path.resolve(process.cwd(), "reference")\nimport x from "../lib/y";' }]),
    ).toEqual([]);
  });

  it("every file reference/README.md lists is there, and every file there is listed", () => {
    const readme = readFileSync(referenceFile("README.md"), "utf8");
    const listed = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    const present = tracked(["reference/"])
      .map((f) => f.replace(/^reference\//, ""))
      .filter((f) => f !== "README.md");
    expect(listed.length).toBeGreaterThanOrEqual(10);
    expect(present.sort()).toEqual([...listed].sort());
  });
});
