/**
 * OCR with tesseract.js: one worker per process, created on first use and reused (loading the
 * model costs about half a second), English LSTM model read from @tesseract.js-data/eng on
 * disk, nothing fetched or cached. A page over its time limit terminates the worker (its thread
 * stops at once) and the next page gets a new one. Idle, the worker's thread does not keep the
 * process alive; terminateOcr() stops it for good (a worker's shutdown, a test's end).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { createWorker, OEM, type Worker as TesseractWorker } from "tesseract.js";
import { toPgm, type DrawnPage } from "./render";
import type { Box, Line, Word } from "./types";
import { unionBox, withTimeout } from "./util";

const require = createRequire(import.meta.url);

/** Where the worker reads its model and code: all on disk (the network test checks both). */
export function ocrPaths(): { langPath: string; corePath: string; workerPath: string } {
  return {
    langPath: path.join(path.dirname(require.resolve("@tesseract.js-data/eng/package.json")), "4.0.0_best_int"),
    corePath: path.dirname(require.resolve("tesseract.js-core/package.json")),
    workerPath: path.join(
      path.dirname(require.resolve("tesseract.js/package.json")),
      "src",
      "worker-script",
      "node",
      "index.js",
    ),
  };
}

type Live = { worker: TesseractWorker; thread: import("node:worker_threads").Worker; dead: Promise<never> };
let current: Promise<Live> | null = null;

async function start(): Promise<Live> {
  const { langPath } = ocrPaths();
  // A model that cannot be loaded is reported to errorHandler only (createWorker then never
  // settles): it fails the start. Later, the handler sees each failed job, which the job's own
  // promise reports; without a handler tesseract.js would throw from its message listener.
  let failStart: (err: Error) => void = () => undefined;
  const startFailed = new Promise<never>((_, reject) => (failStart = reject));
  startFailed.catch(() => undefined);
  const worker = await Promise.race([
    createWorker("eng", OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cacheMethod: "none",
      errorHandler: () => failStart(new Error("the OCR model could not be loaded")),
    }),
    startFailed,
  ]);
  // Tesseract's diagnostics ("Estimating resolution as …") would go to stdout; they say nothing useful.
  await worker.setParameters({ debug_file: "/dev/null" });
  const thread = (worker as unknown as { worker: import("node:worker_threads").Worker }).worker;
  const dead = new Promise<never>((_, reject) => {
    thread.once("error", () => reject(new Error("the OCR worker failed")));
    thread.once("exit", () => reject(new Error("the OCR worker stopped")));
  });
  dead.catch(() => undefined);
  return { worker, thread, dead };
}

/**
 * A start that failed (the model missing or broken: a deployment's fault) leaves a thread
 * tesseract.js gives no handle to; it is not retried for a while, so a file of many pages does
 * not leave a thread per page.
 */
const RETRY_START_AFTER_MS = 5 * 60_000;
let lastFailure: { at: number; error: Error } | null = null;

function live(): Promise<Live> {
  if (lastFailure && Date.now() - lastFailure.at < RETRY_START_AFTER_MS) return Promise.reject(lastFailure.error);
  if (!current) {
    const starting = start();
    current = starting;
    starting.catch((error: Error) => {
      lastFailure = { at: Date.now(), error };
      if (current === starting) current = null;
    });
  }
  return current;
}

/** Stop the worker (a process's shutdown, a page over its time); the next OCR starts a new one. */
export async function terminateOcr(): Promise<void> {
  const running = current;
  current = null;
  if (!running) return;
  // A worker still starting is stopped once it has started (or is dropped if it never does).
  void running.then(
    (live) => live.worker.terminate().catch(() => undefined),
    () => undefined,
  );
  await Promise.race([
    running.then(
      () => undefined,
      () => undefined,
    ),
    new Promise((resolve) => setTimeout(resolve, 1000).unref()),
  ]);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * One job on this process's OCR worker at a time (DOCUMENT_READ_CONCURRENCY gives each concurrent
 * read a reader process, and so an OCR worker, of its own), its time counted from its start: over `timeoutMs` the worker is
 * terminated and a TimeoutError thrown. A worker that failed a job is not trusted with the next.
 */
function runJob<T>(timeoutMs: number, work: (worker: TesseractWorker) => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    let thread: import("node:worker_threads").Worker | undefined;
    const job = (async () => {
      const running = await live();
      // The idle worker does not keep the process alive; a job in progress does.
      thread = running.thread;
      thread.ref();
      return Promise.race([work(running.worker), running.dead]);
    })();
    try {
      return await withTimeout(job, timeoutMs, terminateOcr);
    } catch (err) {
      await terminateOcr();
      throw err;
    } finally {
      thread?.unref();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

type TBox = { x0: number; y0: number; x1: number; y1: number };
type TWord = { text: string; confidence: number; bbox: TBox };
type TLine = { text: string; confidence: number; bbox: TBox; words: TWord[] };
type TBlock = { paragraphs: Array<{ lines: TLine[] }> };

/**
 * A box tesseract gives in the deskewed image, back in the image it was given: tesseract turned
 * that image by `radians` about its centre (leptonica: clockwise positive, size kept), so the
 * box's corners are turned back and the box around them taken.
 */
export function unturn(b: TBox, radians: number, width: number, height: number): Box {
  if (!radians) return [b.x0, b.y0, Math.max(1, b.x1 - b.x0), Math.max(1, b.y1 - b.y0)];
  const cx = width / 2;
  const cy = height / 2;
  const cos = Math.cos(-radians);
  const sin = Math.sin(-radians);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [x, y] of [
    [b.x0, b.y0],
    [b.x1, b.y0],
    [b.x0, b.y1],
    [b.x1, b.y1],
  ] as const) {
    xs.push(cx + (x - cx) * cos - (y - cy) * sin);
    ys.push(cy + (x - cx) * sin + (y - cy) * cos);
  }
  const x0 = Math.round(Math.min(...xs));
  const y0 = Math.round(Math.min(...ys));
  return [x0, y0, Math.max(1, Math.round(Math.max(...xs)) - x0), Math.max(1, Math.round(Math.max(...ys)) - y0)];
}

/** Tesseract's blocks → our words and lines in the given image's pixels (empty words, which it reports for noise, left out). */
export function fromBlocks(
  blocks: TBlock[] | null,
  radians = 0,
  width = 0,
  height = 0,
): { words: Word[]; lines: Line[] } {
  const toBox = (b: TBox) => unturn(b, radians, width, height);
  const words: Word[] = [];
  const lines: Line[] = [];
  for (const block of blocks ?? [])
    for (const paragraph of block.paragraphs)
      for (const line of paragraph.lines) {
        const kept = line.words.filter((w) => w.text.trim() !== "");
        if (kept.length === 0) continue;
        const index = lines.length;
        const lineWords = kept.map((w) => ({
          text: w.text.trim(),
          box: toBox(w.bbox),
          confidence: Math.round(w.confidence),
          line: index,
        }));
        words.push(...lineWords);
        lines.push({
          text: lineWords.map((w) => w.text).join(" "),
          box: unionBox(lineWords.map((w) => w.box)),
          confidence: Math.round(line.confidence),
        });
      }
  return { words, lines };
}

/**
 * Words and lines of a page image (PGM, PNG…) of `width` × `height`, in its pixels. A scan turned a few
 * degrees is straightened for recognition (tesseract reads straight lines far better; a turned
 * page mixes its columns' lines) and the boxes turned back. `dpi`, when known, spares tesseract
 * its guess. Over `timeoutMs` the worker is terminated and a TimeoutError thrown.
 */
export async function ocrImage(
  image: Buffer,
  options: { timeoutMs: number; width: number; height: number; dpi?: number },
): Promise<{ words: Word[]; lines: Line[]; skew: number }> {
  const params = { rotateAuto: true, ...(options.dpi ? { user_defined_dpi: String(Math.round(options.dpi)) } : {}) };
  const result = await runJob(options.timeoutMs, (worker) =>
    worker.recognize(image, params as object, { blocks: true, text: false }),
  );
  const skew = result.data.rotateRadians ?? 0;
  return { ...fromBlocks(result.data.blocks as unknown as TBlock[] | null, skew, options.width, options.height), skew };
}

/** One word or short line (a crop), as text with tesseract's confidence (0–100). */
export async function ocrSnippet(image: Buffer, timeoutMs: number): Promise<{ text: string; confidence: number }> {
  const result = await runJob(timeoutMs, (worker) =>
    worker.recognize(image, { tessedit_pageseg_mode: "7" } as object, { text: true, blocks: false }),
  );
  return { text: result.data.text.trim(), confidence: result.data.confidence };
}

/** Below this confidence a word holding a digit (a code, an NPI, a date) is read again on its own. */
export const REREAD_BELOW = 80;
/** Below this, any word of three or more characters is read again (a code read as a word: "Jada" for "J44.1"). */
export const REREAD_ANY_BELOW = 30;
/** At most this many words a page are read again (each costs a tenth of a second or so). */
export const MAX_REREADS = 16;

/**
 * A drawn page read by OCR, in its pixels: the page as a whole, then each uncertain word holding
 * a digit (or any very uncertain word) read again alone, magnified twice, and kept when
 * tesseract is surer of it. On a
 * whole page the language model pulls codes towards words ("J4a41"); alone, magnified, they
 * mostly read right. `left()` gives the page's remaining time (and throws when it is over).
 */
export async function ocrDrawnPage(
  drawn: DrawnPage,
  options: { left: () => number; dpi?: number },
): Promise<{ words: Word[]; lines: Line[]; skew: number }> {
  const ocr = await ocrImage(toPgm(drawn), {
    timeoutMs: options.left(),
    width: drawn.width,
    height: drawn.height,
    dpi: options.dpi,
  });
  const weak = ocr.words
    .map((word, index) => ({ word, index }))
    .filter(
      ({ word }) =>
        word.text.length >= 3 &&
        word.text.length <= 16 &&
        ((word.confidence < REREAD_BELOW && /\d/.test(word.text)) || word.confidence < REREAD_ANY_BELOW),
    )
    .sort((a, b) => a.word.confidence - b.word.confidence)
    .slice(0, MAX_REREADS);
  const replaced = new Map<number, Word[]>();
  for (const { word, index } of weak) {
    const [x, y, w, h] = word.box;
    const pad = Math.round(h * 0.4);
    const crop = createCanvas((w + 2 * pad) * 2, (h + 2 * pad) * 2);
    const context = crop.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, crop.width, crop.height);
    context.imageSmoothingQuality = "high";
    context.drawImage(drawn.canvas, x - pad, y - pad, w + 2 * pad, h + 2 * pad, 0, 0, crop.width, crop.height);
    const again = await ocrSnippet(toPgm({ canvas: crop, width: crop.width, height: crop.height }), options.left());
    const parts = again.text.split(/\s+/).filter(Boolean);
    // Kept only when surer and not shorter (a crop cut by a neighbour's edge reads part of the word).
    const letters = (t: string) => t.replace(/[^\p{L}\p{N}]/gu, "").length;
    if (
      parts.length === 0 ||
      parts.length > 3 ||
      again.confidence <= word.confidence ||
      letters(again.text) < letters(word.text) - 1
    )
      continue;
    replaced.set(index, splitWord(word, parts, Math.round(again.confidence)));
  }
  if (!replaced.size) return ocr;
  const words = ocr.words.flatMap((w, i) => replaced.get(i) ?? [w]);
  const lines = ocr.lines.map((l, i) => ({
    ...l,
    text: words
      .filter((w) => w.line === i)
      .map((w) => w.text)
      .join(" "),
  }));
  return { words, lines, skew: ocr.skew };
}

/** A word's box shared among the words a second reading found in it, by their share of characters. */
function splitWord(word: Word, parts: string[], confidence: number): Word[] {
  if (parts.length === 1) return [{ ...word, text: parts[0]!, confidence }];
  const total = parts.reduce((n, p) => n + p.length + 1, -1);
  const [x, y, w, h] = word.box;
  let at = 0;
  return parts.map((text) => {
    const from = x + (w * at) / total;
    at += text.length + 1;
    const to = x + (w * Math.min(total, at - 1)) / total;
    return {
      text,
      box: [Math.round(from), y, Math.max(1, Math.round(to - from)), h] as Box,
      confidence,
      line: word.line,
    };
  });
}

/** A TIFF page (which only tesseract's image library decodes here) as PNG, without recognising it. */
export async function tiffToPng(tiff: Uint8Array, timeoutMs: number): Promise<Buffer> {
  const result = await runJob(timeoutMs, (worker) =>
    worker.recognize(Buffer.from(tiff), {}, { imageColor: true, text: false, blocks: false }),
  );
  const dataUrl = result.data.imageColor;
  if (!dataUrl) throw new Error("the TIFF page could not be decoded");
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
}
