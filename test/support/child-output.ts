/** What a child process prints, for tests that start one and wait for a line from it. */
import type { ChildProcess } from "node:child_process";

export type ChildOutput = {
  /** All it has printed so far, stdout and stderr together. */
  output: () => string;
  /** Resolves once it has printed `text`; rejects if it exits first. */
  printed: (text: string) => Promise<void>;
};

/** Collects `child`'s stdout and stderr (both piped); `exited` settles when it exits, `name` names it in errors. */
export function watchOutput(child: ChildProcess, exited: Promise<unknown>, name?: string): ChildOutput {
  let out = "";
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    waiters.forEach((w) => w());
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const who = name ? `${name} exited` : "exited";
  return {
    output: () => out,
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => out.includes(text) && resolve();
        waiters.push(check);
        check();
        void exited.then(() => reject(new Error(`${who} before printing "${text}":\n${out}`)));
      }),
  };
}
