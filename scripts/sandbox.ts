/**
 * `npm run sandbox`: the ACCloud sandbox alone, on ACCLOUD_SANDBOX_PORT (default 4010).
 * State lives in DATABASE_URL, or in the embedded PostgreSQL in DATA_DIR (database "app").
 */
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../db/embedded";
import { getEnv } from "../lib/env";
import { startSandbox, type RunningSandbox } from "../lib/accloud/sandbox/server";
import { logger } from "../lib/log";

const env = getEnv();
let embedded: EmbeddedDatabase | undefined;
let sandbox: RunningSandbox | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await sandbox?.close();
    await embedded?.stop();
  } catch (err) {
    console.error(`stopping failed: ${(err as Error).message}`);
    code = 1;
  }
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  // The owner's role when there is one: the app's own may not create the sandbox's schema.
  let databaseUrl = env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataRoot: env.DATA_DIR,
      database: "app",
      preferredPort: env.EMBEDDED_PG_PORT,
      log: (m) => console.log(m),
    });
    databaseUrl = embedded.url;
    console.log(`PostgreSQL (embedded) on port ${embedded.port}, data in ${embedded.dataDir}`);
  }
  sandbox = await startSandbox({
    databaseUrl,
    port: env.ACCLOUD_SANDBOX_PORT,
    host: "127.0.0.1",
    apiKey: env.ACCLOUD_API_KEY,
    apiSecret: env.ACCLOUD_API_SECRET,
    controlKey: env.ACCLOUD_SANDBOX_CONTROL_KEY,
    log: env.LOG_LEVEL === "debug" ? logger("sandbox").debug : undefined,
  });
  console.log(`ACCloud sandbox on ${sandbox.url}`);
  console.log(
    `  Basic auth: ${env.ACCLOUD_API_KEY} / ${env.ACCLOUD_API_SECRET}  (ACCLOUD_API_KEY / ACCLOUD_API_SECRET)`,
  );
  console.log(
    `  Control:    header x-sandbox-key: ${env.ACCLOUD_SANDBOX_CONTROL_KEY}  (ACCLOUD_SANDBOX_CONTROL_KEY), e.g. GET ${sandbox.url}/__sandbox/state`,
  );
  console.log("Ctrl-C stops it.");
} catch (err) {
  console.error(`sandbox failed to start: ${(err as Error).message}`);
  await stop(1);
}
