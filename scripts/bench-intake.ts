/**
 * `npm run bench:intake` (a benchmark, not a test), on the benches' BENCH_BASELINE=1 build:
 *   (a) the webhook, (b) the same-work ceiling (/api/bench/same-work: the webhook's own insert
 *   chain for the same payload, without authentication, validation or file decoding) and
 *   (c) one bare insert of the body (/api/bench/baseline, for information), in BENCH_ROUNDS
 *   (default 3) alternating rounds of BENCH_SECONDS (default 10) with 50 connections, each
 *   request the reference payload under a new request_id; medians reported.
 * Then the webhook at a fixed offered rate of 100 deliveries/s (p99), and the growth: a second
 * app on a database holding 1,000,000 requests (seeded once into .data/bench-intake-1m and
 * reused by later runs), in rounds alternating with the empty one.
 *   BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_STORED=1000000 npm run bench:intake [-- --no-build]
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { cannon, loadAverage, medianFigures, printTable, result, warmUpSeconds, type Figures } from "./bench-figures";
import { benchDataDir, createApiClient, DURATION, ROUNDS, runBench, startApp, type BenchApp } from "./bench-lib";

const CONNECTIONS = 50;
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const RATE = 100;

const template = JSON.parse(
  readFileSync(path.resolve("reference/new_referral_request_payload.json"), "utf8"),
) as Record<string, unknown>;
const body = () => JSON.stringify({ ...template, request_id: randomUUID() });

type Target = { app: BenchApp; headers: Record<string, string>; owner: pg.ClientConfig };

async function prepare(app: BenchApp): Promise<Target> {
  const creds = createApiClient(app);
  const ownerConfig = { connectionString: app.ownerUrl };
  const client = new pg.Client(ownerConfig);
  await client.connect();
  await client.query(
    "create table if not exists bench_baseline (id bigserial primary key, body text not null, created_at timestamptz not null default now())",
  );
  await client.end();
  return {
    app,
    owner: ownerConfig,
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${creds.key}:${creds.secret}`).toString("base64")}`,
      // The ceiling stores under the same API client, so its rows and foreign keys are the webhook's.
      "x-bench-api-client": `${creds.id}:bench`,
    },
  };
}

/**
 * Stored requests as the webhook leaves them: the request, its submission, a file row and the
 * referral.received audit record, so every table and index the insert chain writes holds a
 * million entries. The seeded submissions and files carry a token payload and 4 bytes: a heap
 * grows by appending, it is the indexes that a million rows deepen (and 6 GB would take minutes).
 */
async function seed(owner: pg.ClientConfig, rows: number): Promise<void> {
  const client = new pg.Client(owner);
  await client.connect();
  try {
    const have = Number(
      (await client.query<{ n: string }>("select count(*)::text as n from referral_requests")).rows[0]!.n,
    );
    if (have >= rows) {
      console.log(`  ${have.toLocaleString("en-US")} requests already stored (reused)`);
      return;
    }
    const started = Date.now();
    const chunk = 100_000;
    for (let from = have + 1; from <= rows; from += chunk) {
      const to = Math.min(rows, from + chunk - 1);
      await client.query("begin");
      await client.query(
        `insert into referral_requests (request_id, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone, client_external_id,
           client_first_name, client_last_name, client_timezone, form_schema_id, form_name, service_requested, received_at, updated_at, sla_due_at)
         select 'seed-' || g, 'Agency ' || g % 40, 'https://bench.example', 1000 + g % 40, md5('agency-' || g % 40)::uuid::text, 'America/New_York', g,
           'Bench', 'Client ' || g % 997, 'America/New_York', '89a3b8ba-0009-464b-a2a0-06c49cbcd745', 'CSI New Referral Request', 'PT',
           now() - g * interval '7 seconds', now() - g * interval '7 seconds', now() - g * interval '7 seconds' + interval '48 hours'
         from generate_series($1::int, $2::int) g`,
        [from, to],
      );
      await client.query(
        `with s as (
           insert into referral_submissions (referral_request_id, seq, content_hash, payload, received_at)
           select r.id, 1, md5(r.request_id), $3::jsonb, r.received_at from referral_requests r
           where r.request_id in (select 'seed-' || g from generate_series($1::int, $2::int) g)
           returning id, referral_request_id),
         u as (update referral_requests r set latest_submission_id = s.id from s where r.id = s.referral_request_id),
         f as (insert into referral_files (referral_request_id, submission_id, idx, original_name, safe_name, content_type, size, sha256, data)
           select s.referral_request_id, s.id, 0, 'order.png', 'order.png', 'image/png', 4, md5(s.id::text), '\\x00000000'::bytea from s)
         insert into audit_events (actor_type, actor_id, actor_label, action, entity_type, entity_id, details)
         select 'system', 'seed', 'seed', 'referral.received', 'referral_request', s.referral_request_id::text, '{}'::jsonb from s`,
        [from, to, JSON.stringify({ seeded: true })],
      );
      await client.query("commit");
      console.log(`  ${to.toLocaleString("en-US")} stored (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    await client.query("vacuum analyze");
  } finally {
    await client.end();
  }
}

const run = (
  t: Target,
  name: string,
  pathName: string,
  seconds: number,
  opts: { connections?: number; overallRate?: number } = {},
) =>
  cannon(name, {
    url: `${t.app.url}${pathName}`,
    connections: opts.connections ?? CONNECTIONS,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    duration: seconds,
    requests: [{ method: "POST", headers: t.headers, setupRequest: (req) => ({ ...req, body: body() }) }],
  });

const emptyDir = benchDataDir("bench-intake");
const fullDir = benchDataDir("bench-intake-1m");
const WARM_UP = warmUpSeconds(DURATION);
await runBench(async (apps) => {
  const empty = await startApp({ port: 3200, dataDir: emptyDir });
  apps.push(empty);
  const e = await prepare(empty);
  console.log(`load average at start: ${loadAverage()}`);
  console.log("Warming up…");
  for (const p of ["/api/referral-requests", "/api/bench/same-work", "/api/bench/baseline"])
    await run(e, `warm-up ${p}`, p, WARM_UP);

  // Rounds alternate the three (and their order), so drift on a shared machine (a noisy
  // neighbour, a checkpoint, tables growing) falls on all; the medians are the figures.
  const kinds = [
    ["same-work ceiling", "/api/bench/same-work"],
    ["webhook", "/api/referral-requests"],
    ["bare insert", "/api/bench/baseline"],
  ] as const;
  const runs = new Map<string, Figures[]>(kinds.map(([k]) => [k, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? kinds : [...kinds].reverse();
    for (const [k, p] of order) runs.get(k)!.push(await run(e, `${k} #${round}`, p, DURATION));
    console.log(
      `round ${round}: ${kinds.map(([k]) => `${k} ${runs.get(k)!.at(-1)!.rps.toFixed(1)}`).join(", ")} req/s`,
    );
  }
  const med = new Map(kinds.map(([k]) => [k, medianFigures(k, runs.get(k)!)]));
  printTable([...runs.values()].flat());
  console.log(`\nmedians of ${ROUNDS} rounds (load average ${loadAverage()}):`);
  printTable([...med.values()]);

  // The same offered rate on the webhook and its same-work ceiling, in alternating rounds: autocannon
  // sends each second's share as a burst, and the ceiling suffers that too, so the ratio of their
  // p99s is the webhook's own tail.
  console.log(`\nThe webhook and its same-work ceiling at a fixed offered rate of ${RATE}/s (10 connections)…`);
  const atRate = { webhook: [] as Figures[], ceiling: [] as Figures[] };
  for (let round = 1; round <= ROUNDS; round++) {
    const pair = [
      ["webhook", "/api/referral-requests"],
      ["ceiling", "/api/bench/same-work"],
    ] as const;
    for (const [k, p] of round % 2 ? pair : [...pair].reverse())
      atRate[k].push(await run(e, `${k} at ${RATE}/s #${round}`, p, DURATION, { connections: 10, overallRate: RATE }));
  }
  const fixed = medianFigures(`webhook at ${RATE}/s`, atRate.webhook);
  const fixedCeiling = medianFigures(`same-work at ${RATE}/s`, atRate.ceiling);
  // The bare insert at the same rate (information): a tail all three share is the machine's.
  const fixedBare = await run(e, `bare insert at ${RATE}/s`, "/api/bench/baseline", DURATION, {
    connections: 10,
    overallRate: RATE,
  });
  printTable([fixed, fixedCeiling, fixedBare]);

  console.log(`\nGrowth: a database holding ${STORED.toLocaleString("en-US")} requests (${fullDir})…`);
  const full = await startApp({ port: 3210, dataDir: fullDir, keepData: true });
  apps.push(full);
  const f = await prepare(full);
  await seed(f.owner, STORED);
  await run(f, "warm-up (1M)", "/api/referral-requests", WARM_UP);
  await run(f, "warm-up (1M)", "/api/bench/same-work", WARM_UP);
  const growth = {
    empty: [] as Figures[],
    full: [] as Figures[],
    ceilingEmpty: [] as Figures[],
    ceilingFull: [] as Figures[],
  };
  for (let round = 1; round <= ROUNDS; round++) {
    growth.full.push(await run(f, `webhook 1M #${round}`, "/api/referral-requests", DURATION));
    growth.empty.push(await run(e, `webhook empty #${round}`, "/api/referral-requests", DURATION));
    growth.ceilingFull.push(await run(f, `same-work 1M #${round}`, "/api/bench/same-work", DURATION));
    growth.ceilingEmpty.push(await run(e, `same-work empty #${round}`, "/api/bench/same-work", DURATION));
    console.log(
      `round ${round}: webhook 1M ${growth.full.at(-1)!.rps.toFixed(1)}, empty ${growth.empty.at(-1)!.rps.toFixed(1)} req/s`,
    );
  }
  const g = {
    empty: medianFigures("webhook (started empty)", growth.empty),
    full: medianFigures(`webhook (${STORED / 1e6}M stored)`, growth.full),
    ceilingEmpty: medianFigures("same-work (started empty)", growth.ceilingEmpty),
    ceilingFull: medianFigures(`same-work (${STORED / 1e6}M stored)`, growth.ceilingFull),
  };
  printTable(Object.values(g));

  const webhook = med.get("webhook")!;
  const ceiling = med.get("same-work ceiling")!;
  const bare = med.get("bare insert")!;
  const errors = [...runs.get("webhook")!, fixed, ...growth.empty, ...growth.full].reduce(
    (n, r) => n + r.errors + r.non2xx,
    0,
  );
  const ceilingErrors = [...runs.get("same-work ceiling")!, ...growth.ceilingEmpty, ...growth.ceilingFull].reduce(
    (n, r) => n + r.errors + r.non2xx,
    0,
  );
  console.log("");
  console.log(
    `per round, webhook/same-work: ${runs
      .get("webhook")!
      .map((w, i) => (w.rps / runs.get("same-work ceiling")![i]!.rps).toFixed(2))
      .join(", ")}`,
  );
  console.log(
    `webhook/bare insert (information): ${(webhook.rps / bare.rps).toFixed(2)}; same-work ceiling errors ${ceilingErrors}`,
  );
  console.log(
    `same-work ceiling at ${STORED / 1e6}M/empty (information): ${(g.ceilingFull.rps / g.ceilingEmpty.rps).toFixed(2)}`,
  );
  console.log(`load average at the end: ${loadAverage()}`);
  result("intake-ratio-same-work", webhook.rps / ceiling.rps, "≥0.85");
  console.log(`p99 at ${RATE}/s: webhook ${fixed.p99} ms, same-work ceiling ${fixedCeiling.p99} ms (medians)`);
  result("intake-p99-ratio-same-work", fixed.p99 / Math.max(fixedCeiling.p99, 1), "≤1.25");
  result("intake-growth-1m", g.full.rps / g.empty.rps, "≥0.9");
  result("intake-errors", errors, "0");
});
