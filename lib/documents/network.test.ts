/**
 * OCR runs with the network off: a child process whose preload makes sockets, DNS and fetch
 * throw, in the main thread and in tesseract's worker thread (the preload records both), reads
 * an image; without our on-disk model path the same worker fails on that block, which shows
 * the block reaches where tesseract would fetch.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ocrPaths } from "./ocr";

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), "documents-offline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const marks = path.join(dir, "threads.log");
const preload = path.join(dir, "no-network.cjs");
writeFileSync(
  preload,
  `
const { isMainThread } = require("node:worker_threads");
const net = require("node:net");
const dns = require("node:dns");
const refuse = () => { throw new Error("network blocked by the test"); };
net.Socket.prototype.connect = refuse;
dns.lookup = refuse;
dns.promises.lookup = async () => refuse();
globalThis.fetch = async () => refuse();
require("node:fs").appendFileSync(${JSON.stringify(marks)}, (isMainThread ? "main" : "worker") + "\\n");
`,
);

async function child(mode: "read" | "cdn"): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    ["--require", preload, "--import", "tsx", "test/documents/ocr-offline.ts", mode],
    {
      cwd: process.cwd(),
      timeout: 120_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

describe("OCR without the network", () => {
  it("keeps its model and code on disk", () => {
    const { langPath, corePath, workerPath } = ocrPaths();
    expect(existsSync(path.join(langPath, "eng.traineddata.gz"))).toBe(true);
    expect(path.basename(langPath)).toBe("4.0.0_best_int");
    expect(existsSync(path.join(corePath, "tesseract-core-simd-lstm.wasm"))).toBe(true);
    expect(existsSync(workerPath)).toBe(true);
  });

  it(
    "reads an image with sockets, DNS and fetch refused in every thread (and exits, its idle OCR worker not holding it)",
    { timeout: 120_000 },
    async () => {
      writeFileSync(marks, "");
      const result = await child("read");
      expect(result).toEqual({ state: "read", lines: ["Physician NPI: 1234567893"], refused: true });
      // The preload ran in tesseract's worker thread too: the block covered it.
      expect(new Set(readFileSync(marks, "utf8").trim().split("\n"))).toEqual(new Set(["main", "worker"]));
    },
  );

  it("would fail there if tesseract were left to fetch its model", { timeout: 120_000 }, async () => {
    const result = await child("cdn");
    expect(result.loaded).toBe(false);
    expect(String(result.error)).toContain("network blocked by the test");
  });
});
