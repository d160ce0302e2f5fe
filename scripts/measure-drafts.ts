// Run with --conditions=react-server (it approves through lib/approval/approve.ts, which is server-only):
//   npx tsx --conditions=react-server scripts/measure-drafts.ts [--count 1000] [--seed 22]
/**
 * A measurement, not a test: how much of an approval the draft gets right, on two histories made
 * by the real code (intake, approval, reference data from the sandbox), each in a fresh database:
 *  1. the demo data (lib/demo/seed.ts with its earlier decisions): the share of the open demo
 *     referrals whose draft is complete, and the replay of its approvals;
 *  2. a generated history of --count approvals over a simulated year (test/support/draft-history.ts).
 * The replay drafts each approval, in time order, from the history before it alone, and compares
 * each suggested value with what the reviewer approved. "Kept" is over the learned values (funder,
 * service code, care type, case manager); the values read from the form (dates, rules, member
 * number) are kept by the simulated reviewers by construction, so they are shown apart.
 * On an embedded PostgreSQL in a temporary directory, or on DATABASE_URL's server (a database is
 * made there and dropped).
 */
// First: the environment the app's modules read when they load (ESM evaluates imports in order).
import "./measure-drafts-env";
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { startEmbeddedPostgres } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { systemActor } from "../lib/access/actors";
import { createAccloudClient } from "../lib/accloud/client";
import { refreshReferenceData } from "../lib/accloud/reference-data";
import { startSandbox } from "../lib/accloud/sandbox/server";
import { draftApproval } from "../lib/approval/draft-view";
import { createUser } from "../lib/auth/users";
import { closeDb, getDb } from "../lib/db";
import { seedDemoData } from "../lib/demo/seed";
import { resetEnvCache } from "../lib/env";
import { stopSenderBosses } from "../lib/jobs/queue";
import { createTestDatabase, dropTestDatabase } from "../test/support/database";
import { COMPARED, LEARNED, generateHistory, keptShare, replayHistory } from "../test/support/draft-history";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const COUNT = Number(arg("count") ?? 1000);
const SEED = Number(arg("seed") ?? 22);

type Replay = Awaited<ReturnType<typeof replayHistory>>;

const tmp = mkdtempSync(path.join(os.tmpdir(), "csi-measure-drafts-"));
chmodSync(tmp, 0o755);
const serverUrl = process.env.DATABASE_URL;
const cluster = serverUrl
  ? null
  : await startEmbeddedPostgres({ dataRoot: tmp, database: "measure", preferredPort: 0 });
const adminUrl = serverUrl ?? cluster!.url;

/** A fresh migrated database with ACCloud's reference data from a sandbox of its own; `run` gets it. */
async function inFreshDatabase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const database = `${name}_${randomBytes(4).toString("hex")}`;
  const { url } = await createTestDatabase(adminUrl, database);
  await runMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.JOB_QUEUE_SCHEMA = `pgboss_${randomBytes(5).toString("hex")}`;
  resetEnvCache();
  const keys = { apiKey: "measure", apiSecret: randomBytes(12).toString("hex"), controlKey: "measure-control" };
  const sandbox = await startSandbox({ databaseUrl: url, port: 0, schema: "sbx_measure", ...keys });
  try {
    const client = createAccloudClient({
      baseUrl: sandbox.url,
      apiKey: keys.apiKey,
      apiSecret: keys.apiSecret,
      timeoutMs: 10_000,
    });
    await refreshReferenceData({ db: getDb(), client });
    return await run();
  } finally {
    await sandbox.close();
    await stopSenderBosses();
    await closeDb();
    await dropTestDatabase(adminUrl, database);
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : "—");

function printReplay(title: string, r: Replay) {
  console.log(
    `\n${title}: ${r.drafts} approvals replayed, ${r.complete} drafts complete (${pct(r.complete, r.drafts)})`,
  );
  console.log(`${"field".padEnd(20)} ${"suggested".padStart(10)} ${"kept".padStart(8)} ${"kept share".padStart(11)}`);
  for (const f of COMPARED) {
    const x = r.fields[f];
    const learned = LEARNED.includes(f) ? "" : "  (read from the form)";
    console.log(
      `${f.padEnd(20)} ${String(x.suggested).padStart(10)} ${String(x.kept).padStart(8)} ${pct(x.kept, x.suggested).padStart(11)}${learned}`,
    );
  }
}

async function main() {
  // 1. The demo data.
  const demo = await inFreshDatabase("measure_demo", async () => {
    const db = getDb();
    const seeded = await seedDemoData(db, { password: randomUUID() });
    const open = (
      await db.execute<{ id: string }>(
        sql`select id from referral_requests where status in ('new', 'in_review') order by sla_due_at, id`,
      )
    ).rows;
    let complete = 0;
    const why = new Map<string, number>();
    for (const { id } of open) {
      const d = (await draftApproval(db, id))!.draft;
      if (d.complete) complete++;
      for (const w of [
        ...d.missing,
        ...d.invalid.map((i) => `${i.field}: ${i.message}`),
        ...(d.duplicates.length ? ["a possible duplicate"] : []),
        ...(d.disagreements.length ? ["the order disagrees"] : []),
      ])
        why.set(w, (why.get(w) ?? 0) + 1);
    }
    console.log(
      `Demo data: ${seeded.referrals} referrals, ${seeded.approved} earlier decisions approved; ${open.length} open`,
    );
    console.log(`  open referrals drafted complete: ${complete} of ${open.length} (${pct(complete, open.length)})`);
    for (const [w, n] of why) console.log(`  not complete: ${w} (${n})`);
    return { complete, open: open.length, replay: await replayHistory(db) };
  });
  printReplay("Demo data, its earlier decisions", demo.replay);

  // 2. A generated year of approvals.
  const generated = await inFreshDatabase("measure_generated", async () => {
    const db = getDb();
    const email = `reviewer-${randomUUID().slice(0, 8)}@measure.local`;
    const { id } = await createUser(db, {
      email,
      name: "Measure Reviewer",
      role: "reviewer",
      actor: systemActor("measure"),
    });
    const reviewer = {
      type: "user" as const,
      id,
      email,
      name: "Measure Reviewer",
      role: "reviewer" as const,
      sessionId: "",
    };
    process.stdout.write(`\nGenerating ${COUNT} approvals (seed ${SEED})…`);
    const made = await generateHistory(db, reviewer, {
      count: COUNT,
      seed: SEED,
      onProgress: (n) => n % 100 === 0 && process.stdout.write(` ${n}`),
    });
    console.log(` done in ${made.seconds.toFixed(0)} s`);
    const started = Date.now();
    const replay = await replayHistory(db);
    console.log(
      `Replayed in ${((Date.now() - started) / 1000).toFixed(0)} s (${((Date.now() - started) / replay.drafts).toFixed(0)} ms a draft)`,
    );
    return replay;
  });
  printReplay(`Generated history (${COUNT} approvals, seed ${SEED})`, generated);

  console.log("");
  console.log(`RESULT draft-complete-share ${(generated.complete / generated.drafts).toFixed(3)}`);
  console.log(`RESULT draft-kept-share ${keptShare(generated, LEARNED).toFixed(3)}`);
  console.log(`RESULT draft-kept-share-all-values ${keptShare(generated, COMPARED).toFixed(3)}`);
  console.log(`RESULT draft-demo-open-complete-share ${(demo.open ? demo.complete / demo.open : 0).toFixed(3)}`);
  console.log(
    `RESULT draft-demo-complete-share ${(demo.replay.drafts ? demo.replay.complete / demo.replay.drafts : 0).toFixed(3)}`,
  );
  console.log(`RESULT draft-demo-kept-share ${keptShare(demo.replay, LEARNED).toFixed(3)}`);
}

try {
  await main();
} finally {
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
