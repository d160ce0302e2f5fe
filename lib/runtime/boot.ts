/**
 * What every process of the app does first (launcher, worker, CLIs): find or start the
 * database, make sure the secrets exist, apply migrations. With DATABASE_URL unset an
 * embedded PostgreSQL is used (data in DATA_DIR) and development secrets are generated once
 * into DATA_DIR/secrets.json; with DATABASE_URL set, AUTH_SECRET and APP_SECRET are required.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { runMigrations } from "../../db/migrate";
import { getEnv, resetEnvCache } from "../env";

export type Runtime = { databaseUrl: string; embedded: EmbeddedDatabase | null; stop: () => Promise<void> };

type DevSecrets = { AUTH_SECRET: string; APP_SECRET: string; DEMO_PASSWORD: string };

function devSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    APP_SECRET: randomBytes(32).toString("base64url"),
    // Readable enough to type, random enough not to guess.
    DEMO_PASSWORD: `demo-${randomBytes(6).toString("base64url")}`,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function bootRuntime(opts: { log?: (m: string) => void; migrate?: boolean } = {}): Promise<Runtime> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const env = getEnv();
  let embedded: EmbeddedDatabase | null = null;

  if (!env.DATABASE_URL) {
    const secrets = devSecrets(path.resolve(env.DATA_DIR));
    for (const [k, v] of Object.entries(secrets)) process.env[k] ||= v;
    embedded = await startEmbeddedPostgres({ dataRoot: env.DATA_DIR, database: "app", preferredPort: env.EMBEDDED_PG_PORT, log });
    process.env.DATABASE_URL = embedded.url;
    resetEnvCache();
  } else if (!env.AUTH_SECRET || !env.APP_SECRET) {
    throw new Error("AUTH_SECRET and APP_SECRET must be set (at least 32 characters each) when DATABASE_URL is set");
  }

  const databaseUrl = getEnv().DATABASE_URL!;
  if (opts.migrate !== false) {
    try {
      await runMigrations(databaseUrl);
    } catch (err) {
      await embedded?.stop().catch(() => {});
      throw err;
    }
  }

  return {
    databaseUrl,
    embedded,
    stop: async () => {
      const { closeDb } = await import("../db");
      await closeDb().catch(() => {});
      await embedded?.stop();
    },
  };
}

export type Shutdown = {
  /** true once SIGINT or SIGTERM arrived: a start still under way should give up quietly */
  requested: () => boolean;
};

/**
 * Runs `stop` once on SIGINT/SIGTERM, then exits: 0 after a clean stop (a stop that was asked
 * for is not a failure), 1 when stopping failed.
 */
export function onShutdown(stop: () => Promise<void>): Shutdown {
  let requested = false;
  const handler = (signal: NodeJS.Signals) => {
    if (requested) return;
    requested = true;
    console.log(`\n${signal}: stopping…`);
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`stopping failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return { requested: () => requested };
}
