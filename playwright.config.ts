import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM, CHROMIUM_QUIET_ARGS } from "./scripts/chromium";

/** One fresh app (embedded PostgreSQL, sandbox, demo data) per run; workers inherit these. */
process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `csi-e2e-${Date.now()}`);
process.env.E2E_PORT ??= "3100";
process.env.E2E_DEMO_PASSWORD ??= "e2e-demo-password";
/** The `proxy` project: nginx with TLS for this hostname on E2E_PROXY_PORT, in front of a second app process. */
process.env.E2E_PROXY_HOST ??= "csi.test";
process.env.E2E_PROXY_PORT ??= "3443";
process.env.E2E_PROXY_APP_PORT ??= "3101";

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
export const proxyBaseURL = `https://${process.env.E2E_PROXY_HOST}:${process.env.E2E_PROXY_PORT}`;
const chromiumArgs = [...CHROMIUM_QUIET_ARGS, "--disable-quic"];

export default defineConfig({
  testDir: "./e2e",
  testMatch: /.*\.spec\.ts/,
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  // Journeys that check several pages with axe at two widths take tens of seconds; a loaded
  // 2-core machine doubles that.
  timeout: 150_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/support/global-setup.ts",
  globalTeardown: "./e2e/support/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM, args: chromiumArgs },
  },
  projects: [
    {
      name: "chromium",
      testIgnore: /proxy\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 } },
    },
    {
      // As production runs: the browser at https://csi.test:PORT (resolved to 127.0.0.1 by
      // Chromium alone, no /etc/hosts), nginx terminating TLS with a self-signed certificate.
      name: "proxy",
      testMatch: /proxy\.spec\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 900 },
        baseURL: proxyBaseURL,
        ignoreHTTPSErrors: true,
        launchOptions: {
          executablePath: CHROMIUM,
          args: [...chromiumArgs, `--host-resolver-rules=MAP ${process.env.E2E_PROXY_HOST} 127.0.0.1`],
        },
      },
    },
  ],
  webServer: [
    {
      command: "npx tsx scripts/start.ts",
      url: `${baseURL}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      env: {
        PORT: process.env.E2E_PORT,
        DATA_DIR: process.env.E2E_DATA_DIR,
        DEMO_PASSWORD: process.env.E2E_DEMO_PASSWORD,
        SEED_DEMO_DATA: "true",
        ACCLOUD_SANDBOX_PORT: "4110",
        EMBEDDED_PG_PORT: "54339",
        LOG_LEVEL: "warn",
        // The order spec reads a 30-page order (the default limit is 20 pages).
        DOCUMENT_READ_MAX_PAGES: "30",
      },
    },
    {
      // After the main app (webServers start in order): nginx and a second app process on the
      // main app's database and sandbox (e2e/support/proxy-stack.ts). Ready when a request
      // through nginx reaches the app's health check.
      command: "node --import tsx e2e/support/proxy-stack.ts",
      url: `https://127.0.0.1:${process.env.E2E_PROXY_PORT}/api/health`,
      ignoreHTTPSErrors: true,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      env: {
        DEMO_PASSWORD: process.env.E2E_DEMO_PASSWORD,
        LOG_LEVEL: "warn",
      },
    },
  ],
});
