/**
 * `npm run bench:supervisors` (a benchmark, not a test): the turnaround dashboard over 1,000,000
 * referral requests and the audit trail over 1,000,000 events, on a production build (own
 * DATA_DIR; the benches' BENCH_BASELINE=1 build in .next-bench), each page requested one at a time by a signed-in supervisor for
 * BENCH_SECONDS, beside the bare keyset baseline page of bench:queue. Prints latency (p50, p99)
 * and req/s per page; the target is under a second for the dashboard at a million requests
 * (`supervisors-dashboard-p50-ms`, `-p99-ms`), and no errors on any page (`supervisors-errors`).
 *   BENCH_SECONDS=10 BENCH_ROWS=1000000 BENCH_EVENTS=1000000 npm run bench:supervisors [-- --no-build]
 */
import pg from "pg";
import { cannon, printTable, result, warmUpSeconds, type Figures } from "./bench-figures";
import { benchDataDir, DURATION, runBench, signIn, startApp } from "./bench-lib";
import { generateAuditEvents, generateReferrals } from "./bench-supervisors-data";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PASSWORD = "bench-password-0123";
const dataDir = benchDataDir("bench-supervisors");

await runBench(async (apps) => {
  const app = await startApp({
    port: 3320,
    dataDir,
    // Sessions would lapse during the data generation and the runs otherwise.
    extraEnv: { SEED_DEMO_DATA: "true", DEMO_PASSWORD: PASSWORD, WORKER_ENABLED: "false", SESSION_IDLE_MINUTES: "600" },
  });
  apps.push(app);
  const client = new pg.Client({ connectionString: app.ownerUrl });
  client.on("error", () => undefined);
  await client.connect();
  const users = (await client.query<{ id: string; email: string }>("select id::text, email from users order by email"))
    .rows;
  const reviewer = users.find((u) => u.email === "reviewer@demo.test")!;
  let t = Date.now();
  console.log(`Generating ${ROWS.toLocaleString("en-US")} referral requests…`);
  await generateReferrals(client, ROWS, reviewer.id);
  console.log(
    `  ${((Date.now() - t) / 1000).toFixed(0)} s; generating ${EVENTS.toLocaleString("en-US")} audit events…`,
  );
  t = Date.now();
  await generateAuditEvents(client, EVENTS, ROWS, users);
  console.log(`  ${((Date.now() - t) / 1000).toFixed(0)} s`);
  const counts = await client.query<{ requests: string; events: string; deltas: string }>(
    "select (select count(*) from referral_requests)::text as requests, (select count(*) from audit_events)::text as events, (select count(*) from turnaround_deltas)::text as deltas",
  );
  console.log(
    `  ${counts.rows[0]!.requests} requests, ${counts.rows[0]!.events} audit events, ${counts.rows[0]!.deltas} turnaround delta rows`,
  );
  await client.query("select turnaround_compact()");
  const folded = await client.query<{ n: string }>("select count(*)::text as n from turnaround_deltas");
  console.log(`  turnaround aggregates folded to ${folded.rows[0]!.n} rows`);
  const agency = (
    await client.query<{ org_id: string }>("select org_id from referral_agencies where name = 'Agency 7'")
  ).rows[0]!.org_id;
  const someReferral = (
    await client.query<{ entity_id: string }>(
      "select entity_id from audit_events where entity_type = 'referral_request' and agency_org_id = $1 order by id desc limit 1",
      [agency],
    )
  ).rows[0]!.entity_id;
  await client.end();

  const cookie = await signIn(app.url, "supervisor@demo.test", PASSWORD);
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
  const pages: Array<[string, string, boolean]> = [
    ["baseline (50 rows keyset)", "/bench/queue-baseline", false],
    ["dashboard, 12 weeks (all 1M requests)", "/dashboard", true],
    ["dashboard, 52 weeks, one agency", `/dashboard?weeks=52&agency=${agency}`, true],
    ["audit, unfiltered", "/audit", true],
    [
      "audit, user + group + 3 weeks",
      `/audit?user=reviewer%40demo.test&action=views&from=${day(30)}&to=${day(10)}`,
      true,
    ],
    ["audit, agency + decisions", `/audit?agency=${agency}&action=decisions`, true],
    ["audit, one referral (who saw it)", `/audit?referral=${someReferral}`, true],
  ];
  console.log("Checking the pages…");
  for (const [, p, auth] of pages) {
    const res = await fetch(`${app.url}${p}`, { headers: auth ? { cookie } : {}, redirect: "manual" });
    const html = await res.text();
    console.log(`  ${p.slice(0, 80).padEnd(82)} ${res.status} ${(html.length / 1024).toFixed(0)} KB`);
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
  }
  console.log("Warming up…");
  for (const [, p, auth] of pages)
    await cannon("warm-up", {
      url: `${app.url}${p}`,
      connections: 1,
      duration: warmUpSeconds(DURATION, 2),
      headers: auth ? { cookie } : {},
    });
  const results: Figures[] = [];
  for (const [name, p, auth] of pages)
    results.push(
      await cannon(name, {
        url: `${app.url}${p}`,
        connections: 1,
        duration: DURATION,
        headers: auth ? { cookie } : {},
      }),
    );
  printTable(results);
  const dash = results[1]!;
  console.log("");
  console.log(
    `dashboard at ${ROWS.toLocaleString("en-US")} requests: p50 ${dash.p50} ms, p99 ${dash.p99} ms (target under 1,000 ms)`,
  );
  result("supervisors-dashboard-p50-ms", dash.p50, "≤1000");
  result("supervisors-dashboard-p99-ms", dash.p99, "≤1000");
  result(
    "supervisors-errors",
    results.reduce((n, r) => n + r.errors + r.non2xx, 0),
    "0",
  );
});
