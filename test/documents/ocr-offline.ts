/**
 * Run by lib/documents/network.test.ts in a child process whose preload makes every network
 * call throw (in the main thread and in tesseract's worker thread alike).
 *   read: reads an image by OCR as the app does; prints the lines read and whether a network call was refused
 *         afterwards, and exits by itself (the idle OCR worker does not hold the process)
 *   cdn:  makes a tesseract worker without our langPath, which would fetch the model from a CDN; prints the error
 */
import { createWorker, OEM } from "tesseract.js";
import { readDocument } from "../../lib/documents/read";
import { textImage } from "./files";

async function main() {
  if (process.argv[2] === "cdn") {
    // tesseract.js reports a failed model load to errorHandler (its createWorker never settles then).
    const failed = new Promise<string>((resolve) => {
      void createWorker("eng", OEM.LSTM_ONLY, {
        cacheMethod: "none",
        errorHandler: (e: unknown) => resolve(String(e)),
      }).then(() => resolve("loaded"));
    });
    const outcome = await Promise.race([
      failed,
      new Promise<string>((resolve) => setTimeout(() => resolve("no answer in 60 s"), 60_000)),
    ]);
    console.log(JSON.stringify({ loaded: outcome === "loaded", error: outcome }));
    // The worker that failed to start cannot be reached to stop it.
    process.exit(0);
  }
  const png = await textImage(["Physician NPI: 1234567893"], { width: 1600 }).encode("png");
  const reading = await readDocument(png);
  // The OCR worker is left running on purpose: idle, it must not keep this process alive.
  let refused = false;
  try {
    await fetch("http://127.0.0.1:9/");
  } catch {
    refused = true;
  }
  console.log(
    JSON.stringify({
      state: reading.state,
      lines: reading.state === "read" ? reading.pages[0]!.lines.map((l) => l.text) : [],
      refused,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
