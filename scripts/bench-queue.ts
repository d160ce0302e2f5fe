/**
 * `npm run bench:queue` (a benchmark, not a test): the review queue over 1,000,000 referral
 * requests against a baseline page that reads 50 rows by keyset and renders them bare, in the
 * same run on the same production build (own DATA_DIR and NEXT_DIST_DIR).
 * Prints req/s and latency of each, the ratio (target ≤ 1.2×), and the first-load JS of the
 * queue and detail pages from .next…/diagnostics/route-bundle-stats.json.
 *   BENCH_SECONDS=10 BENCH_ROWS=1000000 npm run bench:queue [-- --no-build]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { buildApp, cannon, printTable, startApp, type Figures } from "./bench-lib";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CONNECTIONS = 10;
const PASSWORD = "bench-password-0123";
const distDir = ".next-bench-queue";
const dataDir = path.resolve(".data/bench-queue");
const baseEnv = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" };
if (!process.argv.includes("--no-build")) buildApp(baseEnv);
process.env.NEXT_DIST_DIR = distDir;

const SERVICES = ["PT", "OT", "Skilled Nursing", "Infusion Nursing", "Home Health Aide"];

async function generate(client: pg.Client, reviewerId: string): Promise<void> {
  const started = Date.now();
  console.log(`Generating ${ROWS.toLocaleString("en-US")} referral requests (INSERT … SELECT generate_series)…`);
  await client.query("select setseed(0.42)");
  // 40 agencies, 5 services, every status, received over the last ~80 days, some claimed.
  await client.query(
    `insert into referral_requests (request_id, status, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
       client_external_id, client_first_name, client_last_name, client_birthday, client_timezone, form_schema_id, form_name,
       service_requested, service_start, service_end, received_at, updated_at, sla_due_at, sla_paused_at,
       assignee_id, assigned_by_id, claimed_at)
     select 'bench-' || g, s.status, 'Agency ' || a, 'https://bench.example', 1000 + a, md5('agency-' || a)::uuid::text, 'America/New_York',
       g, (array['Maria','James','Linda','Robert','Patricia','Michael','Barbara','David','Susan','Joseph','Karen','Thomas','Nancy','Daniel','Lisa','Paul','Betty','Mark','Sandra','George'])[1 + (r3 * 20)::int % 20],
       (array['Garcia','Johnson','Nguyen','Williams','Brown','Okafor','Miller','Davis','Lopez','Wilson','Anderson','Patel','Moore','Jackson','Martin','Lee','Thompson','White','Harris','Clark'])[1 + (r4 * 20)::int % 20] || ' ' || (g % 997),
       date '1930-01-01' + (g % 25000), 'America/New_York', '89a3b8ba-0009-464b-a2a0-06c49cbcd745', 'CSI New Referral Request',
       ($2::text[])[1 + (r2 * 5)::int % 5], date '2026-01-01' + (g % 300), date '2026-02-01' + (g % 300),
       now() - g * interval '7 seconds', now() - g * interval '7 seconds', now() - g * interval '7 seconds' + interval '48 hours',
       case when s.status = 'pending_info' then now() - g * interval '7 seconds' + interval '1 hour' end,
       case when s.status = 'in_review' and g % 3 = 0 then $1::uuid end,
       case when s.status = 'in_review' and g % 3 = 0 then $1::uuid end,
       case when s.status = 'in_review' and g % 3 = 0 then now() end
     from (select g, random() as r1, random() as r2, random() as r3, random() as r4, (random() * 40)::int % 40 as a from generate_series(1, $3::int) g) x
     cross join lateral (select (array['new','new','new','in_review','pending_info','approved','pushing','sent','sent','sent','push_failed','rejected','cancelled'])[1 + (x.r1 * 13)::int % 13]::referral_status as status) s`,
    [reviewerId, SERVICES, ROWS],
  );
  await client.query("analyze referral_requests");
  const counts = await client.query<{ n: string }>("select sum(n)::text as n from referral_status_counts");
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s; trigger-kept total: ${counts.rows[0]?.n}`);
}

async function signIn(url: string, email: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const jar = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: "/queue" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session.split(";")[0]!;
}

function firstLoadJs(): void {
  const stats = JSON.parse(readFileSync(path.join(distDir, "diagnostics", "route-bundle-stats.json"), "utf8")) as Array<{
    route: string;
    firstLoadUncompressedJsBytes: number;
    firstLoadChunkPaths: string[];
  }>;
  console.log("");
  console.log("First-load JS (from route-bundle-stats.json; gzip measured here):");
  for (const route of ["/queue", "/referrals/[id]"]) {
    const s = stats.find((x) => x.route === route);
    if (!s) continue;
    const gz = s.firstLoadChunkPaths.reduce((sum, p) => sum + gzipSync(readFileSync(p)).length, 0);
    console.log(`  ${route.padEnd(18)} ${(s.firstLoadUncompressedJsBytes / 1024).toFixed(0)} KB uncompressed, ${(gz / 1024).toFixed(0)} KB gzip`);
  }
}

const app = await startApp({
  port: 3300,
  dataDir,
  extraEnv: { BENCH_BASELINE: "1", NEXT_DIST_DIR: distDir, SEED_DEMO_DATA: "true", DEMO_PASSWORD: PASSWORD, WORKER_ENABLED: "false" },
});
try {
  const owner = JSON.parse(readFileSync(path.join(dataDir, "owner.json"), "utf8")) as { port: number };
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${owner.port}/app` });
  client.on("error", () => undefined);
  await client.connect();
  const reviewer = await client.query<{ id: string }>("select id from users where email = 'reviewer@demo.test'");
  await generate(client, reviewer.rows[0]!.id);
  const agency = await client.query<{ org_id: string }>("select org_id from referral_agencies where name = 'Agency 7'");
  await client.end();

  const cookie = await signIn(app.url, "reviewer@demo.test");
  const filtered = `/queue?agency=${agency.rows[0]!.org_id}&service=${encodeURIComponent("Skilled Nursing")}&assigned=unassigned&overdue=1`;
  const run = (name: string, pathName: string, seconds: number, withCookie: boolean) =>
    cannon(name, {
      url: `${app.url}${pathName}`,
      connections: CONNECTIONS,
      duration: seconds,
      headers: withCookie ? { cookie } : {},
    });
  const check = async (pathName: string, withCookie: boolean) => {
    const res = await fetch(`${app.url}${pathName}`, { headers: withCookie ? { cookie } : {}, redirect: "manual" });
    const html = await res.text();
    const rows = (html.match(/data-queue-row/g) ?? []).length;
    console.log(`  ${pathName.slice(0, 60).padEnd(62)} ${res.status}${withCookie ? `, ${rows} rows` : ""}`);
    if (res.status !== 200) throw new Error(`${pathName} answered ${res.status}`);
  };
  console.log("Checking the pages…");
  await check("/bench/queue-baseline", false);
  await check("/queue", true);
  await check(filtered, true);

  console.log("Warming up…");
  await run("warm-up", "/bench/queue-baseline", 3, false);
  await run("warm-up", "/queue", 3, true);
  // Baseline before and after the queue runs: the machine's noise shows, and the ratio uses their mean.
  const results: Figures[] = [];
  results.push(await run("baseline (50 rows keyset)", "/bench/queue-baseline", DURATION, false));
  results.push(await run("queue unfiltered", "/queue", DURATION, true));
  results.push(await run("queue filtered", filtered, DURATION, true));
  results.push(await run("baseline again", "/bench/queue-baseline", DURATION, false));
  printTable(results);
  const [base1, plain, filt, base2] = results as [Figures, Figures, Figures, Figures];
  const base = (base1.rps + base2.rps) / 2;
  console.log("");
  console.log(`ratio queue/baseline (time per request = baseline req/s ÷ queue req/s), target ≤ 1.2×:`);
  console.log(`  unfiltered ${(base / plain.rps).toFixed(2)}×   filtered ${(base / filt.rps).toFixed(2)}×   (baseline mean ${base.toFixed(1)} req/s)`);
  firstLoadJs();
} catch (err) {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await app.stop();
}
