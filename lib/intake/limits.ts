/**
 * What a body must satisfy before and after JSON.parse, so that nothing a sender can send makes
 * PostgreSQL refuse it on every retry (a 503 loop) or the process run out of memory:
 *  - before parsing, a scan of the raw bytes bounds the nesting, the number of values and the
 *    bytes outside the files' base64 values (JSON.parse of 120 MB of small values would build
 *    a gigabyte of objects; a deeply nested body overflows the stack of JSON.stringify and of
 *    PostgreSQL's jsonb parser);
 *  - after parsing, every string and key is checked for what jsonb and text refuse: the NUL
 *    character and lone UTF-16 surrogates.
 * The scan skips string contents with Buffer.indexOf (native), so a 120 MB body of base64 costs
 * a few milliseconds; it stops at the first limit passed.
 */
import { ApiError, type ApiIssue } from "../errors";
import { unstorableTextIssue } from "../validations/text";
import { INTAKE_LIMITS } from "./schema";

type Frame = { array: boolean; key: string | null; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const pathOf = (frames: Frame[]): string => {
  let out = "";
  for (const f of frames) {
    if (f.array) out += `[${f.index}]`;
    else if (f.key !== null) out += out ? `.${f.key}` : f.key;
  }
  return out || "(body)";
};

/** The end (index of the closing quote) of the string whose opening quote is at `start`, or -1. */
function stringEnd(buf: Buffer, start: number): number {
  let at = buf.indexOf(QUOTE, start + 1);
  while (at !== -1) {
    let backslashes = 0;
    for (let i = at - 1; i > start && buf[i] === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = buf.indexOf(QUOTE, at + 1);
  }
  return -1;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** A file's base64 value: root.files[i].file_value. Its bytes are judged by the file limits. */
const isFileValue = (frames: Frame[]) =>
  frames.length === 3 &&
  !frames[0]!.array &&
  frames[0]!.key === "files" &&
  frames[1]!.array &&
  !frames[2]!.array &&
  frames[2]!.key === "file_value";

export type ShapeLimits = { depth: number; values: number; jsonBytesOutsideFiles: number };

/**
 * null when the body is within the limits (or is not JSON at all: JSON.parse then says so),
 * else the error to answer with: 413 for too many bytes or values, 422 naming the path for
 * nesting. Valid JSON is never refused by anything but a limit.
 */
export function checkJsonShape(buf: Buffer, limits: ShapeLimits = INTAKE_LIMITS): ApiError | null {
  const frames: Frame[] = [];
  let values = 0;
  let exempt = 0;
  let i = 0;
  const n = buf.length;
  // What the next token may be: a value, or (in an object) a key.
  let expectKey = false;
  const tooLarge = (message: string) => new ApiError("payload_too_large", message, [{ path: "(body)", message }]);
  while (i < n) {
    // (checked on every byte: a run of spaces or digits outside any string counts too)
    if (i - exempt > limits.jsonBytesOutsideFiles) {
      return tooLarge(`The JSON outside the files' values is larger than ${limits.jsonBytesOutsideFiles} bytes`);
    }
    const c = buf[i]!;
    if (isSpace(c) || c === 0x2c /* , */ || c === 0x3a /* : */) {
      if (c === 0x2c) {
        const top = frames.at(-1);
        if (top?.array) top.index++;
        else if (top) expectKey = true;
      }
      i++;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
      i++;
      continue;
    }
    if (c === QUOTE) {
      const end = stringEnd(buf, i);
      if (end === -1) return null; // unterminated: JSON.parse reports it
      const top = frames.at(-1);
      if (expectKey && top && !top.array) {
        // Keys that matter here are short; a long key is only counted.
        top.key = end - i - 1 <= 64 ? buf.toString("utf8", i + 1, end) : "…";
        expectKey = false;
      } else {
        if (++values > limits.values) return tooLarge(`The body holds more than ${limits.values} JSON values`);
        if (isFileValue(frames)) exempt += end + 1 - i;
      }
      i = end + 1;
      continue;
    }
    if (++values > limits.values) return tooLarge(`The body holds more than ${limits.values} JSON values`);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const array = c === 0x5b;
      if (frames.length >= limits.depth) {
        const message = `nests deeper than ${limits.depth} levels`;
        return new ApiError("invalid_data", `The body nests deeper than ${limits.depth} levels`, [
          { path: pathOf(frames), message },
        ]);
      }
      frames.push({ array, key: null, index: 0 });
      expectKey = !array;
      i++;
      continue;
    }
    // A number or a literal: up to the next delimiter.
    i++;
    while (i < n && i - exempt <= limits.jsonBytesOutsideFiles) {
      const d = buf[i]!;
      if (isSpace(d) || d === 0x2c || d === 0x5d || d === 0x7d || d === 0x3a || d === QUOTE || d === 0x7b || d === 0x5b)
        break;
      i++;
    }
  }
  return null;
}

// The same check and messages as every form's free text (lib/validations/text.ts).
const textIssue = unstorableTextIssue;

/**
 * Every string and key of a parsed body that PostgreSQL would refuse (jsonb and text take no
 * NUL and no lone surrogate), with its path; at most `max`. The files' base64 values are left
 * to the base64 check. The depth is already bounded by checkJsonShape, so recursion is safe.
 */
export function unstorableText(body: unknown, max = 20): ApiIssue[] {
  const issues: ApiIssue[] = [];
  const path: Array<string | number> = [];
  const format = () => {
    let out = "";
    for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
    return out || "(body)";
  };
  const walk = (v: unknown): void => {
    if (issues.length >= max) return;
    if (typeof v === "string") {
      const problem = textIssue(v);
      if (problem) issues.push({ path: format(), message: problem });
      return;
    }
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length && issues.length < max; k++) {
        path.push(k);
        walk(v[k]);
        path.pop();
      }
      return;
    }
    const isFile = path.length === 2 && path[0] === "files";
    for (const key of Object.keys(v)) {
      if (issues.length >= max) return;
      path.push(key);
      const problem = textIssue(key);
      if (problem) issues.push({ path: format(), message: `its name ${problem}` });
      else if (!(isFile && key === "file_value")) walk((v as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(body);
  return issues;
}
