/**
 * bench:web's browser and Lighthouse (scripts/bench-web.ts): Debian's Chromium with its
 * remote-debugging port open, signed in as one user with its HTTP cache emptied, and one
 * Lighthouse run of a page (desktop preset, at a CPU slowdown, optionally with a trace).
 */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import lighthouse, { desktopConfig, type Flags, type Result as LighthouseResult } from "lighthouse";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM, CHROMIUM_QUIET_ARGS } from "./chromium";

const CHROMIUM_FLAGS = ["--headless=new", ...CHROMIUM_QUIET_ARGS];

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
export async function launchBrowser(): Promise<{ context: BrowserContext; port: number; close: () => Promise<void> }> {
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
export async function becomeUser(context: BrowserContext, url: string, cookie: string): Promise<void> {
  const [name, ...value] = cookie.split("=");
  await context.clearCookies();
  await context.addCookies([{ name: name!, value: value.join("="), url }]);
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.clearBrowserCache");
  await cdp.detach();
}

export type Figures = { score: number; tbt: number; lcp: number; cls: number; a11y: number | null };

export async function runLighthouse(
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

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
