/**
 * `npm run bench:documents` (a benchmark, not a test), on the benches' BENCH_BASELINE=1 build,
 * through the real app (`npm start`'s process: web, worker and its reader process):
 *   (a) seconds per page of reading, text PDFs and OCR'd scans apart: generated orders
 *       (test/documents/corpus.ts) delivered through the webhook, read by the document-read job,
 *       timed by the job itself (document_readings.duration_ms), nothing else running; the
 *       verdicts against the corpus's expected ones are printed for information;
 *   (b) the webhook's rate while the reader is busy with a backlog of scans, against its rate
 *       while the reader is idle: BENCH_ROUNDS (default 3) rounds of BENCH_SECONDS (default 10)
 *       each, 50 connections, the reference payload under a new request_id; medians compared.
 *   BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_TEXT=6 BENCH_SCANS=4 BENCH_BACKLOG=8 npm run bench:documents [-- --no-build]
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { buildCase, buildLongOrder, KINDS, type CorpusCase } from "../test/documents/corpus";
import { cannon, loadAverage, medianFigures, printTable, result, warmUpSeconds, type Figures } from "./bench-figures";
import { benchDataDir, createApiClient, DURATION, ROUNDS, runBench, startApp, type BenchApp } from "./bench-lib";

const TEXT = Number(process.env.BENCH_TEXT ?? 6);
const SCANS = Number(process.env.BENCH_SCANS ?? 4);
/** Scans queued before each busy run: enough to keep the reader busy for longer than the run. */
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? Math.max(2, Math.ceil(DURATION / 4)));
const CONNECTIONS = 50;
const SCAN_KINDS = KINDS.filter((k) => k !== "text-pdf");

const template = JSON.parse(
  readFileSync(path.resolve("reference/new_referral_request_payload.json"), "utf8"),
) as Record<string, unknown>;

type Bench = { app: BenchApp; auth: string; db: pg.Client };

/** A corpus case as AlayaConnector delivers it (its files' bytes in base64), under a new request_id. */
async function deliver(b: Bench, payload: Record<string, unknown>, files: CorpusCase["files"]): Promise<string> {
  const body = JSON.stringify({
    ...payload,
    request_id: randomUUID(),
    files: files.map((f) => ({ file_name: f.name, file_value: f.bytes.toString("base64") })),
  });
  const post = () =>
    fetch(`${b.app.url}/api/referral-requests`, {
      method: "POST",
      headers: { authorization: b.auth, "content-type": "application/json" },
      body,
    });
  // A connection lost on a loaded machine is sent again, as AlayaConnector would: the same
  // request_id, so the webhook stores it once.
  let res: Response | undefined;
  for (let attempt = 1; !res; attempt++) {
    res = await post().catch((err: Error) => {
      const cause = (err.cause as { code?: string } | undefined)?.code ?? err.name;
      if (attempt >= 3) throw new Error(`the webhook could not be reached (${cause})`);
      console.log(`  delivery ${attempt} lost (${cause}): sent again`);
      return undefined;
    });
  }
  const answer = (await res.json().catch(() => null)) as { id?: string } | null;
  if (!res.ok || !answer?.id) throw new Error(`the webhook refused a bench referral: ${res.status}`);
  return answer.id;
}

/** Waits until every referral's check is done (made from its latest submission). */
async function waitDone(b: Bench, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await b.db.query<{ n: number }>(
      `select count(*)::int as n from referral_checks c join referral_requests r on r.id = c.referral_request_id
       where c.referral_request_id = any($1::uuid[]) and c.status = 'done' and c.submission_id = r.latest_submission_id`,
      [ids],
    );
    if (r.rows[0]!.n === ids.length) return;
    if (Date.now() > deadline) throw new Error(`${ids.length - r.rows[0]!.n} of ${ids.length} checks not done in time`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Document-read jobs waiting or running. */
async function readJobs(b: Bench): Promise<{ waiting: number; active: number }> {
  const r = await b.db.query<{ waiting: number; active: number }>(
    `select count(*) filter (where state in ('created', 'retry'))::int as waiting, count(*) filter (where state = 'active')::int as active
     from pgboss.job where name = 'document-read'`,
  );
  return r.rows[0]!;
}

async function waitIdle(b: Bench, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const j = await readJobs(b);
    if (!j.waiting && !j.active) return;
    if (Date.now() > deadline) throw new Error("the reader did not finish its backlog in time");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const webhook = (b: Bench, name: string, seconds: number) =>
  cannon(name, {
    url: `${b.app.url}/api/referral-requests`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        headers: { authorization: b.auth, "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...template, request_id: randomUUID() }) }),
      },
    ],
  });

/** (a): the corpus delivered, read with nothing else running; seconds per page by method, from the jobs' own timings. */
async function perPage(b: Bench): Promise<{ text: number; ocr: number }> {
  const cases: CorpusCase[] = [];
  for (let i = 0; i < TEXT; i++) cases.push(await buildCase({ kind: "text-pdf", index: i }));
  for (let i = 0; i < SCANS; i++) cases.push(await buildCase({ kind: SCAN_KINDS[i % SCAN_KINDS.length]!, index: i }));
  const long = await buildLongOrder(20);
  console.log(`\nReading ${cases.length} generated orders and a 20-page one through the webhook and the worker…`);
  const started = Date.now();
  const ids: string[] = [];
  for (const c of cases) ids.push(await deliver(b, c.payload, c.files));
  const longId = await deliver(b, long.payload, [
    { file_id: "long", name: "long_order.pdf", contentType: "application/pdf", bytes: long.pdf, isOrder: true },
  ]);
  await waitDone(b, [...ids, longId], 60_000 + cases.length * 120_000);
  console.log(`  all checked in ${((Date.now() - started) / 1000).toFixed(1)} s (load average ${loadAverage()})`);
  const rows = await b.db.query<{ method: string | null; pages: number | null; ms: number; state: string }>(
    `select method, pages, duration_ms as ms, state from document_readings where referral_request_id = any($1::uuid[]) and duration_ms > 0`,
    [[...ids, longId]],
  );
  const sum = (m: string) =>
    rows.rows
      .filter((r) => r.state === "read" && r.method === m)
      .reduce((a, r) => ({ ms: a.ms + r.ms, pages: a.pages + (r.pages ?? 0) }), { ms: 0, pages: 0 });
  const text = sum("text");
  const ocr = sum("ocr");
  console.log(
    `  text PDFs: ${text.pages} pages in ${(text.ms / 1000).toFixed(1)} s; scans: ${ocr.pages} pages in ${(ocr.ms / 1000).toFixed(1)} s`,
  );
  // For information: the stored verdicts against the corpus's expected ones.
  let fields = 0;
  let right = 0;
  for (const [i, c] of cases.entries()) {
    const r = await b.db.query<{ checks: Array<{ field: keyof CorpusCase["expected"]; verdict: string }> }>(
      "select checks from referral_checks where referral_request_id = $1",
      [ids[i]],
    );
    for (const check of r.rows[0]?.checks ?? []) {
      fields++;
      if (check.verdict === c.expected[check.field]) right++;
    }
  }
  console.log(`  verdicts as the corpus expects: ${right} of ${fields} fields (information)`);
  return { text: text.pages ? text.ms / 1000 / text.pages : NaN, ocr: ocr.pages ? ocr.ms / 1000 / ocr.pages : NaN };
}

/** (b): the webhook's rate with the reader idle, then busy with a backlog of scans, in rounds. */
async function webhookRatio(b: Bench): Promise<{ idle: Figures; busy: Figures; busyThroughout: boolean }> {
  const backlog: CorpusCase[] = [];
  for (let i = 0; i < BACKLOG; i++)
    backlog.push(await buildCase({ kind: SCAN_KINDS[i % SCAN_KINDS.length]!, index: 100 + i }));
  await webhook(b, "warm-up", warmUpSeconds(DURATION));
  const runs = { idle: [] as Figures[], busy: [] as Figures[] };
  let busyThroughout = true;
  for (let round = 1; round <= ROUNDS; round++) {
    await waitIdle(b, 600_000);
    runs.idle.push(await webhook(b, `reader idle #${round}`, DURATION));
    for (const c of backlog) await deliver(b, c.payload, c.files);
    // Reading under way before the run starts.
    while (!(await readJobs(b)).active) await new Promise((resolve) => setTimeout(resolve, 200));
    runs.busy.push(await webhook(b, `reader busy #${round}`, DURATION));
    const after = await readJobs(b);
    if (!after.active) busyThroughout = false;
    console.log(
      `round ${round}: idle ${runs.idle.at(-1)!.rps.toFixed(1)}, busy ${runs.busy.at(-1)!.rps.toFixed(1)} req/s (read jobs left: ${after.waiting + after.active})`,
    );
  }
  printTable([...runs.idle, ...runs.busy]);
  return {
    idle: medianFigures("reader idle", runs.idle),
    busy: medianFigures("reader busy", runs.busy),
    busyThroughout,
  };
}

let db: pg.Client | null = null;
await runBench(
  async (apps) => {
    console.log(`load average at start: ${loadAverage()}`);
    const app = await startApp({
      port: 3260,
      dataDir: benchDataDir("bench-documents"),
      extraEnv: { DOCUMENT_READ_CONCURRENCY: "1" },
    });
    apps.push(app);
    const creds = createApiClient(app, "bench-documents");
    db = new pg.Client({ connectionString: app.ownerUrl });
    await db.connect();
    const b: Bench = { app, db, auth: `Basic ${Buffer.from(`${creds.key}:${creds.secret}`).toString("base64")}` };

    const seconds = await perPage(b);
    const { idle, busy, busyThroughout } = await webhookRatio(b);
    printTable([idle, busy]);
    if (!busyThroughout)
      console.log("NOTE: the reader finished its backlog during a busy run: raise BENCH_BACKLOG for a fair figure");
    const errors = idle.errors + idle.non2xx + busy.errors + busy.non2xx;
    console.log(`webhook errors: ${errors}; load average at the end: ${loadAverage()}`);
    result("documents-text-seconds-per-page", seconds.text, "≤0.5", 3);
    result("documents-ocr-seconds-per-page", seconds.ocr, "≤10", 2);
    result("documents-webhook-ratio-busy", busy.rps / idle.rps, "≥0.85");
  },
  async () => db?.end(),
);
