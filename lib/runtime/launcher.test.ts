/**
 * The processes that start the embedded PostgreSQL: a failure exits non-zero, a requested stop
 * exits 0, and neither leaves a postmaster behind. The launcher runs as `npm start` runs it,
 * on a private DATA_DIR and free ports; these tests stop before Next starts (no build needed).
 *
 * Each script runs as one process (`node --import tsx`), so the signal goes to our code and the
 * exit code is its own: tsx's CLI would put a second process in between, and it SIGKILLs its
 * child when the child does not acknowledge a relayed signal within 30 ms.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres } from "../../db/embedded";
import { verifyPassword } from "../auth/passwords";
import { watchOutput, type ChildOutput } from "../../test/support/child-output";
import { createTestDatabase, dropTestDatabase } from "../../test/support/database";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmpDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "csi-launcher-"));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
};

/** Processes whose command line names this data folder (a postmaster runs as `postgres -D <dir>`). */
function processesUsing(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (state !== "Z" && cmdline.split("\0").includes(dataDir)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

type Run = ChildOutput & {
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: (signal: NodeJS.Signals) => void;
};

function runScript(script: string, env: Record<string, string>, args: string[] = []): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The test database is not the launcher's, unless a test gives it one.
  if (!("DATABASE_URL" in env)) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { exit, kill: (signal) => child.kill(signal), ...watchOutput(child, exit) };
}

async function launcherEnv(dataDir: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const nextDir = path.join(dataDir, "next");
  return {
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: "false",
    WORKER_ENABLED: "false",
    LOG_LEVEL: "warn",
    PORT: String(await freePort(0)),
    ACCLOUD_SANDBOX_PORT: String(await freePort(0)),
    EMBEDDED_PG_PORT: String(await freePort(0)),
    // Never the repository's build, and never a `next build` if a test went that far.
    NEXT_DIST_DIR: path.relative(process.cwd(), nextDir),
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

const pgData = (dataDir: string) => path.join(dataDir, "pg");

describe("the launcher (npm start)", () => {
  it("exits non-zero and stops PostgreSQL when the start fails after PostgreSQL started", async () => {
    const dataDir = tmpDir();
    const run = runScript("scripts/start.ts", await launcherEnv(dataDir, { ACCLOUD_CSI_GROUP_NAME: "No Such Group" }));
    await run.printed("PostgreSQL (embedded) on port");
    expect(processesUsing(pgData(dataDir)).length).toBeGreaterThan(0);
    const { code } = await run.exit;
    expect(run.output()).toMatch(/Start failed: ACCloud has no enabled client group named "No Such Group"/);
    expect(code).toBe(1);
    expect(processesUsing(pgData(dataDir))).toEqual([]);
    // A clean shutdown removes the lock file; a killed postmaster would leave it.
    expect(existsSync(path.join(pgData(dataDir), "postmaster.pid"))).toBe(false);
  }, 60_000);

  it("stops PostgreSQL and exits 0 on SIGINT once PostgreSQL is up", async () => {
    const dataDir = tmpDir();
    const run = runScript("scripts/start.ts", await launcherEnv(dataDir));
    await run.printed("PostgreSQL (embedded) on port");
    expect(processesUsing(pgData(dataDir)).length).toBeGreaterThan(0);
    run.kill("SIGINT");
    const { code } = await run.exit;
    expect(run.output()).toContain("SIGINT: stopping");
    expect(run.output()).not.toContain("Start failed");
    expect(code).toBe(0);
    expect(processesUsing(pgData(dataDir))).toEqual([]);
    expect(existsSync(path.join(pgData(dataDir), "postmaster.pid"))).toBe(false);
  }, 60_000);
});

/** A build folder with a BUILD_ID and nothing else: the start stops at Next (never a `next build`). */
function fakeBuild(env: Record<string, string>): Record<string, string> {
  mkdirSync(path.resolve(env.NEXT_DIST_DIR!), { recursive: true });
  writeFileSync(path.resolve(env.NEXT_DIST_DIR!, "BUILD_ID"), "fake");
  return env;
}

describe("production defaults", () => {
  it("prints the demo password that works, also after a start with another DEMO_PASSWORD", async () => {
    const dataDir = tmpDir();
    const startWith = async (password?: string) => {
      // SEED_DEMO_DATA unset (empty): the embedded cluster gets demo data.
      const env = fakeBuild(
        await launcherEnv(dataDir, { SEED_DEMO_DATA: "", ...(password ? { DEMO_PASSWORD: password } : {}) }),
      );
      if (!password) env.DEMO_PASSWORD = "";
      const run = runScript("scripts/start.ts", env);
      await run.exit;
      const printed = /Demo sign-in: .*password: (\S+)/.exec(run.output())?.[1];
      expect(printed, run.output()).toBeDefined();
      return { printed: printed!, output: run.output() };
    };
    const reviewerHash = async () => {
      const db = await startEmbeddedPostgres({ dataRoot: dataDir, database: "app", preferredPort: 0 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (
          await client.query<{ h: string }>("select password_hash as h from users where email = 'reviewer@demo.test'")
        ).rows[0]!.h;
      } finally {
        await client.end();
        await db.stop();
      }
    };

    const first = await startWith("first-password-1");
    expect(first.output).toContain("Seeding demo data");
    expect(first.printed).toBe("first-password-1");
    const second = await startWith("second-password-2");
    expect(second.printed).toBe("second-password-2");
    expect(await verifyPassword(await reviewerHash(), "second-password-2")).toBe(true);
    // Without DEMO_PASSWORD: the one generated into DATA_DIR/secrets.json, and it works too.
    const third = await startWith();
    const generated = (
      JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { DEMO_PASSWORD: string }
    ).DEMO_PASSWORD;
    expect(third.printed).toBe(generated);
    expect(await verifyPassword(await reviewerHash(), generated)).toBe(true);
  }, 180_000);

  it("with DATABASE_URL: no demo data and no password printed; `npm run admin -- create` makes the first administrator", async () => {
    const dataDir = tmpDir();
    const name = `launcher_${Date.now()}`;
    const { url } = await createTestDatabase(process.env.DATABASE_URL!, name);
    try {
      const env = fakeBuild(
        await launcherEnv(dataDir, {
          DATABASE_URL: url,
          SEED_DEMO_DATA: "",
          DEMO_PASSWORD: "never-printed-1",
          ACCLOUD_SANDBOX: "true",
          APP_URL: "https://csi-review.example.org",
        }),
      );
      const run = runScript("scripts/start.ts", env);
      await run.exit;
      const out = run.output();
      expect(out).toContain("No administrator yet: create the first with `npm run admin -- create --email");
      expect(out).not.toContain("never-printed-1");
      expect(out).not.toMatch(/Seeding|Demo sign-in|password:/);
      // The test's role owns the tables: the launcher says the audit trail is not protected from it.
      expect(out).toMatch(/warning: the app's database role \(\w+\) owns audit_events or is a superuser/);

      const admin = runScript("scripts/admin.ts", { DATABASE_URL: url, LOG_LEVEL: "warn" }, [
        "create",
        "--email",
        "First.Admin@CSI.example",
        "--json",
      ]);
      expect((await admin.exit).code).toBe(0);
      const created = JSON.parse(
        admin
          .output()
          .split("\n")
          .find((l) => l.startsWith("{"))!,
      ) as { email: string; password: string };
      expect(created.email).toBe("first.admin@csi.example");
      expect(created.password.length).toBeGreaterThanOrEqual(24);
      const again = runScript("scripts/admin.ts", { DATABASE_URL: url, LOG_LEVEL: "warn" }, [
        "create",
        "--email",
        "first.admin@csi.example",
      ]);
      expect((await again.exit).code).toBe(1);
      expect(again.output()).toContain("already exists");

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const users = (
          await client.query<{ email: string; role: string; h: string }>(
            "select email, role, password_hash as h from users",
          )
        ).rows;
        expect(users.map((u) => [u.email, u.role])).toEqual([["first.admin@csi.example", "admin"]]);
        expect(await verifyPassword(users[0]!.h, created.password)).toBe(true);
        expect((await client.query("select 1 from referral_requests")).rowCount).toBe(0);
        const audit = (await client.query("select action, actor_label from audit_events where action = 'user.created'"))
          .rows;
        expect(audit).toEqual([{ action: "user.created", actor_label: expect.stringMatching(/^cli/) }]);
      } finally {
        await client.end();
      }
    } finally {
      await dropTestDatabase(process.env.DATABASE_URL!, name);
    }
  }, 120_000);

  it("with DATABASE_URL, the launcher and a worker refuse to start without ACCLOUD_URL (or ACCLOUD_SANDBOX=true) and APP_URL, naming them", async () => {
    const dataDir = tmpDir();
    // Nothing is started: the refusal comes before the database is touched.
    const url = "postgres://nobody:nothing@127.0.0.1:1/none";
    const refusal = async (script: string, extra: Record<string, string>) => {
      const run = runScript(
        script,
        await launcherEnv(dataDir, { DATABASE_URL: url, ACCLOUD_URL: "", ACCLOUD_SANDBOX: "", APP_URL: "", ...extra }),
      );
      const { code } = await run.exit;
      return { code, output: run.output() };
    };
    for (const script of ["scripts/start.ts", "scripts/worker.ts"]) {
      const neither = await refusal(script, {});
      expect(neither.code, neither.output).toBe(1);
      expect(neither.output).toMatch(/ACCLOUD_URL must be set when DATABASE_URL is set/);
      expect(neither.output).toMatch(/APP_URL must be set when DATABASE_URL is set/);
      const noAppUrl = await refusal(script, { ACCLOUD_SANDBOX: "true" });
      expect(noAppUrl.code).toBe(1);
      expect(noAppUrl.output).not.toMatch(/ACCLOUD_URL must be set/);
      expect(noAppUrl.output).toMatch(/APP_URL must be set when DATABASE_URL is set/);
      const noAccloud = await refusal(script, { APP_URL: "https://csi-review.example.org" });
      expect(noAccloud.code).toBe(1);
      expect(noAccloud.output).toMatch(/ACCLOUD_URL must be set when DATABASE_URL is set/);
      expect(noAccloud.output).not.toMatch(/APP_URL must be set/);
    }
    // Both at once is a contradiction, refused by the environment's own check.
    const both = await refusal("scripts/start.ts", {
      ACCLOUD_SANDBOX: "true",
      ACCLOUD_URL: "https://csi.uat.alayacare.com",
      APP_URL: "https://x.example.org",
    });
    expect(both.code).toBe(1);
    expect(both.output).toMatch(/ACCLOUD_SANDBOX: true asks for the local sandbox, but ACCLOUD_URL is set/);
  }, 60_000);
});

describe("onShutdown", () => {
  const script = (stop: string) => {
    const file = path.join(tmpDir(), "shutdown.mts");
    writeFileSync(
      file,
      `import { onShutdown } from ${JSON.stringify(path.resolve("lib/runtime/boot.ts"))};
      onShutdown(async () => { ${stop} });
      console.log("ready"); setInterval(() => {}, 1000);`,
    );
    return file;
  };

  it("exits 1 when stopping failed", async () => {
    const run = runScript(script(`throw new Error("the queue did not stop");`), {});
    await run.printed("ready");
    run.kill("SIGTERM");
    expect((await run.exit).code).toBe(1);
    expect(run.output()).toContain("stopping failed: the queue did not stop");
  });

  it("exits 0 after a clean stop", async () => {
    const run = runScript(script(`await new Promise((r) => setTimeout(r, 50));`), {});
    await run.printed("ready");
    run.kill("SIGINT");
    expect((await run.exit).code).toBe(0);
  });
});

describe("npm run db:migrate", () => {
  it("exits non-zero and stops PostgreSQL when a migration fails", async () => {
    const dataDir = tmpDir();
    // A table in the way of the first migration.
    const db = await startEmbeddedPostgres({ dataRoot: dataDir, database: "app", preferredPort: 0 });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`create table api_clients (id int)`);
    await client.end();
    await db.stop();

    const run = runScript("scripts/migrate.ts", await launcherEnv(dataDir));
    const { code } = await run.exit;
    expect(run.output()).toMatch(/api_clients/);
    expect(code).not.toBe(0);
    expect(processesUsing(pgData(dataDir))).toEqual([]);
    expect(existsSync(path.join(pgData(dataDir), "postmaster.pid"))).toBe(false);
  }, 60_000);
});
