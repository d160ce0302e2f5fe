/** Starts test/support/smtp-sink.mjs (a real SMTP server process on 127.0.0.1) and collects what it accepts. */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export type ReceivedMail = { from: string; to: string[]; subject: string; messageId: string; text: string };

export async function startSmtpSink(): Promise<{
  url: string;
  port: number;
  messages: ReceivedMail[];
  waitFor: (n: number, timeoutMs?: number) => Promise<ReceivedMail[]>;
  stop: () => Promise<void>;
}> {
  const child = spawn(process.execPath, [path.resolve("test/support/smtp-sink.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const messages: ReceivedMail[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const msg = JSON.parse(line) as { port?: number } & ReceivedMail;
      if (msg.port) resolve(msg.port);
      else messages.push(msg);
    });
    child.once("exit", (code) => reject(new Error(`smtp sink exited (${code})`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    /** Waits until n messages arrived (or fails), then returns them. */
    waitFor: async (n, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} message(s), got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return messages;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
