/**
 * Reads files in a process of its own (./document-reader-child.ts), one file at a time:
 *  - the app's process never runs PDF parsing, drawing or OCR on its event loop, so the webhook,
 *    the pages and the pushes sharing it (`npm start` runs the worker inside the web process)
 *    keep their speed while a 20-page scan is read;
 *  - a file that crashes the reader (out of memory, a fault in native drawing code) takes only
 *    the reader down: the read fails, the job is retried with backoff, and after its retries the
 *    file ends unreadable (lib/worker/document-read.ts);
 *  - the reader runs at a lower CPU priority and stops after a minute without work.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ReadOptions } from "../documents/read";
import type { DocumentReading } from "../documents/types";
import type { ReaderAnswer, ReaderRequest } from "./document-reader-child";

const require = createRequire(import.meta.url);

/** The reader stops after this long without a file (its OCR model and PDF code cost memory). */
export const READER_IDLE_MS = 60_000;
/** The reader's JavaScript heap (a hostile file fails the read, not the machine). */
const READER_HEAP_MB = 1024;
/** Time for the reader to start (tsx, pdf.js and the OCR code loaded) on a loaded machine. */
const START_TIMEOUT_MS = 60_000;

/** The read did not finish: the reader stopped or ran out of time. Its message names no content. */
export class ReaderFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReaderFailed";
  }
}

export type Reader = {
  /** Reads one file; rejects with ReaderFailed when the reader dies or `timeoutMs` passes. */
  read: (bytes: Uint8Array, options: ReadOptions, timeoutMs: number) => Promise<DocumentReading>;
  stop: () => Promise<void>;
};

type Live = { child: ChildProcess; ready: Promise<void>; exited: Promise<string> };

/** The child's entry and how Node loads it (TypeScript through tsx, as the app runs). */
function childCommand(): { file: string; execArgv: string[] } {
  return {
    file: fileURLToPath(new URL("./document-reader-child.ts", import.meta.url)),
    execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href, `--max-old-space-size=${READER_HEAP_MB}`],
  };
}

/** Buffers arrive as Uint8Arrays through IPC's structured clone: the page images become Buffers again. */
function revive(reading: DocumentReading): DocumentReading {
  if (reading.state !== "read" || !reading.images) return reading;
  return {
    ...reading,
    images: reading.images.map((i) => ({ ...i, png: Buffer.from(i.png.buffer, i.png.byteOffset, i.png.byteLength) })),
  };
}

export function createReader(opts: { idleMs?: number } = {}): Reader {
  const idleMs = opts.idleMs ?? READER_IDLE_MS;
  let live: Live | null = null;
  let idle: NodeJS.Timeout | undefined;
  let nextId = 1;
  let stopped = false;

  const start = (): Live => {
    const { file, execArgv } = childCommand();
    // stderr is kept only until the reader is ready: a failed start says why; later it could quote a file.
    const child = fork(file, [], { execArgv, serialization: "advanced", stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let early = "";
    const onErr = (d: Buffer) => (early = (early + d.toString()).slice(-2000));
    child.stderr?.on("data", onErr);
    const exited = new Promise<string>((resolve) => {
      child.once("exit", (code, signal) =>
        resolve(signal ? `the reader was stopped (${signal})` : `the reader exited (${code})`),
      );
      child.once("error", () => resolve("the reader could not be started"));
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ReaderFailed("the reader did not start in time")), START_TIMEOUT_MS);
      const onMessage = (m: ReaderAnswer) => {
        if (!("ready" in m)) return;
        clearTimeout(timer);
        child.off("message", onMessage);
        child.stderr?.off("data", onErr);
        child.stderr?.resume();
        resolve();
      };
      child.on("message", onMessage);
      void exited.then((why) => {
        clearTimeout(timer);
        reject(new ReaderFailed(`${why} before it was ready${early ? `: ${early.trim().split("\n").pop()}` : ""}`));
      });
    });
    ready.catch(() => undefined);
    const l: Live = { child, ready, exited };
    void exited.then(() => {
      if (live === l) live = null;
    });
    return l;
  };

  /** Ends a reader at once; the next read starts another (not this one, which is still exiting). */
  const kill = (l: Live | null) => {
    if (l && live === l) live = null;
    if (l && l.child.exitCode === null && l.child.signalCode === null) l.child.kill("SIGKILL");
  };

  const read: Reader["read"] = async (bytes, options, timeoutMs) => {
    if (stopped) throw new ReaderFailed("the reader is stopped");
    clearTimeout(idle);
    const l = (live ??= start());
    try {
      await l.ready;
      const id = nextId++;
      const answer = new Promise<DocumentReading>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          l.child.off("message", onMessage);
          l.child.off("exit", onExit);
        };
        const timer = setTimeout(() => {
          done();
          kill(l);
          reject(new ReaderFailed(`the file was not read within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        const onMessage = (m: ReaderAnswer) => {
          if ("ready" in m || m.id !== id) return;
          done();
          resolve(revive(m.reading));
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
          done();
          reject(new ReaderFailed(signal ? `the reader was stopped (${signal})` : `the reader exited (${code})`));
        };
        l.child.on("message", onMessage);
        l.child.on("exit", onExit);
      });
      l.child.send({ id, bytes, options } satisfies ReaderRequest);
      return await answer;
    } finally {
      clearTimeout(idle);
      if (!stopped) {
        idle = setTimeout(() => {
          if (live === l) live = null;
          if (l.child.connected) l.child.disconnect();
        }, idleMs);
        idle.unref();
      }
    }
  };

  const stop = async () => {
    stopped = true;
    clearTimeout(idle);
    const l = live;
    live = null;
    if (!l) return;
    // The reader stops its OCR thread and exits when the channel closes; killed if it takes long.
    if (l.child.connected) l.child.disconnect();
    const timer = setTimeout(() => kill(l), 3000);
    await l.exited;
    clearTimeout(timer);
  };

  return { read, stop };
}
