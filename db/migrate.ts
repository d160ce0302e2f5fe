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
 * another), that role is then given what the app needs and no more: SELECT, INSERT, UPDATE and
 * DELETE on the tables, except audit_events, which it may only read and append to. Owning
 * nothing, it can neither change nor drop the audit trail's trigger.
 */
export async function runMigrations(databaseUrl: string, opts: { appRole?: string } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727274001)");
    await migrate(drizzle(client), { migrationsFolder });
    if (opts.appRole && opts.appRole !== roleOf(databaseUrl)) await grantAppRole(client, opts.appRole);
  } finally {
    await client.query("select pg_advisory_unlock(727274001)").catch(() => {});
    await client.end();
  }
}

/**
 * The app role's privileges, granted by the owner after every migration (idempotent). Also:
 *  - CREATE on the database: the app makes its own schemas at run time (the job queue's
 *    JOB_QUEUE_SCHEMA, the ACCloud sandbox's), which it then owns;
 *  - such schemas made before the app had a role of its own (owned by this role) are opened to it;
 *  - the migrations table, read by /api/health.
 */
export async function grantAppRole(client: pg.Client, appRole: string): Promise<void> {
  const role = ident(appRole);
  const database = (await client.query<{ db: string }>("select current_database() as db")).rows[0]!.db;
  await client.query(`grant connect, temporary, create on database ${ident(database)} to ${role}`);
  await client.query(`grant usage on schema public to ${role}`);
  await client.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
  await client.query(`grant usage, select, update on all sequences in schema public to ${role}`);
  await client.query(`grant execute on all functions in schema public to ${role}`);
  // Tables this role creates later (a new migration before its grants, a benchmark's table) too.
  await client.query(`alter default privileges in schema public grant select, insert, update, delete on tables to ${role}`);
  await client.query(`alter default privileges in schema public grant usage, select, update on sequences to ${role}`);
  await client.query(`revoke update, delete, truncate, references, trigger on audit_events from ${role}`);
  await client.query(`revoke update, delete, truncate on audit_events from public`);
  await client.query(`grant usage on schema drizzle to ${role}`);
  await client.query(`grant select on all tables in schema drizzle to ${role}`);
  const runtimeSchemas = await client.query<{ name: string }>(
    `select nspname as name from pg_namespace
      where nspowner = (select oid from pg_roles where rolname = current_user)
        and nspname not in ('public', 'drizzle', 'information_schema') and nspname not like 'pg\\_%'`,
  );
  for (const { name } of runtimeSchemas.rows) {
    await client.query(`grant usage, create on schema ${ident(name)} to ${role}`);
    await client.query(`grant all on all tables in schema ${ident(name)} to ${role}`);
    await client.query(`grant all on all sequences in schema ${ident(name)} to ${role}`);
    await client.query(`grant execute on all functions in schema ${ident(name)} to ${role}`);
  }
}
