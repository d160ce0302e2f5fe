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
import { getEnv, resetEnvCache, serverSettingsProblem } from "../env";

/** `ownerUrl`: the schema's owner (migrations, and the sandbox's schema, which the app's role may not create). */
export type Runtime = {
  databaseUrl: string;
  ownerUrl: string;
  embedded: EmbeddedDatabase | null;
  stop: () => Promise<void>;
};

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

/**
 * What the app's role could do to the audit trail beyond reading and appending: `unprotected`
 * when it owns the table or is a superuser (it could lift the append-only rule); `creates` lists
 * where it could still create objects (a schema or temporary table that an unqualified name might
 * reach instead of the app's own), empty when the owner's grants hold.
 */
async function appRoleReach(databaseUrl: string): Promise<{ unprotected: boolean; creates: string[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ unprotected: boolean; creates: string[] }>(
      `select (select pg_has_role(current_user, c.relowner, 'USAGE') or r.rolsuper
                 from pg_class c, pg_roles r where c.oid = 'audit_events'::regclass and r.rolname = current_user) as unprotected,
              array_remove(array[
                case when has_database_privilege(current_database(), 'CREATE') then 'CREATE on the database' end,
                case when has_database_privilege(current_database(), 'TEMPORARY') then 'TEMPORARY on the database' end
              ], null) || array(select format('CREATE on schema %s', nspname) from pg_namespace
                                 where nspname not like 'pg\\_%' and nspname <> 'information_schema' and has_schema_privilege(oid, 'CREATE')
                                 order by nspname) as creates`,
    );
    return r.rows[0] ?? { unprotected: true, creates: [] };
  } finally {
    await client.end();
  }
}

/**
 * `serves`: a process that serves (the launcher, a worker), which with DATABASE_URL set also needs
 * ACCLOUD_URL (or ACCLOUD_SANDBOX=true) and APP_URL; the command-line tools do not.
 */
export async function bootRuntime(
  opts: { log?: (m: string) => void; migrate?: boolean; serves?: boolean } = {},
): Promise<Runtime> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const env = getEnv();
  let embedded: EmbeddedDatabase | null = null;
  const problem = opts.serves ? serverSettingsProblem(env) : null;
  if (problem) throw new Error(problem);

  if (!env.DATABASE_URL) {
    const { DATABASE_APP_PASSWORD, ...secrets } = devSecrets(path.resolve(env.DATA_DIR));
    for (const [k, v] of Object.entries(secrets)) process.env[k] ||= v;
    embedded = await startEmbeddedPostgres({
      dataRoot: env.DATA_DIR,
      database: "app",
      preferredPort: env.EMBEDDED_PG_PORT,
      log,
    });
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
    if (opts.migrate !== false) {
      // The job queue is made by the owner: the app's role may create nothing (db/migrate.ts).
      const ownerSetUp = async (url: string) => (await import("../jobs/queue")).installJobQueue(url);
      await runMigrations(ownerUrl, { appRole: roleOf(databaseUrl), ownerSetUp });
    }
    const reach = embedded ? null : await appRoleReach(databaseUrl);
    if (reach?.unprotected) {
      log(
        `warning: the app's database role (${roleOf(databaseUrl)}) owns audit_events or is a superuser, so it could lift the audit trail's ` +
          "append-only rule: run the app as a role of its own and the migrations with DATABASE_OWNER_URL (README, Database roles)",
      );
    } else if (reach?.creates.length) {
      log(
        `warning: the app's database role (${roleOf(databaseUrl)}) can still create objects (${reach.creates.join(", ")}), which could shadow the app's ` +
          "own tables: have the database owned by DATABASE_OWNER_URL's role, or revoke these as a superuser (README, Database roles)",
      );
    }
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
  }

  return {
    databaseUrl,
    ownerUrl,
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
