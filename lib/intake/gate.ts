/**
 * How many large webhook bodies one process holds at once. A 120 MB body costs several times its
 * size while it is read, decoded, parsed and stored (the bytes, the text, the parsed strings, the
 * decoded files), so two or three at once could exhaust the heap. A large body waits for its
 * turn before its bytes are read (TCP holds the rest at the sender); one that waits too long
 * gets 503 with Retry-After, which a retry does cure.
 */
export const LARGE_BODY_BYTES = 8 * 1024 * 1024;
export const LARGE_BODY_WAIT_MS = 30_000;

type Waiter = { grant: () => void };

export class Gate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly capacity: () => number) {}

  /** A release function, or null when no place came free within `timeoutMs`. */
  acquire(timeoutMs: number): Promise<(() => void) | null> {
    const release = () => {
      this.active--;
      this.waiting.shift()?.grant();
    };
    const once = () => {
      let done = false;
      return () => {
        if (!done) {
          done = true;
          release();
        }
      };
    };
    if (this.active < Math.max(1, this.capacity())) {
      this.active++;
      return Promise.resolve(once());
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          this.active++;
          resolve(once());
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at !== -1) this.waiting.splice(at, 1);
        resolve(null);
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }

  get inUse(): number {
    return this.active;
  }
}
