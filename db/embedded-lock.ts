/**
 * The start lock of an embedded cluster's data folder: two processes starting on one folder at
 * once (the app and a CLI or worker, a bench's app and its API-client step) take turns, so the
 * second shares what the first started instead of running initdb into a folder being
 * initialised, or stopping a postmaster that has not yet said who owns it.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { isAlive } from "./embedded-host";

const START_LOCK_WAIT_MS = 180_000;
/** How long a stop waits for the lock before it stops without it. */
export const STOP_LOCK_WAIT_MS = 20_000;
/** A lock file still empty this long after it was made: its maker died between creating and writing it. */
const EMPTY_LOCK_STALE_MS = 10_000;

/**
 * Runs `work` holding `<root>/start.lock` (made with O_EXCL, holding our pid), so deciding
 * whether to share, initdb, starting the postmaster and writing owner.json happen for one
 * process at a time. Without it a second process that looks while the first is still in initdb
 * or starting (no postmaster.pid, no owner.json yet) takes the folder for abandoned: it runs
 * initdb into it ("directory … exists but is not empty") or stops the first one's postmaster.
 * A lock whose process is gone (SIGKILL) is taken over.
 */
export async function withStartLock<T>(root: string, work: () => Promise<T>, waitMs = START_LOCK_WAIT_MS): Promise<T> {
  const lock = path.join(root, "start.lock");
  // Callers in this process take turns first (the file names the process, not the caller).
  const before = heldHere.get(lock) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const chain = before.then(() => mine);
  heldHere.set(lock, chain);
  try {
    await before;
    return await withLockFile(lock, root, work, waitMs);
  } finally {
    done();
    if (heldHere.get(lock) === chain) heldHere.delete(lock);
  }
}
const heldHere = new Map<string, Promise<void>>();

async function withLockFile<T>(lock: string, root: string, work: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let text = "";
    let age = 0;
    try {
      text = readFileSync(lock, "utf8");
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    const holder = Number(text.trim() || NaN);
    // Our own pid: callers in this process take turns before the file, so it is a lock left behind.
    const stale = Number.isInteger(holder) ? holder === process.pid || !isAlive(holder) : age > EMPTY_LOCK_STALE_MS;
    if (stale) {
      // Removed only if it is still the stale one (another waiter may have replaced it meanwhile).
      try {
        if (readFileSync(lock, "utf8") === text) unlinkSync(lock);
      } catch {
        // gone meanwhile
      }
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `another process (pid ${holder}) has been starting or stopping the embedded PostgreSQL in ${root} for ${waitMs / 1000} s (${lock})`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await work();
  } finally {
    try {
      if (readFileSync(lock, "utf8") === String(process.pid)) unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}
