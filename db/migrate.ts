import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import path from "node:path";
import pg from "pg";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** The role a connection URL logs in as. */
export const roleOf = (url: string) => decodeURIComponent(new URL(url).username);

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Applies drizzle-kit's migrations; safe to run from several processes at once (advisory lock).
 * Run as the role that owns the schema. With `appRole` (the role the app connects as, when it is
 * another), `ownerSetUp` then makes, as the owner, what the app would otherwise create at run time
 * (the job queue's schema and queues), and the app's role is given what the app needs and no more
 * (grantAppRole).
 */
export async function runMigrations(
  databaseUrl: string,
  opts: { appRole?: string; ownerSetUp?: (ownerUrl: string) => Promise<void> } = {},
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727274001)");
    await migrate(drizzle(client), { migrationsFolder });
    if (opts.appRole && opts.appRole !== roleOf(databaseUrl)) {
      await takeOverAppRoleObjects(client, opts.appRole);
      await opts.ownerSetUp?.(databaseUrl);
      await grantAppRole(client, opts.appRole);
    }
  } finally {
    await client.query("select pg_advisory_unlock(727274001)").catch(() => {});
    await client.end();
  }
}

/**
 * The audit_events columns the app may not write: the database numbers and times every record
 * (and fills the agency from the request), so the app cannot back-date one or choose its place.
 */
export const AUDIT_COLUMNS_SET_BY_DATABASE = ["id", "at", "agency_org_id"] as const;

/**
 * Before the app's role lost CREATE it made the job queue's schema and the sandbox's at run time,
 * and owned them. The owner takes such objects over when it may (a superuser: the embedded
 * PostgreSQL); otherwise they stay, and the launcher's warning says so (lib/runtime/boot.ts).
 */
async function takeOverAppRoleObjects(client: pg.Client, appRole: string): Promise<void> {
  const owned = await client.query(
    `select 1 from pg_namespace where nspowner = (select oid from pg_roles where rolname = $1)`,
    [appRole],
  );
  if (!owned.rowCount) return;
  await client.query(`reassign owned by ${ident(appRole)} to current_user`).catch(() => {});
}

/**
 * The app role's privileges, granted by the owner after every migration (idempotent):
 *  - CONNECT on the database, and no CREATE on it or on any schema, nor TEMPORARY (a temporary
 *    table is searched before `public` and would shadow a table of the same name for the rest of
 *    its connection): it can make no object that an unqualified name could reach instead of the
 *    app's own. (PUBLIC loses CREATE on `public` and TEMPORARY on the database: the app's role
 *    would otherwise have them through PUBLIC.)
 *  - SELECT, INSERT, UPDATE and DELETE on the tables, except audit_events, which it may only read
 *    and append to, naming neither id nor time (AUDIT_COLUMNS_SET_BY_DATABASE); its id sequence
 *    it may use but not set (setval needs UPDATE). Owning nothing, it can neither change nor drop
 *    the audit trail's trigger.
 *  - the same rows-only access to the schemas the owner made for it (the job queue's), and read
 *    access to the migrations table (/api/health).
 * In one transaction: a privilege revoked and granted again (a table-level REVOKE also takes the
 * column privileges away) is never missing for the app's processes already running, which go on
 * working while another process starts and migrates.
 */
export async function grantAppRole(client: pg.Client, appRole: string): Promise<void> {
  await client.query("begin");
  try {
    await grantAppRoleInTransaction(client, appRole);
    await client.query("commit");
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  }
}

async function grantAppRoleInTransaction(client: pg.Client, appRole: string): Promise<void> {
  const role = ident(appRole);
  const database = ident((await client.query<{ db: string }>("select current_database() as db")).rows[0]!.db);
  await client.query(`grant connect on database ${database} to ${role}`);
  await client.query(`revoke create, temporary on database ${database} from ${role}`);
  // Without the grant option (the owner does not own the database) these only warn: the launcher's check then names what is left.
  await client.query(`revoke temporary on database ${database} from public`);
  await client.query(`revoke create on schema public from public`);
  await client.query(`revoke create on schema public from ${role}`);
  await client.query(`grant usage on schema public to ${role}`);
  await client.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
  await client.query(`grant usage, select, update on all sequences in schema public to ${role}`);
  await client.query(`grant execute on all functions in schema public to ${role}`);
  // Tables the owner creates later (a new migration before its grants, a benchmark's table) too.
  await client.query(
    `alter default privileges in schema public grant select, insert, update, delete on tables to ${role}`,
  );
  await client.query(`alter default privileges in schema public grant usage, select, update on sequences to ${role}`);
  await client.query(`revoke insert, update, delete, truncate, references, trigger on audit_events from ${role}`);
  await client.query(`revoke update, delete, truncate on audit_events from public`);
  const appendable = await client.query<{ name: string }>(
    `select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = 'audit_events' and is_generated = 'NEVER' and column_name <> all($1::text[])
      order by ordinal_position`,
    [AUDIT_COLUMNS_SET_BY_DATABASE],
  );
  await client.query(
    `grant insert (${appendable.rows.map((c) => ident(c.name)).join(", ")}) on audit_events to ${role}`,
  );
  await client.query(`revoke update on sequence audit_events_id_seq from ${role}`);
  await client.query(`grant usage on schema drizzle to ${role}`);
  await client.query(`grant select on all tables in schema drizzle to ${role}`);
  // The owner's other schemas: the job queue's (made by ownerSetUp), the sandbox's, and ones the owner took over.
  const runtimeSchemas = await client.query<{ name: string }>(
    `select nspname as name from pg_namespace
      where nspowner = (select oid from pg_roles where rolname = current_user)
        and nspname not in ('public', 'drizzle', 'information_schema') and nspname not like 'pg\\_%'`,
  );
  for (const { name } of runtimeSchemas.rows) {
    const schema = ident(name);
    await client.query(`revoke create on schema ${schema} from ${role}`);
    await client.query(`grant usage on schema ${schema} to ${role}`);
    await client.query(`revoke all on all tables in schema ${schema} from ${role}`);
    await client.query(`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`);
    await client.query(`grant usage, select on all sequences in schema ${schema} to ${role}`);
    await client.query(`grant execute on all functions in schema ${schema} to ${role}`);
  }
}
