/**
 * Demo seeding when several processes start at once on an empty database (app processes behind
 * a load balancer all restarted together): one seeds, the others find the data and leave it.
 * Two real processes run the launcher's seeding step, released at the same moment.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { runMigrations } from "../../db/migrate";
import { createTestDatabase, dropTestDatabase } from "../../test/support/database";
import { DEMO_USERS } from "./seed";

const dir = mkdtempSync(path.join(os.tmpdir(), "csi-seed-"));
const database = `seed_${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropTestDatabase(process.env.DATABASE_URL!, database);
});

/** A process that connects, says "ready", and seeds when a line arrives on its stdin. */
function seeder(url: string) {
  const file = path.join(dir, "seed-child.mts");
  writeFileSync(
    file,
    `import { closeDb, getDb } from ${JSON.stringify(path.resolve("lib/db.ts"))};
    import { seedDemoDataIfEmpty } from ${JSON.stringify(path.resolve("lib/demo/seed.ts"))};
    import { stopSenderBosses } from ${JSON.stringify(path.resolve("lib/jobs/queue.ts"))};
    const db = getDb();
    await db.$client.query("select 1");
    console.log("ready");
    process.stdin.once("data", async () => {
      const r = await seedDemoDataIfEmpty(db, { password: "demo-password-1", count: 4 });
      console.log("result " + JSON.stringify({ seeded: r.seeded?.referrals ?? null, passwordChanged: r.passwordChanged }));
      // Deliveries queue document-read jobs through this process's job sender, as the launcher's do.
      await stopSenderBosses();
      await closeDb();
      process.stdin.destroy();
    });`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => out.includes("ready") && resolve());
    void exit.then(() => reject(new Error(`exited before it was ready:\n${out}`)));
  });
  return { ready, exit, go: () => child.stdin.write("go\n"), output: () => out };
}

it(
  "two processes seeding an empty database at once: one set of demo users and referrals, no error",
  { timeout: 120_000 },
  async () => {
    const { url } = await createTestDatabase(process.env.DATABASE_URL!, database);
    await runMigrations(url);
    const a = seeder(url);
    const b = seeder(url);
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const codes = await Promise.all([a.exit, b.exit]);
    expect(codes, `${a.output()}\n---\n${b.output()}`).toEqual([0, 0]);

    const results = [a, b].map(
      (p) => JSON.parse(/result (.*)/.exec(p.output())![1]!) as { seeded: number | null; passwordChanged: string[] },
    );
    // One seeded (4 generated referrals and the reference one); the other found them and changed nothing.
    expect(results.map((r) => r.seeded).sort()).toEqual([5, null]);
    expect(results.flatMap((r) => r.passwordChanged)).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const count = async (q: string) => (await client.query<{ n: number }>(q)).rows[0]!.n;
      const emails = (await client.query<{ email: string }>("select email from users order by email")).rows.map(
        (r) => r.email,
      );
      expect(emails).toEqual(DEMO_USERS.map((u) => u.email).sort());
      expect(await count("select count(*)::int as n from referral_requests")).toBe(5);
      expect(await count("select count(*)::int as n from api_clients")).toBe(1);
      expect(await count("select count(*)::int as n from audit_events where action = 'user.created'")).toBe(
        DEMO_USERS.length,
      );
      expect(await count("select count(*)::int as n from audit_events where action = 'user.password_set'")).toBe(0);
    } finally {
      await client.end();
    }
  },
);
