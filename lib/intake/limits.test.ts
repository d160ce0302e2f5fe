/**
 * The pre-parse scan and the text check: the scan never refuses valid JSON within the limits,
 * counts what JSON.parse would build, and refuses what passes a limit; the text check names
 * every string PostgreSQL would refuse.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readReferencePayload } from "../demo/reference-payload";
import { checkJsonShape, unstorableText, type ShapeLimits } from "./limits";
import { INTAKE_LIMITS } from "./schema";

/** What JSON.parse builds: values, nesting depth, and the bytes of the files' base64 values. */
function measure(v: unknown, depth = 0): { values: number; depth: number } {
  if (v === null || typeof v !== "object") return { values: 1, depth };
  const children = Array.isArray(v) ? v : Object.values(v);
  let values = 1;
  let max = depth + 1;
  for (const c of children) {
    const m = measure(c, depth + 1);
    values += m.values;
    max = Math.max(max, m.depth);
  }
  return { values, depth: max };
}

const loose = { depth: 10_000, values: 10_000_000, jsonBytesOutsideFiles: 1e12 };

describe("checkJsonShape", () => {
  it("accepts every valid JSON document within the limits, however it is spaced", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t", "\r\n "), (value, space) => {
        const text =
          typeof space === "string" && space.includes("\r")
            ? JSON.stringify(value).replace(/,/g, ",\r\n ")
            : JSON.stringify(value, null, space);
        expect(checkJsonShape(Buffer.from(text), loose)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses exactly the documents over the value and depth limits that JSON.parse would build", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (value, values, depth) => {
          const m = measure(value);
          const verdict = checkJsonShape(Buffer.from(JSON.stringify(value)), {
            values,
            depth,
            jsonBytesOutsideFiles: 1e12,
          });
          const over = { values: m.values > values, depth: m.depth > depth };
          if (!over.values && !over.depth) expect(verdict).toBeNull();
          else if (!over.values) expect(verdict?.status).toBe(422);
          else if (!over.depth) expect(verdict?.status).toBe(413);
          else expect([413, 422]).toContain(verdict?.status);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("never throws on garbage (JSON.parse judges what is not JSON)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string(), (bytes, s) => {
        checkJsonShape(Buffer.from(bytes));
        checkJsonShape(Buffer.from(`{${s}`));
      }),
      { numRuns: 2000 },
    );
  });

  it("names the path where the nesting passes the limit", () => {
    const p = readReferencePayload();
    let deep: unknown = "x";
    for (let i = 0; i < 40; i++) deep = [deep];
    p.form_data.fields[4]!.field_value = deep;
    const verdict = checkJsonShape(Buffer.from(JSON.stringify(p)));
    expect(verdict?.status).toBe(422);
    expect(verdict?.issues[0]?.path).toMatch(/^form_data\.fields\[4\]\.field_value(\[0\])+$/);
    expect(verdict?.issues[0]?.message).toBe("nests deeper than 32 levels");
  });

  it("does not count the files' base64 values against the JSON size, and counts everything else", () => {
    const p = readReferencePayload();
    p.files = [{ file_name: "scan.png", file_value: "A".repeat(5_000_000) }];
    expect(checkJsonShape(Buffer.from(JSON.stringify(p)))).toBeNull();
    // The same bytes anywhere else (a field value, a file's name, a key that only looks like it) count.
    const elsewhere = readReferencePayload();
    elsewhere.form_data.fields[3]!.field_value = "A".repeat(5_000_000);
    expect(checkJsonShape(Buffer.from(JSON.stringify(elsewhere)))?.status).toBe(413);
    const name = readReferencePayload();
    name.files = [{ file_name: "A".repeat(5_000_000), file_value: "AAAA" }];
    expect(checkJsonShape(Buffer.from(JSON.stringify(name)))?.status).toBe(413);
    const nested = { form_data: { files: [{ file_value: "A".repeat(5_000_000) }] } };
    expect(checkJsonShape(Buffer.from(JSON.stringify(nested)))?.status).toBe(413);
    // Escaped quotes and backslashes inside strings do not end them early.
    const tricky = { files: [{ file_value: `${'\\"'.repeat(10)}${"A".repeat(5_000_000)}` }], x: "\\" };
    expect(checkJsonShape(Buffer.from(JSON.stringify(tricky)))).toBeNull();
  });

  it("stops early on a body of many small values or a long run outside strings: it reads no further than the limit", () => {
    // The limits are read once per value and once per byte: counting the reads counts the work.
    const reads = { values: 0, bytes: 0 };
    const counted: ShapeLimits = {
      ...INTAKE_LIMITS,
      get values() {
        reads.values++;
        return INTAKE_LIMITS.values;
      },
      get jsonBytesOutsideFiles() {
        reads.bytes++;
        return INTAKE_LIMITS.jsonBytesOutsideFiles;
      },
    };
    const many = Buffer.from(`{"a":[${"0,".repeat(2_000_000)}0]}`);
    expect(checkJsonShape(many, counted)?.issues[0]?.message).toBe("The body holds more than 100000 JSON values");
    expect(reads.values).toBeLessThanOrEqual(INTAKE_LIMITS.values + 2); // the last read names it in the message
    expect(reads.bytes).toBeLessThan(many.length / 10);

    reads.bytes = 0;
    const run = Buffer.from(`{"a":1${" ".repeat(20_000_000)}}`);
    expect(checkJsonShape(run, counted)?.status).toBe(413);
    expect(reads.bytes).toBeLessThan(INTAKE_LIMITS.jsonBytesOutsideFiles * 1.1);
    expect(reads.bytes).toBeLessThan(run.length / 4);
  });
});

describe("unstorableText", () => {
  it("names every string and key with a NUL or a lone surrogate, and nothing else", () => {
    const body = JSON.parse(
      '{"client":{"first_name":"Ja\\u0000ne","last_name":"\\ud83d\\ude00 ok"},"form_data":{"fields":[{"field_value":["x","\\udc00"]},{"field_value":{"bad\\u0000key":1}}]},' +
        '"files":[{"file_name":"\\ud800.pdf","file_value":"\\u0000"}]}',
    ) as unknown;
    expect(unstorableText(body)).toEqual([
      { path: "client.first_name", message: expect.stringContaining("NUL") },
      { path: "form_data.fields[0].field_value[1]", message: expect.stringContaining("surrogate") },
      { path: "form_data.fields[1].field_value.bad\u0000key", message: expect.stringMatching(/^its name .*NUL/) },
      { path: "files[0].file_name", message: expect.stringContaining("surrogate") },
    ]);
    expect(unstorableText(readReferencePayload())).toEqual([]);
  });
});
