/**
 * `npm test` must fail when a test fails. Vitest runs in a child process on a fixture with the
 * project's global setup (which starts the embedded PostgreSQL, the thing whose exit hook used
 * to turn every exit code into 0), and the child's exit code is checked.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";

const CONFIG = path.resolve("test/support/exit-code/vitest.config.ts");

function runVitest(
  fixture: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...env };
  // The child must set up its own database, not reuse this run's, and must not think it is a vitest worker.
  delete childEnv.DATABASE_URL;
  if (!env.TEST_SERVER_DATABASE_URL) delete childEnv.TEST_SERVER_DATABASE_URL;
  for (const key of Object.keys(childEnv)) if (key.startsWith("VITEST")) delete childEnv[key];
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.resolve("node_modules/vitest/vitest.mjs"), "run", "--config", CONFIG, fixture],
      {
        env: childEnv,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("the exit code of a vitest run with the project's global setup", () => {
  it("is 0 when the tests pass (so the harness alone does not fail)", async () => {
    const r = await runVitest("test/support/exit-code/passes.fixture.ts");
    expect(r.output).toMatch(/Tests\s+1 passed/);
    expect(r.code).toBe(0);
  }, 60_000);

  it("is not 0 when a test fails", async () => {
    const r = await runVitest("test/support/exit-code/fails.fixture.ts");
    expect(r.output).toMatch(/Tests\s+1 failed/);
    expect(r.code).toBe(1);
  }, 60_000);

  it("is not 0 when the server given by TEST_SERVER_DATABASE_URL is unreachable", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const r = await runVitest("test/support/exit-code/passes.fixture.ts", {
      EXIT_CODE_GLOBAL_SETUP: "./test/support/global-setup-server.ts",
      TEST_SERVER_DATABASE_URL: `postgres://ci:secret-password@127.0.0.1:${port}/postgres`,
    });
    expect(r.output).toContain(`cannot connect to PostgreSQL at ci@127.0.0.1:${port}`);
    expect(r.output).not.toContain("secret-password");
    expect(r.code).not.toBe(0);
  }, 60_000);
});
