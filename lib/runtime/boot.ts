/**
 * What every process of the app does first (launcher, worker, CLIs): find or start the
 * database, make sure the secrets exist, apply migrations. With DATABASE_URL unset an
 * embedded PostgreSQL is used (data in DATA_DIR), development secrets are generated once into
 * DATA_DIR/secrets.json, and the app connects as its own role (csi_app) while the superuser owns
 * the schema and migrates. With DATABASE_URL set, AUTH_SECRET and APP_SECRET are required, and
 * migrations run as DATABASE_OWNER_URL's role when it is set (README, "Database roles").
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureAppRole, startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { roleOf, runMigrations } from "../../db/migrate";
import { getEnv, resetEnvCache } from "../env";

export type Runtime = { databaseUrl: string; embedded: EmbeddedDatabase | null; stop: () => Promise<void> };

type DevSecrets = { AUTH_SECRET: string; APP_SECRET: string; DEMO_PASSWORD: string; DATABASE_APP_PASSWORD: string };

function devSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "secrets.json");
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>) : {};
  const secrets: DevSecrets = {
    AUTH_SECRET: kept.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
    APP_SECRET: kept.APP_SECRET ?? randomBytes(32).toString("base64url"),
    // Readable enough to type, random enough not to guess.
    DEMO_PASSWORD: kept.DEMO_PASSWORD ?? `demo-${randomBytes(6).toString("base64url")}`,
    // (added later than the others: a data folder from before gets one now)
    DATABASE_APP_PASSWORD: kept.DATABASE_APP_PASSWORD ?? randomBytes(18).toString("base64url"),
  };
  if (Object.keys(secrets).some((k) => !(k in kept))) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

/** true when the app's role could lift the audit trail's protection (it owns the table, or is a superuser). */
async function auditTrailUnprotected(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ unprotected: boolean }>(
      `select pg_has_role(current_user, c.relowner, 'USAGE') or r.rolsuper as unprotected
         from pg_class c, pg_roles r where c.oid = 'audit_events'::regclass and r.rolname = current_user`,
    );
    return r.rows[0]?.unprotected ?? true;
  } finally {
    await client.end();
  }
}

export async function bootRuntime(opts: { log?: (m: string) => void; migrate?: boolean } = {}): Promise<Runtime> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const env = getEnv();
  let embedded: EmbeddedDatabase | null = null;

  if (!env.DATABASE_URL) {
    const { DATABASE_APP_PASSWORD, ...secrets } = devSecrets(path.resolve(env.DATA_DIR));
    for (const [k, v] of Object.entries(secrets)) process.env[k] ||= v;
    embedded = await startEmbeddedPostgres({ dataRoot: env.DATA_DIR, database: "app", preferredPort: env.EMBEDDED_PG_PORT, log });
    try {
      process.env.DATABASE_URL = await ensureAppRole(embedded, DATABASE_APP_PASSWORD);
    } catch (err) {
      await embedded.stop().catch(() => {});
      throw err;
    }
    process.env.DATABASE_OWNER_URL = embedded.url;
    resetEnvCache();
  } else if (!env.AUTH_SECRET || !env.APP_SECRET) {
    throw new Error("AUTH_SECRET and APP_SECRET must be set (at least 32 characters each) when DATABASE_URL is set");
  }

  const databaseUrl = getEnv().DATABASE_URL!;
  const ownerUrl = getEnv().DATABASE_OWNER_URL ?? databaseUrl;
  try {
    if (opts.migrate !== false) await runMigrations(ownerUrl, { appRole: roleOf(databaseUrl) });
    if (!embedded && (await auditTrailUnprotected(databaseUrl))) {
      log(
        `warning: the app's database role (${roleOf(databaseUrl)}) owns audit_events or is a superuser, so it could lift the audit trail's ` +
          "append-only rule: run the app as a role of its own and the migrations with DATABASE_OWNER_URL (README, Database roles)",
      );
    }
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
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
