import type { Box } from "./types";

/** The smallest box holding all of `boxes` ([0,0,0,0] for none). */
export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return [0, 0, 0, 0];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y, w, h] of boxes) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * The promise, or a TimeoutError after `ms`; `onTimeout` stops the work (cancels a render,
 * terminates the OCR worker). The abandoned promise's later rejection is swallowed.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout?: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        void Promise.resolve(onTimeout?.()).catch(() => undefined);
      } finally {
        reject(new TimeoutError(ms));
      }
    }, ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A time limit in words: "60 s", "250 ms". */
export const inWords = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);
