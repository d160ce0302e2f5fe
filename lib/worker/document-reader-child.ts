/**
 * The reader process (started by ./document-reader.ts): reads one file at a time with
 * lib/documents/ and answers over IPC. Pure compute: no database, no logs (a reading is PHI).
 * It runs at a lower CPU priority than the app, so on a small machine the webhook, the pages and
 * the pushes are served first and reading takes what is left.
 */
import os from "node:os";
import { terminateOcr } from "../documents/ocr";
import { readDocument, type ReadOptions } from "../documents/read";

export type ReaderRequest = { id: number; bytes: Uint8Array; options: ReadOptions };
export type ReaderAnswer = { id: number; reading: Awaited<ReturnType<typeof readDocument>> } | { ready: true };

/** How much lower than the app (nice): reading is background work. */
const NICENESS = 10;
try {
  // This thread's; threads started later (OCR's, the thread pool's) inherit it.
  os.setPriority(Math.min(19, os.getPriority() + NICENESS));
} catch {
  // Not permitted here: read at the normal priority.
}

const send = (answer: ReaderAnswer) => process.send?.(answer);

process.on("message", (m: ReaderRequest) => {
  void readDocument(m.bytes, m.options).then(
    (reading) => send({ id: m.id, reading }),
    // readDocument does not throw for anything in the bytes; anything else ends this process (the job retries).
    () => process.exit(70),
  );
});

// The parent went away (stopped, or crashed): stop OCR's thread and end.
process.on("disconnect", () => {
  void terminateOcr().finally(() => process.exit(0));
});

send({ ready: true });
