/**
 * `npm run bench:queue` (a benchmark, not a test), on the benches' BENCH_BASELINE=1 build:
 * the review queue over 1,000,000 referral requests against its ceiling, /queue/bench-baseline:
 * the same signed-in shell (proxy, session and scope check, layouts) rendering a bare table of
 * the same 50 rows from the same keyset query (listQueue) for the same URL parameters.
 * Alternating rounds (BENCH_ROUNDS, default 3, BENCH_SECONDS each, 10 connections), unfiltered
 * and filtered; then one connection at a time: the queue and a referral's page, and the queue
 * on a second app holding 10,000 requests against the one holding 1,000,000 (growth). The
 * first-load JS of /queue and the referral page from .next-bench/diagnostics/route-bundle-stats.json.
 * The million rows are generated once into .data/bench-queue and reused by later runs.
 *   BENCH_SECONDS=10 BENCH_ROWS=1000000 npm run bench:queue [-- --no-build]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { generateQueueReferrals } from "./bench-queue-data";
import { cannon, loadAverage, medianFigures, printTable, result, warmUpSeconds, type Figures } from "./bench-figures";
import { BENCH_DIST_DIR, benchDataDir, DURATION, ROUNDS, runBench, signIn, startApp, type BenchApp } from "./bench-lib";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SMALL_ROWS = 10_000;
const CONNECTIONS = 10;
const PASSWORD = "bench-password-0123";

/** First-load JS of a route, gzip KB (Next 16 lists the chunks; gzip is measured here as a browser receives them). */
function firstLoadKb(route: string): number {
  const stats = JSON.parse(
    readFileSync(path.join(BENCH_DIST_DIR, "diagnostics", "route-bundle-stats.json"), "utf8"),
  ) as Array<{
    route: string;
    firstLoadUncompressedJsBytes: number;
    firstLoadChunkPaths: string[];
  }>;
  const s = stats.find((x) => x.route === route);
  if (!s) throw new Error(`${route} is not in route-bundle-stats.json`);
  const gz = s.firstLoadChunkPaths.reduce((sum, p) => sum + gzipSync(readFileSync(p)).length, 0);
  console.log(
    `  ${route.padEnd(18)} ${(s.firstLoadUncompressedJsBytes / 1024).toFixed(0)} KB uncompressed, ${(gz / 1024).toFixed(0)} KB gzip`,
  );
  return gz / 1024;
}

type Target = { app: BenchApp; cookie: string; filtered: string; detail: string };

/** An app on its own data dir holding `rows` generated requests (generated when it holds fewer) and the demo data. */
async function open(port: number, dataDir: string, rows: number, keepData: boolean): Promise<Target> {
  const app = await startApp({
    port,
    dataDir,
    keepData,
    // Sessions would lapse during the data generation and the runs otherwise.
    extraEnv: { SEED_DEMO_DATA: "true", DEMO_PASSWORD: PASSWORD, WORKER_ENABLED: "false", SESSION_IDLE_MINUTES: "600" },
  });
  const client = new pg.Client({ connectionString: app.ownerUrl });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const have = Number(
      (
        await client.query<{ n: string }>(
          "select count(*)::text as n from referral_requests where request_id like 'bench-%'",
        )
      ).rows[0]!.n,
    );
    if (have >= rows) console.log(`  ${dataDir}: ${have.toLocaleString("en-US")} generated requests (reused)`);
    else {
      await client.query("delete from referral_requests where request_id like 'bench-%'");
      const reviewer = await client.query<{ id: string }>("select id from users where email = 'reviewer@demo.test'");
      await generateQueueReferrals(client, { rows, reviewerId: reviewer.rows[0]!.id });
    }
    const agency = await client.query<{ org_id: string }>(
      "select org_id from referral_agencies where name = 'Agency 7'",
    );
    // A demo referral (it has its submission and files): the detail page as a reviewer opens it.
    const detail = await client.query<{ id: string }>(
      "select id from referral_requests where request_id not like 'bench-%' and status = 'new' order by received_at desc limit 1",
    );
    const cookie = await signIn(app.url, "reviewer@demo.test", PASSWORD);
    return {
      app,
      cookie,
      filtered: `?agency=${agency.rows[0]!.org_id}&service=${encodeURIComponent("Skilled Nursing")}&assigned=unassigned&overdue=1`,
      detail: `/referrals/${detail.rows[0]!.id}`,
    };
  } catch (err) {
    await app.stop().catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

const run = (t: Target, name: string, pathName: string, seconds: number, connections = CONNECTIONS) =>
  cannon(name, { url: `${t.app.url}${pathName}`, connections, duration: seconds, headers: { cookie: t.cookie } });

async function check(t: Target, pathName: string, rowsExpected: boolean): Promise<void> {
  const res = await fetch(`${t.app.url}${pathName}`, { headers: { cookie: t.cookie }, redirect: "manual" });
  const html = await res.text();
  const rows = (html.match(/data-queue-row/g) ?? []).length;
  console.log(`  ${pathName.slice(0, 70).padEnd(72)} ${res.status}${rowsExpected ? `, ${rows} rows` : ""}`);
  if (res.status !== 200) throw new Error(`${pathName} answered ${res.status}`);
  if (rowsExpected && rows === 0) throw new Error(`${pathName} shows no rows`);
}

await runBench(async (apps) => {
  console.log(`load average at start: ${loadAverage()}`);
  const big = await open(3300, benchDataDir("bench-queue"), ROWS, true);
  apps.push(big.app);
  const small = await open(3310, benchDataDir("bench-queue-10k"), SMALL_ROWS, false);
  apps.push(small.app);

  console.log("Checking the pages…");
  // The filtered view (agency, service, unassigned, overdue) is measured at a million only.
  for (const [t, queries] of [
    [big, ["", big.filtered]],
    [small, [""]],
  ] as const) {
    for (const q of queries) {
      await check(t, `/queue/bench-baseline${q}`, true);
      await check(t, `/queue${q}`, true);
    }
    await check(t, t.detail, false);
  }

  console.log("Warming up…");
  const warmUp = warmUpSeconds(DURATION, 3);
  for (const p of [
    "/queue/bench-baseline",
    "/queue",
    `/queue/bench-baseline${big.filtered}`,
    `/queue${big.filtered}`,
    big.detail,
  ])
    await run(big, "warm-up", p, warmUp);
  for (const p of ["/queue", small.detail]) await run(small, "warm-up", p, warmUp);

  // Rounds alternate ceiling and queue (and their order), so the machine's drift falls on both.
  const pairs = [
    ["unfiltered", ""],
    ["filtered", big.filtered],
  ] as const;
  const runs = new Map<string, Figures[]>();
  const push = (k: string, f: Figures) => runs.set(k, [...(runs.get(k) ?? []), f]);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [k, q] of pairs) {
      const order = round % 2 ? [`ceiling ${k}`, `queue ${k}`] : [`queue ${k}`, `ceiling ${k}`];
      for (const name of order)
        push(
          name,
          await run(
            big,
            `${name} #${round}`,
            `${name.startsWith("ceiling") ? "/queue/bench-baseline" : "/queue"}${q}`,
            DURATION,
          ),
        );
    }
    console.log(`round ${round}: ${[...runs].map(([k, v]) => `${k} ${v.at(-1)!.rps.toFixed(1)}`).join(", ")} req/s`);
  }
  printTable([...runs.values()].flat());
  const med = new Map([...runs].map(([k, v]) => [k, medianFigures(k, v)]));
  console.log(
    `\nmedians of ${ROUNDS} rounds, ${CONNECTIONS} connections, ${ROWS.toLocaleString("en-US")} rows (load average ${loadAverage()}):`,
  );
  printTable([...med.values()]);

  console.log(
    "\nOne connection at a time (p50): the queue and a referral's page; the queue at 10,000 rows against 1,000,000…",
  );
  const single = new Map<string, Figures[]>();
  const one = (k: string, f: Figures) => single.set(k, [...(single.get(k) ?? []), f]);
  for (let round = 1; round <= ROUNDS; round++) {
    one("queue 1M", await run(big, `queue 1M #${round}`, "/queue", DURATION, 1));
    one("queue 10k", await run(small, `queue 10k #${round}`, "/queue", DURATION, 1));
    one("detail 1M", await run(big, `detail 1M #${round}`, big.detail, DURATION, 1));
    one("ceiling 1M", await run(big, `ceiling 1M #${round}`, "/queue/bench-baseline", DURATION, 1));
  }
  const singleMed = new Map([...single].map(([k, v]) => [k, medianFigures(k, v)]));
  printTable([...singleMed.values()]);

  console.log("\nFirst-load JS (route-bundle-stats.json; gzip measured here):");
  const queueKb = firstLoadKb("/queue");
  const detailKb = firstLoadKb("/referrals/[id]");
  const errors = [...runs.values(), ...single.values()].flat().reduce((n, r) => n + r.errors + r.non2xx, 0);
  console.log(`\nerrors and non-2xx answers in all runs: ${errors}; load average at the end: ${loadAverage()}`);
  // Time per request: ceiling req/s ÷ queue req/s.
  result("queue-ratio-unfiltered", med.get("ceiling unfiltered")!.rps / med.get("queue unfiltered")!.rps, "≤1.25");
  result("queue-ratio-filtered", med.get("ceiling filtered")!.rps / med.get("queue filtered")!.rps, "≤1.25");
  result("queue-growth-1m-vs-10k", singleMed.get("queue 1M")!.p50 / singleMed.get("queue 10k")!.p50, "≤1.1");
  result("queue-first-load-kb", Math.round(queueKb), "≤160");
  result("detail-first-load-kb", Math.round(detailKb), "≤210");
});
