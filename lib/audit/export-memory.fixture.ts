/**
 * Run by audit.test.ts in a process whose heap is capped far below the export's size: it streams
 * one agency's CSV to nowhere and prints how many bytes went through. Buffering the export (or
 * holding its rows) runs out of heap and the process dies; streaming finishes.
 */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { closeDb, getDb } from "../db";
import { auditCsvStream } from "./export";
import { resolveFilters } from "./query";

const agency = process.argv[2]!;
let bytes = 0;
await pipeline(
  auditCsvStream(getDb(), await resolveFilters(getDb(), { agency })),
  new Writable({
    write(chunk: Buffer | string, _enc, done) {
      bytes += Buffer.byteLength(chunk);
      done();
    },
  }),
);
await closeDb();
console.log(JSON.stringify({ bytes, heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024) }));
