/**
 * The safety net for PostgreSQL servers this process started (the embedded cluster, a test
 * server cluster): they must not outlive the process, and the process's exit code must stay
 * the program's own.
 *
 *  - on `exit`, whatever the code, each guarded postmaster still running gets SIGINT (fast
 *    shutdown: it ends its sessions and stops by itself after we are gone). Nothing else is
 *    done there, so the exit code is untouched;
 *  - on SIGINT, SIGTERM or SIGHUP that nothing else listens to (the signal would have killed the
 *    process): the postmasters are stopped, then the signal is raised again with its default
 *    action, so the process still dies of it (exit status 128 + n). When the program listens
 *    itself (the launcher's shutdown, vitest), it owns the shutdown and stops PostgreSQL in its
 *    own order after closing its connections; the `exit` hook still covers it.
 * The listeners exist only while something is guarded, so a process with no server keeps
 * Node's default signal behaviour.
 */
import type { ChildProcess } from "node:child_process";

/** Returns the postmaster's process when there is one (it may not be spawned yet). */
export type PostmasterRef = () => ChildProcess | undefined;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const STOP_WAIT_MS = 15_000;

// One registry per process, even when this module is evaluated more than once (vitest loads it
// once per project): two sets of signal listeners would each take the other for the program's.
type State = {
  guarded: Set<PostmasterRef>;
  signalled: boolean;
  onExit: () => void;
  onSignal: (s: NodeJS.Signals) => void;
};
const KEY = Symbol.for("csi-referral-review.postmaster-guard");
const state: State = ((globalThis as Record<symbol, State | undefined>)[KEY] ??= {
  guarded: new Set(),
  signalled: false,
  onExit: () => onExit(),
  onSignal: (s) => onSignal(s),
});
const guarded = state.guarded;

const isRunning = (child: ChildProcess | undefined): child is ChildProcess =>
  !!child && child.pid !== undefined && child.exitCode === null && child.signalCode === null;

function running(): ChildProcess[] {
  return [...guarded].map((ref) => ref()).filter(isRunning);
}

function onExit(): void {
  for (const child of running()) {
    try {
      child.kill("SIGINT");
    } catch {
      // already gone
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (!isRunning(child)) return resolve();
    child.once("exit", () => resolve());
  });
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listeners(signal).some((l) => l !== state.onSignal)) return;
  if (state.signalled) return;
  state.signalled = true;
  const children = running();
  for (const child of children) child.kill("SIGINT");
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref());
  void Promise.race([Promise.all(children.map(exited)), timeout]).then(() => {
    uninstall();
    process.kill(process.pid, signal);
  });
}

function install(): void {
  process.on("exit", state.onExit);
  for (const s of SIGNALS) process.on(s, state.onSignal);
}

function uninstall(): void {
  process.removeListener("exit", state.onExit);
  for (const s of SIGNALS) process.removeListener(s, state.onSignal);
}

/** Guards a postmaster until the returned release is called (after a clean stop). */
export function guardPostmaster(ref: PostmasterRef): () => void {
  if (guarded.size === 0 && !state.signalled) install();
  guarded.add(ref);
  return () => {
    if (!guarded.delete(ref)) return;
    if (guarded.size === 0 && !state.signalled) uninstall();
  };
}
