/**
 * `npm run bench:web` (a benchmark, not a test): what a reviewer's browser feels, on the
 * benches' BENCH_BASELINE=1 build and the million-row data of bench:queue (its generator, with
 * decisions for the dashboard, and bench:supervisors' audit events), in .data/bench-web
 * (generated once, reused while BENCH_ROWS and BENCH_EVENTS stay the same).
 *
 *  - Lighthouse 12 (desktop preset, Debian's Chromium) on the signed-in pages: the queue, the
 *    queue filtered (agency + service + unassigned + overdue), a referral (delivered through the
 *    webhook with a 20-page order), the audit trail and the dashboard (as a supervisor), and the
 *    bare signed-in shell (/preferences: the ceiling). At 1× and 4× CPU (Lighthouse's simulated
 *    throttling), BENCH_RUNS (default 3) runs each, pages and throttling alternating, medians.
 *    The browser is signed in (the session cookie in its profile; Lighthouse's storage reset is
 *    off, so it keeps it) and its HTTP cache is emptied before each run (cold loads).
 *  - Interaction to next paint at 4× CPU (DevTools' CPU throttling, the Event Timing API), on a
 *    referral of its own per run: claim, open the editor (its shortcut "e"), choose a funder (the
 *    keyboard on the select), approve; and flip a page of its order (read by the worker before the pass).
 *  - BENCH_TRACE_DIR=dir: a Chrome trace of each page's load at 4× CPU (Lighthouse with DevTools
 *    throttling, V8's CPU profile included), to open in Chrome DevTools' Performance panel:
 *    which chunks evaluate, the long tasks. With BENCH_REACT_PROFILE=1 the build is React's
 *    profiling build (`next build --profile`), whose Components track shows which components
 *    hydrate (its figures are not comparable with a normal build's).
 *
 * The data set-up is in bench-web-data.ts, the browser and Lighthouse in bench-web-browser.ts, the
 * interactions in bench-web-inp.ts; this file is the run.
 *
 *   BENCH_ROWS=1000000 BENCH_EVENTS=1000000 BENCH_RUNS=3 [BENCH_PAGES=queue,shell] [BENCH_TRACE_DIR=dir] npm run bench:web [-- --no-build]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { loadAverage, printResults, result } from "./bench-figures";
import { CHROMIUM } from "./chromium";
import { benchDataDir, buildApp, createApiClient, signIn, startApp, type BenchApp } from "./bench-lib";
import { becomeUser, launchBrowser, median, runLighthouse, type Figures } from "./bench-web-browser";
import { check, deliver, generate, generatedFor, type WebPage, type Who } from "./bench-web-data";
import { measureInteractions } from "./bench-web-inp";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? ROWS);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TRACE_DIR = process.env.BENCH_TRACE_DIR ? path.resolve(process.env.BENCH_TRACE_DIR) : null;
const PORT = 3330;
const PASSWORD = "bench-password-0123";
/** Pages of the order the benched referral carries (the document reader's default read limit). */
const ORDER_PAGES = 20;
const dataDir = benchDataDir("bench-web");

// ---------------------------------------------------------------------------------------------
// The run

buildApp();
const generated = generatedFor(dataDir);
const keep = generated?.rows === ROWS && generated.events === EVENTS;
if (generated && !keep)
  console.log(`${dataDir} holds ${generated.rows} requests and ${generated.events} events: generating it anew`);
let app: BenchApp | null = null;
let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;
try {
  console.log(`load average at start: ${loadAverage()}`);
  app = await startApp({
    port: PORT,
    dataDir,
    keepData: keep,
    // Sessions would lapse during the data generation and the runs otherwise. The worker reads the
    // orders (the referral page shows its order) and is idle before anything is measured.
    extraEnv: { SEED_DEMO_DATA: "true", DEMO_PASSWORD: PASSWORD, SESSION_IDLE_MINUTES: "600" },
  });
  if (keep)
    console.log(
      `  ${dataDir}: ${ROWS.toLocaleString("en-US")} generated requests, ${EVENTS.toLocaleString("en-US")} audit events (reused)`,
    );
  else await generate(app, dataDir, { rows: ROWS, events: EVENTS });

  // The referral benched and one per run of the interactions, each a new request with the 20-page order.
  const creds = createApiClient(app, "bench-web");
  const auth = `Basic ${Buffer.from(`${creds.key}:${creds.secret}`).toString("base64")}`;
  const benched = await deliver(app, auth, ORDER_PAGES);
  const fresh: string[] = [];
  for (let i = 0; i < RUNS; i++) fresh.push(await deliver(app, auth, ORDER_PAGES));
  console.log(
    `Delivered ${RUNS + 1} referral requests with a ${ORDER_PAGES}-page order (the benched one: /referrals/${benched})`,
  );

  const owner = new pg.Client({ connectionString: app.ownerUrl });
  await owner.connect();
  // Nothing measured while the worker reads the orders or sends the demo's pushes.
  const idleBy = Date.now() + 600_000;
  for (;;) {
    const busy = (
      await owner.query<{ n: number }>(
        "select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now()",
      )
    ).rows[0]!.n;
    if (!busy) break;
    if (Date.now() > idleBy) throw new Error(`the worker still has ${busy} jobs after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.log("The worker is idle: the orders are read.");
  const agency = (await owner.query<{ org_id: string }>("select org_id from referral_agencies where name = 'Agency 7'"))
    .rows[0]?.org_id;
  await owner.end();
  if (!agency) throw new Error("the generated agencies are missing");
  const all: WebPage[] = [
    { key: "queue", path: "/queue", who: "reviewer" },
    {
      key: "queue-filtered",
      path: `/queue?agency=${agency}&service=${encodeURIComponent("Skilled Nursing")}&assigned=unassigned&overdue=1`,
      who: "reviewer",
    },
    { key: "referral", path: `/referrals/${benched}`, who: "reviewer" },
    { key: "audit", path: "/audit", who: "supervisor" },
    { key: "dashboard", path: "/dashboard", who: "supervisor" },
    { key: "shell", path: "/preferences", who: "reviewer" },
  ];
  const only = process.env.BENCH_PAGES?.split(",").map((k) => k.trim());
  const pages = only ? all.filter((p) => only.includes(p.key)) : all;
  if (only && pages.length !== only.length)
    throw new Error(`BENCH_PAGES: pages are ${all.map((p) => p.key).join(", ")}`);

  const cookies: Record<Who, string> = {
    reviewer: await signIn(app.url, "reviewer@demo.test", PASSWORD),
    supervisor: await signIn(app.url, "supervisor@demo.test", PASSWORD),
  };
  console.log("Checking the pages…");
  for (const p of pages) await check(app, p, cookies[p.who]);

  browser = await launchBrowser();
  console.log(`Lighthouse ${RUNS}× per page at 1× and 4× CPU (desktop preset, ${CHROMIUM})…`);
  const runs = new Map<string, Figures[]>();
  for (let run = 1; run <= RUNS; run++) {
    for (const cpu of run % 2 ? [1, 4] : [4, 1]) {
      for (const p of run % 2 ? pages : [...pages].reverse()) {
        await becomeUser(browser.context, app.url, cookies[p.who]);
        const { figures } = await runLighthouse(browser.port, `${app.url}${p.path}`, cpu);
        runs.set(`${p.key}@${cpu}`, [...(runs.get(`${p.key}@${cpu}`) ?? []), figures]);
        console.log(
          `  #${run} ${p.key.padEnd(16)} ${cpu}× score ${figures.score.toFixed(2)}  TBT ${figures.tbt.toFixed(0)} ms  LCP ${figures.lcp.toFixed(0)} ms  CLS ${figures.cls.toFixed(3)}${figures.a11y === null ? "" : `  a11y ${figures.a11y.toFixed(2)}`}`,
        );
      }
    }
  }

  console.log(`Interaction to next paint at 4× CPU, ${RUNS} referral(s)…`);
  await becomeUser(browser.context, app.url, cookies.reviewer);
  const inp = new Map<string, number[]>();
  for (const id of fresh) {
    const r = await measureInteractions(browser.context, app.url, id);
    for (const [k, v] of Object.entries(r)) inp.set(k, [...(inp.get(k) ?? []), v]);
    console.log(
      `  ${Object.entries(r)
        .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
        .join(", ")}`,
    );
  }
  if (!inp.has("flip-page"))
    console.log("  (flip an order page: skipped, the referral shows no order of more than one page)");

  if (TRACE_DIR) {
    mkdirSync(TRACE_DIR, { recursive: true });
    console.log(`Chrome traces of each page's load at 4× CPU into ${TRACE_DIR}…`);
    for (const p of pages) {
      await becomeUser(browser.context, app.url, cookies[p.who]);
      const { traceEvents } = await runLighthouse(browser.port, `${app.url}${p.path}`, 4, true);
      if (!traceEvents) throw new Error("Lighthouse kept no trace");
      const file = path.join(TRACE_DIR, `web-${p.key}-4x.trace.json`);
      writeFileSync(file, JSON.stringify({ traceEvents }));
      console.log(`  ${file}`);
    }
  }

  console.log(`\nmedians of ${RUNS} run(s) (load average ${loadAverage()})`);
  for (const p of pages) {
    const one = runs.get(`${p.key}@1`)!;
    const four = runs.get(`${p.key}@4`)!;
    const m = (xs: Figures[], f: (x: Figures) => number) => median(xs.map(f));
    result(
      `web-${p.key}-score`,
      m(one, (x) => x.score),
      "≥0.98",
    );
    result(`web-${p.key}-tbt-ms`, Math.round(m(one, (x) => x.tbt)), "≤50");
    result(`web-${p.key}-lcp-ms`, Math.round(m(one, (x) => x.lcp)), "≤1000");
    result(
      `web-${p.key}-cls`,
      m(one, (x) => x.cls),
      "≤0.02",
      3,
    );
    result(
      `web-${p.key}-a11y`,
      m(one, (x) => x.a11y ?? NaN),
      "1",
    );
    result(
      `web-${p.key}-score-4x`,
      m(four, (x) => x.score),
      "≥0.90",
    );
    result(`web-${p.key}-tbt-4x-ms`, Math.round(m(four, (x) => x.tbt)), "≤400");
  }
  for (const [k, v] of inp) result(`web-inp-${k}-ms`, Math.round(median(v)), "≤100");
} catch (err) {
  console.error(`bench failed: ${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await browser?.close().catch((err: Error) => console.error(`closing the browser: ${err.message}`));
  await app?.stop().catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
printResults();
