/** Request bodies for tests of how much of a body is read. */

/**
 * A body stream that makes its chunks only when asked (high-water mark 0: nothing is pulled
 * ahead), counting the bytes handed out.
 */
export function countingStream(
  total: number,
  chunk = 64 * 1024,
): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const block = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        const n = Math.min(chunk, total - sent);
        sent += n;
        controller.enqueue(block.slice(0, n));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => sent };
}
