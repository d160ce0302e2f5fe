import path from "node:path";
import { defineConfig } from "vitest/config";
import { serverBinDir } from "./test/support/server-postgres";

const ALL = [
  "app/**/*.test.{ts,tsx}",
  "lib/**/*.test.{ts,tsx}",
  "db/**/*.test.{ts,tsx}",
  "components/**/*.test.{ts,tsx}",
  "scripts/**/*.test.{ts,tsx}",
  "test/**/*.test.{ts,tsx}",
];

// Two app processes and two workers on one PostgreSQL server, on the production build: a project
// of its own ("cluster"), run after every other file (its processes want the machine to
// themselves), only where the server project runs.
const CLUSTER = ["lib/runtime/cluster.test.ts"];

// Left out of the server run: tests that never touch the database, tests of the embedded
// cluster and of our processes' exit behaviour (they start their own embedded clusters), and
// the fault matrices: minutes of retries, back-offs and killed workers that test the worker and
// the ACCloud client, which behave the same on either server.
const NOT_ON_SERVER = [
  "lib/push/faults.test.ts",
  "lib/push/faults-after-sending.test.ts",
  "lib/access/scopes.test.ts",
  "lib/intake/files.test.ts",
  "lib/intake/limits.test.ts",
  "lib/intake/signature.test.ts",
  "lib/json/text.test.ts",
  "lib/format.test.ts",
  "lib/validations/auth.test.ts",
  "components/referral/render.test.tsx",
  "lib/approval/local-midnight.test.ts",
  "lib/form/fields.test.ts",
  "db/embedded.test.ts",
  "test/support/exit-code.test.ts",
  "lib/runtime/launcher.test.ts",
  "lib/runtime/boot.test.ts",
  "lib/readme.test.ts",
  "lib/standalone.test.ts",
  "app/bench-routes.test.ts",
  "lib/frequency/parse.test.ts",
  "lib/draft/match.test.ts",
  "lib/form/identity.test.ts",
  // The document reader: files in, plain data out, no database (and minutes of OCR if run twice).
  "lib/documents/**",
  "lib/demo/demo-orders.test.ts",
  "lib/worker/document-reader.test.ts",
  // Each bench on its own embedded clusters.
  "scripts/bench.test.ts",
];

// The server project runs on TEST_SERVER_DATABASE_URL, or on a temporary cluster from the
// installed server binaries; with neither, it is left out and says so.
const serverAvailable = !!process.env.TEST_SERVER_DATABASE_URL || serverBinDir() !== null;
// Said before the run and again after its summary, where it cannot scroll away. (Vitest
// evaluates this file more than once per process.)
const notice = globalThis as { csiServerSkipNotice?: boolean };
if (!serverAvailable && !notice.csiServerSkipNotice) {
  notice.csiServerSkipNotice = true;
  const text = [
    "",
    "!!! ───────────────────────────────────────────────────────────────────────────────",
    '!!! SKIPPED: the integration tests against a PostgreSQL server (projects "server"',
    '!!! and "cluster": two app processes and two workers on one server).',
    "!!! Neither TEST_SERVER_DATABASE_URL nor server binaries (/usr/lib/postgresql/*/bin)",
    "!!! are here: only the embedded PostgreSQL is tested. `apt-get install postgresql`",
    "!!! (Debian) or TEST_SERVER_DATABASE_URL=postgres://user:pass@host:5432/postgres",
    "!!! (a role with CREATEDB) runs them too; .ci/run sets this up.",
    "!!! ───────────────────────────────────────────────────────────────────────────────",
    "",
  ].join("\n");
  console.warn(text);
  process.once("exit", () => console.warn(text));
}

export default defineConfig({
  resolve: { alias: { "@": path.resolve("."), "server-only": path.resolve("test/support/empty.ts") } },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest runs one file at a time on 2 cores by default (cpus - 1). Most of the long files wait
    // (retries, back-offs, killed workers, child processes) rather than compute: three at once
    // keep the machine busy without starving PostgreSQL.
    maxWorkers: 3,
    minWorkers: 1,
    // next-auth imports "next/server" the way Next's bundler resolves it (no extension): bundled
    // by Vite here, not loaded by Node's ESM loader, which cannot resolve it.
    server: { deps: { inline: ["next-auth"] } },
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
      APP_SECRET: "test-app-secret-0123456789abcdef0123456789ab",
      SEED_DEMO_DATA: "false",
      LOG_LEVEL: "warn",
      PUSH_JOB_EXPIRE_SECONDS: "4",
      PUSH_MAINTENANCE_SECONDS: "1",
      // Workers started by tests read no documents (OCR would cost every file minutes) unless a test asks.
      DOCUMENT_READ_CONCURRENCY: "0",
    },
    projects: [
      {
        extends: true,
        test: {
          name: "embedded",
          include: ALL,
          exclude: ["**/node_modules/**", ...CLUSTER],
          globalSetup: ["./test/support/global-setup.ts"],
          setupFiles: ["./test/support/worker-setup.ts"],
        },
      },
      ...(serverAvailable
        ? [
            {
              extends: true as const,
              test: {
                name: "server",
                include: ALL,
                exclude: ["**/node_modules/**", ...NOT_ON_SERVER, ...CLUSTER],
                globalSetup: ["./test/support/global-setup-server.ts"],
                setupFiles: ["./test/support/worker-setup.ts"],
              },
            },
            {
              extends: true as const,
              test: {
                name: "cluster",
                include: CLUSTER,
                globalSetup: ["./test/support/global-setup-server.ts"],
                setupFiles: ["./test/support/worker-setup.ts"],
                sequence: { groupOrder: 1 },
              },
            },
          ]
        : []),
    ],
  },
});
