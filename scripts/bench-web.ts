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
 *    keyboard on the select), approve; and flip an order page once the order viewer exists.
 *  - BENCH_TRACE_DIR=dir: a Chrome trace of each page's load at 4× CPU (Lighthouse with DevTools
 *    throttling, V8's CPU profile included), to open in Chrome DevTools' Performance panel:
 *    which chunks evaluate, the long tasks. With BENCH_REACT_PROFILE=1 the build is React's
 *    profiling build (`next build --profile`), whose Components track shows which components
 *    hydrate (its figures are not comparable with a normal build's).
 *
 *   BENCH_ROWS=1000000 BENCH_EVENTS=1000000 BENCH_RUNS=3 [BENCH_PAGES=queue,shell] [BENCH_TRACE_DIR=dir] npm run bench:web [-- --no-build]
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import lighthouse, { desktopConfig, type Flags, type Result as LighthouseResult } from "lighthouse";
import pg from "pg";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { buildLongOrder } from "../test/documents/corpus";
import {
  benchDataDir,
  buildApp,
  createApiClient,
  loadAverage,
  printResults,
  result,
  signIn,
  startApp,
  type BenchApp,
} from "./bench-lib";
import { generateQueueReferrals } from "./bench-queue-data";
import { generateAuditEvents } from "./bench-supervisors-data";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? ROWS);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TRACE_DIR = process.env.BENCH_TRACE_DIR ? path.resolve(process.env.BENCH_TRACE_DIR) : null;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const PORT = 3330;
const PASSWORD = "bench-password-0123";
/** Pages of the order the benched referral carries (the document reader's default read limit). */
const ORDER_PAGES = 20;
const dataDir = benchDataDir("bench-web");

type Who = "reviewer" | "supervisor";
type WebPage = { key: string; path: string; who: Who };

// ---------------------------------------------------------------------------------------------
// The app and its data

/** The sizes the data dir was generated for: another size starts it over. */
const generatedFile = path.join(dataDir, "bench-web.json");
function generatedFor(): { rows: number; events: number } | null {
  try {
    return JSON.parse(readFileSync(generatedFile, "utf8")) as { rows: number; events: number };
  } catch {
    return null;
  }
}

async function generate(app: BenchApp): Promise<void> {
  const client = new pg.Client({ connectionString: app.ownerUrl });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const users = (
      await client.query<{ id: string; email: string }>("select id::text, email from users order by email")
    ).rows;
    const reviewer = users.find((u) => u.email === "reviewer@demo.test");
    if (!reviewer) throw new Error("the demo users are missing (SEED_DEMO_DATA)");
    await generateQueueReferrals(client, { rows: ROWS, reviewerId: reviewer.id, decisions: true });
    const t = Date.now();
    console.log(`Generating ${EVENTS.toLocaleString("en-US")} audit events…`);
    await generateAuditEvents(client, EVENTS, ROWS, users);
    await client.query("select turnaround_compact()");
    console.log(`  ${((Date.now() - t) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
  writeFileSync(generatedFile, JSON.stringify({ rows: ROWS, events: EVENTS }));
}

/**
 * A referral request as AlayaConnector delivers one: the corpus's 20-page text order (test/documents/corpus.ts)
 * with the form that agrees with it, under a new request id and client.
 */
async function orderPayload(): Promise<Record<string, unknown>> {
  const { pdf, payload } = await buildLongOrder(ORDER_PAGES);
  const client = payload.client as Record<string, unknown>;
  const files = payload.files as Array<{ file_name: string }>;
  return {
    ...payload,
    request_id: randomUUID(),
    client: { ...client, id: 1_000_000 + Math.floor(Math.random() * 1e8) },
    files: [{ file_name: files[0]!.file_name, file_value: pdf.toString("base64") }],
  };
}

async function deliver(app: BenchApp, auth: string): Promise<string> {
  const res = await fetch(`${app.url}/api/referral-requests`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify(await orderPayload()),
  });
  const body = (await res.json().catch(() => null)) as { id?: string } | null;
  if (!res.ok || !body?.id)
    throw new Error(`the webhook refused the benched referral: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function check(app: BenchApp, page: WebPage, cookie: string): Promise<void> {
  const res = await fetch(`${app.url}${page.path}`, { headers: { cookie }, redirect: "manual" });
  const html = await res.text();
  const rows = (html.match(/data-queue-row/g) ?? []).length;
  console.log(
    `  ${page.key.padEnd(16)} ${page.path.slice(0, 70).padEnd(72)} ${res.status} ${(html.length / 1024).toFixed(0)} KB${page.key.startsWith("queue") ? `, ${rows} rows` : ""}`,
  );
  if (res.status !== 200) throw new Error(`${page.path} answered ${res.status}`);
  if (page.key.startsWith("queue") && rows === 0) throw new Error(`${page.path} shows no rows`);
}

// ---------------------------------------------------------------------------------------------
// The browser

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });

/**
 * Chromium with its remote-debugging port open for Lighthouse. A persistent context is the
 * browser's default one, where Lighthouse opens its tabs, so the cookies set here are theirs.
 */
async function launchBrowser(): Promise<{ context: BrowserContext; port: number; close: () => Promise<void> }> {
  const port = await freePort();
  const profile = mkdtempSync(path.join(os.tmpdir(), "csi-bench-web-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    // --headless=new is among the flags, so Playwright adds no headless flag of its own.
    headless: false,
    args: [...CHROMIUM_FLAGS, `--remote-debugging-port=${port}`],
    viewport: { width: 1350, height: 940 },
  });
  return {
    context,
    port,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The browser's cookies become this user's session (only), and its HTTP cache is emptied. */
async function becomeUser(context: BrowserContext, url: string, cookie: string): Promise<void> {
  const [name, ...value] = cookie.split("=");
  await context.clearCookies();
  await context.addCookies([{ name: name!, value: value.join("="), url }]);
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.clearBrowserCache");
  await cdp.detach();
}

// ---------------------------------------------------------------------------------------------
// Lighthouse

type Figures = { score: number; tbt: number; lcp: number; cls: number; a11y: number | null };

async function runLighthouse(
  port: number,
  url: string,
  cpu: number,
  trace = false,
): Promise<{ figures: Figures; lhr: LighthouseResult; traceEvents?: unknown[] }> {
  const settings = desktopConfig.settings!;
  const flags: Flags = {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: cpu === 1 && !trace ? ["performance", "accessibility"] : ["performance"],
    // Storage reset would sign the browser out; the cache is emptied before each run instead.
    disableStorageReset: true,
    throttling: { ...settings.throttling, cpuSlowdownMultiplier: cpu },
    // A trace shows the load as it ran: DevTools throttling slows the CPU for real (simulated throttling only computes).
    ...(trace
      ? {
          throttlingMethod: "devtools",
          additionalTraceCategories: "disabled-by-default-v8.cpu_profiler,blink.user_timing",
        }
      : {}),
  };
  const run = await lighthouse(url, flags, desktopConfig);
  if (!run) throw new Error(`Lighthouse returned nothing for ${url}`);
  const lhr = run.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  // Signed out, the page would have redirected to the sign-in page: that is not the page measured.
  if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname)
    throw new Error(`Lighthouse on ${url} ended on ${lhr.finalDisplayedUrl} (was the session lost?)`);
  // …and a refused page (403, 404, an error page) is not it either.
  const requests = (
    lhr.audits["network-requests"]?.details as
      { items?: Array<{ url: string; statusCode: number; resourceType?: string }> } | undefined
  )?.items;
  const document = requests?.find((r) => r.resourceType === "Document");
  if (document?.statusCode !== 200)
    throw new Error(`Lighthouse on ${url}: the page answered ${document?.statusCode ?? "nothing"}`);
  for (const w of lhr.runWarnings) console.log(`  (Lighthouse warning on ${url}: ${w})`);
  const score = lhr.categories.performance?.score;
  if (score === null || score === undefined) throw new Error(`Lighthouse gave ${url} no performance score`);
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const figures = {
    score,
    tbt: audit("total-blocking-time"),
    lcp: audit("largest-contentful-paint"),
    cls: audit("cumulative-layout-shift"),
    a11y: lhr.categories.accessibility?.score ?? null,
  };
  const traceEvents = trace
    ? (run.artifacts as unknown as { Trace?: { traceEvents: unknown[] } }).Trace?.traceEvents
    : undefined;
  return { figures, lhr, traceEvents };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

// ---------------------------------------------------------------------------------------------
// Interaction to next paint

/** Collects the Event Timing API's entries of interactions (16 ms and longer: its floor) from the page's start. */
const OBSERVE_EVENTS = () => {
  const w = window as unknown as { __benchEvents: Array<{ id: number; name: string; duration: number }> };
  w.__benchEvents = [];
  new PerformanceObserver((list) => {
    // (interactionId: in Chromium and the Event Timing spec, not yet in TypeScript's DOM types)
    for (const e of list.getEntries() as Array<PerformanceEventTiming & { interactionId?: number }>) {
      if (e.interactionId) w.__benchEvents.push({ id: e.interactionId, name: e.name, duration: e.duration });
    }
  }).observe({ type: "event", durationThreshold: 16, buffered: true } as PerformanceObserverInit);
};

/** Below the Event Timing API's 16 ms floor an interaction has no entry: reported as 16 (at most). */
const EVENT_TIMING_FLOOR_MS = 16;

/**
 * The longest interaction (input to the next paint) among those `act` caused: `settled` waits for
 * what the interaction shows, then two frames more, for the entries (queued after the paint).
 */
async function interaction(page: Page, act: () => Promise<void>, settled: () => Promise<unknown>): Promise<number> {
  const before = await page.evaluate(() => (window as unknown as { __benchEvents: unknown[] }).__benchEvents.length);
  await act();
  await settled();
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))),
  );
  const entries = await page.evaluate(
    (n) => (window as unknown as { __benchEvents: Array<{ id: number; duration: number }> }).__benchEvents.slice(n),
    before,
  );
  return Math.max(EVENT_TIMING_FLOOR_MS, ...entries.map((e) => e.duration));
}

const dayFromToday = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/**
 * HOOK (the order viewer, not built yet): flips a page of the referral's order in its viewer and
 * returns the interaction's time, or null while the referral page has no order viewer. When the
 * viewer lands, give it `data-order-viewer` and its next-page button `data-order-next`, or change
 * the selectors here.
 */
async function flipOrderPage(page: Page): Promise<number | null> {
  const viewer = page.locator("[data-order-viewer]");
  if ((await viewer.count()) === 0) return null;
  const pageNumber = () => viewer.getAttribute("data-order-page");
  const was = await pageNumber();
  return interaction(
    page,
    () => viewer.locator("[data-order-next]").click(),
    () =>
      page.waitForFunction(
        (w) => document.querySelector("[data-order-viewer]")?.getAttribute("data-order-page") !== w,
        was,
      ),
  );
}

type InpRun = Record<string, number>;

/** One reviewer's pass over a new referral at 4× CPU: claim, open the editor, choose a funder, approve (and flip an order page). */
async function measureInteractions(context: BrowserContext, url: string, referralId: string): Promise<InpRun> {
  const page = await context.newPage();
  try {
    await page.addInitScript(OBSERVE_EVENTS);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.goto(`${url}/referrals/${referralId}`);
    if (new URL(page.url()).pathname !== `/referrals/${referralId}`)
      throw new Error(`the referral page went to ${page.url()}`);
    // Hydrated: the page's keyboard shortcuts listen.
    await page.locator("html[data-referral-keys=ready]").waitFor({ state: "attached", timeout: 60_000 });
    const panel = page.getByTestId("work-panel");
    const editor = page.getByTestId("approval-editor");
    const out: InpRun = {};

    out.claim = await interaction(
      page,
      () => panel.locator("[data-claim]").click(),
      () => panel.locator('button[aria-label^="Release"]').waitFor({ timeout: 60_000 }),
    );
    out["open-editor"] = await interaction(
      page,
      () => page.keyboard.press("e"),
      () => page.waitForFunction(() => !!document.activeElement?.closest('[data-testid="approval-editor"]')),
    );
    // The funder from the keyboard (trusted input, which the Event Timing API counts, unlike a script's
    // change event): the next option of the closed select.
    const funder = editor.getByLabel("Funder (single funder, 100%)");
    await funder.focus();
    const was = await funder.inputValue();
    const atLast = await funder.evaluate((s: HTMLSelectElement) => s.selectedIndex === s.options.length - 1);
    out["choose-funder"] = await interaction(
      page,
      () => page.keyboard.press(atLast ? "ArrowUp" : "ArrowDown"),
      () => page.waitForFunction((w) => (document.activeElement as HTMLSelectElement | null)?.value !== w, was),
    );
    if (!(await funder.inputValue())) throw new Error("choosing a funder with the keyboard left the funder empty");

    // Not measured: what the reference form lacks for ACCloud to take it.
    await editor.getByLabel("Start date").fill(dayFromToday(2));
    await editor.getByLabel("End date").fill(dayFromToday(62));
    await editor.getByLabel("Name", { exact: true }).fill("Casey Manager");
    out.approve = await interaction(
      page,
      () => editor.getByRole("button", { name: "Approve and send to ACCloud" }).click(),
      async () => {
        const outcome = await Promise.race([
          page
            .getByTestId("push-progress")
            .waitFor({ timeout: 60_000 })
            .then(() => "approved"),
          editor
            .getByRole("alert")
            .first()
            .waitFor({ timeout: 60_000 })
            .then(async () => `refused: ${await editor.getByRole("alert").first().innerText()}`),
        ]);
        if (outcome !== "approved") throw new Error(`the approval was ${outcome}`);
      },
    );
    const flip = await flipOrderPage(page);
    if (flip !== null) out["flip-page"] = flip;
    await cdp.detach();
    return out;
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run

buildApp();
const generated = generatedFor();
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
    // Sessions would lapse during the data generation and the runs otherwise; approvals stay queued (no worker's CPU in the figures).
    extraEnv: { SEED_DEMO_DATA: "true", DEMO_PASSWORD: PASSWORD, WORKER_ENABLED: "false", SESSION_IDLE_MINUTES: "600" },
  });
  if (keep)
    console.log(
      `  ${dataDir}: ${ROWS.toLocaleString("en-US")} generated requests, ${EVENTS.toLocaleString("en-US")} audit events (reused)`,
    );
  else await generate(app);

  // The referral benched and one per run of the interactions, each a new request with the 20-page order.
  const creds = createApiClient(app, "bench-web");
  const auth = `Basic ${Buffer.from(`${creds.key}:${creds.secret}`).toString("base64")}`;
  const benched = await deliver(app, auth);
  const fresh: string[] = [];
  for (let i = 0; i < RUNS; i++) fresh.push(await deliver(app, auth));
  console.log(
    `Delivered ${RUNS + 1} referral requests with a ${ORDER_PAGES}-page order (the benched one: /referrals/${benched})`,
  );

  const owner = new pg.Client({ connectionString: app.ownerUrl });
  await owner.connect();
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
  if (!inp.has("flip-page")) console.log("  (flip an order page: skipped, the referral page has no order viewer yet)");

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
