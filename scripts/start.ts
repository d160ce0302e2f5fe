export {};
/**
 * `npm start`: the whole app in one foreground process.
 *  1. database: DATABASE_URL, or an embedded PostgreSQL in DATA_DIR (stopped on exit);
 *  2. migrations; demo data on an empty embedded database (SEED_DEMO_DATA decides; never into
 *     DATABASE_URL's unless SEED_DEMO_DATA=true), and the demo users' password set to DEMO_PASSWORD;
 *  3. the ACCloud sandbox when ACCLOUD_URL is unset;
 *  4. ACCloud reference data, and the push worker (WORKER_ENABLED=false turns it off);
 *  5. Next.js (built first when no build exists) on HOST:PORT (127.0.0.1 with the embedded
 *     PostgreSQL unless HOST says otherwise).
 * `npm run dev` does the same with Next's dev server.
 */
const dev = process.argv.includes("--dev");
// Next reads NODE_ENV when it is imported: set it before anything else loads.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";

const { spawnSync } = await import("node:child_process");
const { existsSync } = await import("node:fs");
const http = await import("node:http");
const path = await import("node:path");
const { getEnv, resetEnvCache, seedDemoDataWanted } = await import("../lib/env");
const { bootRuntime, onShutdown } = await import("../lib/runtime/boot");
const log = (await import("../lib/log")).logger("start");

const root = process.cwd();
// The environment as the operator set it (the launcher later points DATABASE_URL at the embedded cluster).
const env = getEnv();
const seedDemo = seedDemoDataWanted(env);
// What has started so far, stopped in reverse order (a part that finishes starting meanwhile
// too); once, even when a signal and a failed start both ask. Every stop runs; the whole
// rejects if any of them failed.
const stops: Array<() => Promise<void>> = [];
let stopping: Promise<void> | undefined;
const stopAll = () =>
  (stopping ??= (async () => {
    let failed = 0;
    for (let stop = stops.pop(); stop; stop = stops.pop()) {
      await stop().catch((e: Error) => {
        failed += 1;
        console.error(e.message);
      });
    }
    if (failed) throw new Error(`${failed} part(s) did not stop cleanly`);
  })());
const shutdown = onShutdown(stopAll);
// Between the steps of the start: after Ctrl-C, go no further (and never into `next build`).
const proceed = () => {
  if (shutdown.requested()) throw new Error("stopped during the start");
};

try {
  const runtime = await bootRuntime({ serves: true });
  stops.push(runtime.stop);
  proceed();
  // Runs just before the database stops: the web process's job-queue senders.
  stops.push(async () => (await import("../lib/jobs/queue")).stopSenderBosses());
  if (runtime.embedded)
    console.log(`PostgreSQL (embedded) on port ${runtime.embedded.port}, data in ${runtime.embedded.dataDir}`);

  const { getDb } = await import("../lib/db");
  const db = getDb();

  let sandboxUrl: string | null = null;
  if (!env.ACCLOUD_URL) {
    const { startSandbox } = await import("../lib/accloud/sandbox/server");
    const { freePort } = await import("../db/embedded");
    const port = await freePort(env.ACCLOUD_SANDBOX_PORT);
    process.env.ACCLOUD_SANDBOX_PORT = String(port);
    resetEnvCache();
    const sandbox = await startSandbox({
      // The owner's: the sandbox (a stand-in for ACCloud, never production's) makes its own schema, which the app's role may not.
      databaseUrl: runtime.ownerUrl,
      port,
      host: "127.0.0.1",
      apiKey: env.ACCLOUD_API_KEY,
      apiSecret: env.ACCLOUD_API_SECRET,
      controlKey: env.ACCLOUD_SANDBOX_CONTROL_KEY,
    });
    stops.push(sandbox.close);
    sandboxUrl = sandbox.url;
    // Where tools and browser tests find the running sandbox (its port may differ from the preferred one).
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(path.join(env.DATA_DIR, "sandbox.json"), JSON.stringify({ url: sandbox.url }));
  }
  proceed();

  // Reference data (CSI group, funders, service codes, trusted network): loaded now, then on a schedule
  // by the worker and on demand by admins. A missing CSI group stops the start loudly.
  const { refreshReferenceData } = await import("../lib/accloud/reference-data");
  const { createAccloudClientFromEnv } = await import("../lib/accloud/client");
  const { errorBrief } = await import("../lib/errors");
  try {
    const ref = await refreshReferenceData({ db, client: createAccloudClientFromEnv() });
    log.info(
      `ACCloud reference data: group "${ref.csiGroup?.name}" (${ref.csiGroup?.id}), ${ref.funders.length} funders, ${ref.serviceCodes.length} service codes, ${ref.suppliers.length} suppliers`,
    );
  } catch (err) {
    const name = (err as Error).name;
    if (name === "ReferenceDataError") throw err;
    log.warn(`ACCloud reference data could not be loaded now (${errorBrief(err)}); the worker retries on its schedule`);
  }
  proceed();

  if (env.WORKER_ENABLED) {
    const { startWorker } = await import("../lib/worker/worker");
    const worker = await startWorker({ databaseUrl: runtime.databaseUrl });
    stops.push(worker.stop);
  }

  const { seedDemoDataIfEmpty, DEMO_USERS } = await import("../lib/demo/seed");
  // Generated into DATA_DIR/secrets.json for the embedded cluster; with DATABASE_URL only the operator's.
  const demoPassword = getEnv().DEMO_PASSWORD;
  // Printed only for the embedded cluster: a server's demo password is the operator's own, and is never printed.
  const printDemoPassword = seedDemo && !env.DATABASE_URL;
  if (seedDemo) {
    if (!demoPassword)
      throw new Error("SEED_DEMO_DATA=true with DATABASE_URL needs DEMO_PASSWORD (at least 8 characters)");
    // Under an advisory lock: of several processes starting at once on an empty database, one seeds.
    const { seeded, passwordChanged } = await seedDemoDataIfEmpty(db, {
      password: demoPassword,
      onSeeding: () => console.log("Seeding demo data…"),
    });
    if (seeded) {
      console.log(`  ${seeded.referrals} referral requests delivered through the webhook`);
      if (seeded.approved)
        console.log(
          `  ${seeded.approved} of them approved as earlier decisions: the drafts of the others learn from them`,
        );
      console.log(
        `  Demo AlayaConnector API client: key ${seeded.apiClient.key}  secret ${seeded.apiClient.secret} (shown once)`,
      );
    } else if (passwordChanged.length) {
      console.log(`Demo users' password set to DEMO_PASSWORD (${passwordChanged.length} changed)`);
    }
    if (printDemoPassword)
      console.log(`Demo sign-in: ${DEMO_USERS.map((u) => u.email).join(", ")}  password: ${demoPassword}`);
  } else {
    const { sql } = await import("drizzle-orm");
    const admins = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from users where (role = 'admin' or 'admin' = any(extra_roles)) and disabled_at is null`,
    );
    if (!admins.rows[0]?.n)
      console.log(
        "No administrator yet: create the first with `npm run admin -- create --email you@example.org` (its password is shown once).",
      );
  }
  proceed();

  if (!dev && !existsSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    console.log("No production build yet: running `next build` (once)…");
    const built = spawnSync(
      process.execPath,
      [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
      {
        stdio: "inherit",
        env: { ...process.env, NODE_ENV: "production" },
      },
    );
    if (built.status !== 0) throw new Error("next build failed");
  }

  const next = (await import("next")).default;
  // A development machine's app (embedded PostgreSQL, demo data) is not for the network unless HOST says so.
  const hostname = env.HOST ?? (runtime.embedded ? "127.0.0.1" : "0.0.0.0");
  // As `next start` sets it: a server action that redirects (sign-in, sign-out) fetches the next
  // page from this server at this address. Unset, Next takes https:// from a TLS proxy's
  // X-Forwarded-Proto, fails to talk TLS to this plain-http port, and logs it on every sign-in.
  process.env.__NEXT_PRIVATE_ORIGIN ??= `http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname.includes(":") ? `[${hostname}]` : hostname}:${env.PORT}`;
  const app = next({ dev, dir: root, hostname, port: env.PORT });
  await app.prepare();
  proceed();
  const handle = app.getRequestHandler();
  const { clientAddress, CLIENT_IP_HEADER } = await import("../lib/runtime/client-ip");
  const { answerUnavailableWhenDatabaseDown } = await import("../lib/runtime/unavailable");
  const server = http.createServer((req, res) => {
    // The client's address for sign-in rate limits, from the connection (or the trusted proxies),
    // never from a header the client wrote.
    req.headers[CLIENT_IP_HEADER] = clientAddress(
      req.socket.remoteAddress,
      req.headers["x-forwarded-for"],
      env.TRUSTED_PROXY_HOPS,
    );
    answerUnavailableWhenDatabaseDown(req, res);
    void handle(req, res);
  });
  // Large webhook bodies arrive slowly over real networks.
  server.requestTimeout = 5 * 60_000;
  await new Promise<void>((resolve) => server.listen(env.PORT, hostname, resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  stops.push(async () => app.close?.());

  const url =
    env.APP_URL ?? `http://${hostname === "0.0.0.0" || hostname === "127.0.0.1" ? "localhost" : hostname}:${env.PORT}`;
  console.log("");
  console.log(
    `CSI Referral Review is running at ${url}  (${dev ? "development" : "production"} mode, listening on ${hostname}:${env.PORT})`,
  );
  console.log(sandboxUrl ? `ACCloud: local sandbox at ${sandboxUrl}` : `ACCloud: ${env.ACCLOUD_URL}`);
  if (printDemoPassword && demoPassword) {
    console.log(`Sign in as ${DEMO_USERS.map((u) => u.email).join(", ")}`);
    console.log(`  password: ${demoPassword}`);
  }
  console.log("Press Ctrl-C to stop.");
} catch (err) {
  // After Ctrl-C the signal handler is already stopping what started, and exits.
  if (!shutdown.requested()) {
    console.error(`Start failed: ${(err as Error).message}`);
    await stopAll().catch(() => {});
    process.exit(1);
  }
}
