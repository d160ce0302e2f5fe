/**
 * The house as docs/architecture.md draws it, held against the code: every import of a source file
 * goes to its own layer or one below (the `layers` block of the doc), except the imports the doc
 * lists as running up on purpose; no two folders import each other; no files import each other in
 * a circle; and no source file outside the sandbox and the tests is over 400 lines.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOTS = ["app", "components", "lib", "db", "scripts"];
const SOURCE = /\.(ts|tsx|mjs)$/;
const NOT_SOURCE = /(\.test\.tsx?|\.d\.ts|\.bench\.tsx?)$/;
const MAX_LINES = 400;

/** What may run up: client components call server actions; the schema types its JSON columns. */
const UPWARD: Array<{ from: RegExp; to: RegExp; typeOnly?: boolean; why: string }> = [
  { from: /^components\//, to: /^app\/.*actions\.ts$/, why: "client components call server actions" },
  {
    from: /^db\/schema\//,
    to: /^lib\/((approval|intake)\/schema|documents\/types)\.ts$/,
    typeOnly: true,
    why: "JSON column types",
  },
];

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && e.name !== "migrations") sources(p, out);
    } else if (SOURCE.test(e.name) && !NOT_SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

function layersFromDoc(): string[][] {
  const doc = readFileSync("docs/architecture.md", "utf8");
  const block = /```layers\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/architecture.md has no ```layers block");
  // Top line first in the doc; index 0 is the bottom here.
  return block
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .reverse();
}

type Import = { from: string; to: string; typeOnly: boolean };

const EXTENSIONS = ["", ".ts", ".tsx", ".mjs", "/index.ts", "/index.tsx"];
function resolve(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.normalize(path.join(path.dirname(from), spec));
  else return null;
  for (const ext of EXTENSIONS) {
    const f = base + ext;
    if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return null;
}

const IMPORT = /(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const to = resolve(file, m[3] ?? m[4]!);
    if (to && SOURCE.test(to) && !NOT_SOURCE.test(to)) out.push({ from: file, to, typeOnly: !!m[2] });
  }
  return out;
}

describe("the house", () => {
  const files = ROOTS.flatMap((r) => sources(r));
  const inHouse = new Set(files);
  // Imports of test support (a bench script's generated corpus) are not the house's.
  const imports = files.flatMap(importsOf).filter((i) => inHouse.has(i.to));
  const layers = layersFromDoc();
  /** The room of a file: the longest entry of the layers it falls under. */
  const entries = layers.flatMap((names, level) => names.map((name) => ({ name, level })));
  const roomOf = (file: string) =>
    entries
      .filter((e) => file === e.name || file.startsWith(`${e.name.replace(/\/$/, "")}/`))
      .sort((a, b) => b.name.length - a.name.length)[0];

  it("places every source file in a layer", () => {
    expect(files.filter((f) => !roomOf(f))).toEqual([]);
  });

  it("imports only from the same layer or below, but for the imports the doc lists", () => {
    const up = imports
      .filter((i) => roomOf(i.to)!.level > roomOf(i.from)!.level)
      .filter((i) => !UPWARD.some((u) => u.from.test(i.from) && u.to.test(i.to) && (!u.typeOnly || i.typeOnly)))
      .map((i) => `${i.from} -> ${i.to}`);
    expect(up).toEqual([]);
  });

  it("has no two folders importing each other", () => {
    const pairs = new Set<string>();
    for (const i of imports) {
      const a = roomOf(i.from)!.name;
      const b = roomOf(i.to)!.name;
      if (a !== b && !UPWARD.some((u) => u.from.test(i.from) && u.to.test(i.to))) pairs.add(`${a} -> ${b}`);
    }
    const both = [...pairs].filter((p) => {
      const [a, b] = p.split(" -> ");
      return pairs.has(`${b} -> ${a}`);
    });
    expect(both).toEqual([]);
  });

  it("has no files importing each other in a circle", () => {
    const next = new Map<string, string[]>();
    for (const i of imports) next.set(i.from, [...(next.get(i.from) ?? []), i.to]);
    const state = new Map<string, "open" | "done">();
    const circles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        circles.push([...trail.slice(trail.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const t of next.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });

  it(`keeps every source file outside the sandbox at ${MAX_LINES} lines or fewer`, () => {
    const long = files
      .filter((f) => !f.startsWith("lib/accloud/sandbox/"))
      .map((f) => ({ f, lines: readFileSync(f, "utf8").split("\n").length - 1 }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.f} (${x.lines})`);
    expect(long).toEqual([]);
  });
});
