import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical } from "./canonical";
import { jsonText } from "./text";

/** The recursive canonical walk this replaced (it overflowed the stack on deep values). */
function recursiveCanonical(value: unknown): string {
  if (value === null || value === undefined || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(recursiveCanonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${recursiveCanonical(v)}`).join(",")}}`;
}

const deep = (depth: number) => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 ? { d: v } : [v];
  return v;
};

describe("jsonText", () => {
  it("writes exactly what JSON.stringify writes, compact or indented", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (v, indent) => {
        expect(jsonText(v, { indent })).toBe(indent ? JSON.stringify(v, null, indent) : JSON.stringify(v));
      }),
      { numRuns: 3000 },
    );
    expect(jsonText({ a: undefined, b: [undefined, 1] })).toBe(JSON.stringify({ a: undefined, b: [undefined, 1] }));
  });

  it("canonical() is unchanged: the same text as the recursive walk, for any key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonical(v)).toBe(recursiveCanonical(v));
      }),
      { numRuns: 3000 },
    );
    expect(canonical(undefined)).toBe("null");
  });

  it("writes values far deeper than the stack allows a recursive walk, staying linear in size", () => {
    const v = deep(50_000);
    expect(() => recursiveCanonical(v)).toThrow(RangeError);
    expect(() => JSON.stringify(v, null, 2)).toThrow(RangeError);
    const text = jsonText(v, { indent: 2 });
    expect(text.length).toBeLessThan(2_000_000);
    expect(canonical(v)).toBe(`${'{"d":['.repeat(25_000)}"leaf"${"]}".repeat(25_000)}`);
    // The indented text reads back as the same value (compared as text: a deep equality check recurses too).
    expect(canonical(JSON.parse(jsonText(deep(3000), { indent: 2 })))).toBe(canonical(deep(3000)));
  });
});
