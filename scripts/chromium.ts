/**
 * Debian's Chromium (`apt-get install -y chromium`, or CHROMIUM_PATH), as the Playwright specs
 * (playwright.config.ts) and bench:web (bench-web-browser.ts) launch it: in a container, without
 * the sandbox, the GPU or the browser's own background traffic (updates, sync, first-run pages).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_QUIET_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
