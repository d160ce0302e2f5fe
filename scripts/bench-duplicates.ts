/**
 * The possible-duplicates check (lib/workflow/duplicates.ts checkDuplicates: the request's row,
 * the index-backed candidate set, the names and services compared, the pairs stored when they
 * changed) at a million referral requests: BENCH_CHECKS requests picked at random, checked one
 * after another on one connection as the intake does after each delivery, after a warm-up of as
 * many others. The requests are bench:queue's generated ones (scripts/bench-queue-data.ts: 40
 * agencies, a birthday shared by about 40 requests, a few of them over overlapping dates),
 * generated once into .data/bench-duplicates and reused by later runs.
 *   BENCH_ROWS=1000000 BENCH_CHECKS=2000 npm run bench:duplicates
 * Prints the mean, p50 and p99 per check, and `RESULT duplicates-check-ms-at-1m <mean> ≤5`.
 */
import { randomInt } from "node:crypto";
import pg from "pg";
import { generateQueueReferrals } from "./bench-queue-data";
import { loadAverage, printResults, result } from "./bench-figures";
import { benchDataDir } from "./bench-lib";
import { setInProcessEnv } from "./in-process-env";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CHECKS = Number(process.env.BENCH_CHECKS ?? 2000);
setInProcessEnv("bench");
delete process.env.DATABASE_URL;

const { startEmbeddedPostgres } = await import("../db/embedded");
const { runMigrations } = await import("../db/migrate");
const pgdb = await startEmbeddedPostgres({
  dataRoot: benchDataDir("bench-duplicates"),
  database: "bench",
  preferredPort: 0,
});
// The app's code reads DATABASE_URL (lib/env.ts): set before it is imported.
process.env.DATABASE_URL = pgdb.url;

try {
  await runMigrations(pgdb.url);
  const { getDb, closeDb } = await import("../lib/db");
  const { checkDuplicates } = await import("../lib/workflow/duplicates");
  const client = new pg.Client({ connectionString: pgdb.url });
  await client.connect();
  try {
    console.log(`load average at start: ${loadAverage()}`);
    const have = Number(
      (
        await client.query<{ n: string }>(
          "select count(*)::text as n from referral_requests where request_id like 'bench-%'",
        )
      ).rows[0]!.n,
    );
    if (have >= ROWS) console.log(`  ${have.toLocaleString("en-US")} generated requests (reused)`);
    else {
      await client.query("delete from referral_requests where request_id like 'bench-%'");
      const user = await client.query<{ id: string }>(
        `insert into users (email, name, role) values ('bench-reviewer@bench.test', 'Bench Reviewer', 'reviewer')
         on conflict (email) do update set name = excluded.name returning id`,
      );
      await generateQueueReferrals(client, { rows: ROWS, reviewerId: user.rows[0]!.id });
    }

    /** The ids of `n` generated requests picked at random (a request may come twice). */
    const pick = async (n: number) =>
      (
        await client.query<{ id: string }>("select id from referral_requests where request_id = any($1::text[])", [
          Array.from({ length: n }, () => `bench-${randomInt(1, ROWS + 1)}`),
        ])
      ).rows.map((r) => r.id);

    const db = getDb();
    for (const id of await pick(CHECKS)) await checkDuplicates(db, id);
    const ids = await pick(CHECKS);
    const times: number[] = [];
    let found = 0;
    // For scale, in the same run: one round trip that reads the same request by its primary key.
    let baseline = 0;
    for (const id of ids) {
      let t = performance.now();
      await client.query("select * from referral_requests where id = $1", [id]);
      baseline += performance.now() - t;
      t = performance.now();
      found += (await checkDuplicates(db, id)).length ? 1 : 0;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((s, x) => s + x, 0) / times.length;
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    console.log(
      `\n${times.length} checks at ${ROWS.toLocaleString("en-US")} requests: mean ${mean.toFixed(2)} ms, p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms; ${found} with a possible duplicate`,
    );
    console.log(
      `a primary-key read of the same request (one round trip): mean ${(baseline / ids.length).toFixed(2)} ms`,
    );
    console.log(`load average at end: ${loadAverage()}`);
    result("duplicates-check-ms-at-1m", mean, "≤5");
    printResults();
  } finally {
    await client.end();
    await closeDb();
  }
} finally {
  await pgdb.stop();
}
