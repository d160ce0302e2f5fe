/** Reference data: every page loaded from the sandbox, cached in the app database, CSI group required. */
import { randomBytes } from "node:crypto";
import { getTableConfig } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as accloudSchema from "../../db/schema/accloud";
import { AccloudError } from "./errors";
import { getReferenceData, refreshReferenceData, ReferenceDataError } from "./reference-data";
import { CSI_GROUP_ID, GEM_CITY_SUPPLIER_ID } from "./sandbox/seed";
import { startTestSandbox, type TestSandbox } from "../../test/support/sandbox";

/** drizzle over the test schema's pool, or over one connection of it. */
const on = (c: pg.Pool | pg.PoolClient) => drizzle(c);

/**
 * SQL equivalent of db/schema/accloud.ts, used until the lead's migration exists. The tables live
 * in a schema of this file's own (search_path), so other test files never see or race them.
 */
const DDL = `
create table if not exists accloud_groups (
  id integer primary key, name text not null, description text, is_disabled boolean not null default false,
  branch_id integer, branch_name text, refreshed_at timestamptz not null default now());
create table if not exists accloud_funders (
  id integer primary key, external_id text, name text not null, code text, type text, status text, organization text,
  organization_code text, branch_id integer, branch_name text, refreshed_at timestamptz not null default now());
create table if not exists accloud_service_codes (
  id integer primary key, name text not null, branch_id integer, branch_name text, refreshed_at timestamptz not null default now());
create table if not exists accloud_suppliers (
  id uuid primary key, name text not null, refreshed_at timestamptz not null default now());
create table if not exists accloud_reference_refreshes (
  id bigserial primary key, started_at timestamptz not null, refreshed_at timestamptz not null default now(),
  status text not null, error text, csi_group_id integer, counts jsonb);
create index if not exists accloud_reference_refreshes_refreshed_at on accloud_reference_refreshes (refreshed_at);
`;

const schema = `reftest_${randomBytes(5).toString("hex")}`;
let pool: pg.Pool;
let t: TestSandbox;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${schema}` });
  await pool.query(DDL);
  // The audit table as migrated (columns, defaults, checks), in this schema too.
  await pool.query("create table audit_events (like public.audit_events including all)");
  // A small page size makes the refresh walk several pages of every list.
  t = await startTestSandbox({ options: { maxPageSize: 2 } });
});
beforeEach(async () => {
  await pool.query(
    "truncate accloud_groups, accloud_funders, accloud_service_codes, accloud_suppliers, accloud_reference_refreshes, audit_events",
  );
  await t.control.reset();
  await t.control.setRules({ maxPageSize: 2 });
});
afterAll(async () => {
  await t?.close();
  await pool?.end();
});

describe("refreshReferenceData", () => {
  /** A refresh from the file's sandbox into its schema, CSI's group and HQ as in production, unless `over` says otherwise. */
  const refresh = (over: Partial<Parameters<typeof refreshReferenceData>[0]> = {}) =>
    refreshReferenceData({ db: on(pool), client: t.client, csiGroupName: "CSI", hqBranchId: 1000, ...over });
  it("the test DDL matches db/schema/accloud.ts", async () => {
    const tables = Object.values(accloudSchema).filter(
      (v) => typeof v === "object" && v !== null && Symbol.for("drizzle:IsDrizzleTable") in v,
    );
    expect(tables).toHaveLength(5);
    for (const table of tables) {
      const config = getTableConfig(table as Parameters<typeof getTableConfig>[0]);
      const cols = await pool.query<{ column_name: string; is_nullable: string }>(
        "select column_name, is_nullable from information_schema.columns where table_schema = $1 and table_name = $2 order by column_name",
        [schema, config.name],
      );
      expect(cols.rows.map((c) => [c.column_name, c.is_nullable === "NO"])).toEqual(
        config.columns.map((c) => [c.name, c.notNull]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
    }
  });

  it("loads every page of the four lists and caches them, with the CSI group", async () => {
    const data = await refresh();
    expect(data.groups).toHaveLength(6);
    expect(data.funders).toHaveLength(5);
    expect(data.serviceCodes).toHaveLength(5);
    expect(data.suppliers).toHaveLength(3);
    expect(data.csiGroup).toMatchObject({ id: CSI_GROUP_ID, name: "CSI", branchId: 1000, isDisabled: false });
    expect(data.suppliers.find((s) => s.id === GEM_CITY_SUPPLIER_ID)?.name).toBe("Gem City Home Care");
    expect(data.funders.find((f) => f.id === 9)).toMatchObject({ externalId: "CSI-OPTIONCARE", status: "enabled" });
    expect(data.lastRefresh).toMatchObject({
      status: "ok",
      csiGroupId: CSI_GROUP_ID,
      counts: { groups: 6, funders: 5, serviceCodes: 5, suppliers: 3 },
    });
    const calls = await t.control.calls();
    expect(calls.filter((c) => c.route === "/ext/api/v2/patients/groups").length).toBe(3);

    const cached = await getReferenceData(on(pool));
    expect(cached.csiGroup?.id).toBe(CSI_GROUP_ID);
    expect(cached.serviceCodes.map((c) => c.name)).toEqual([
      "Home Health Aide",
      "Infusion Nursing",
      "OT",
      "PT",
      "Skilled Nursing",
    ]);
  });

  it("an admin's refresh writes its audit record in the refresh's transaction; a failed one writes none", async () => {
    const actor = { type: "user" as const, id: "00000000-0000-4000-8000-0000000000ad", email: "admin@demo.test" };
    await refresh({ actor });
    const audits = await pool.query(
      "select actor_type, actor_id, actor_label, action, entity_type, details from audit_events",
    );
    expect(audits.rows).toEqual([
      {
        actor_type: "user",
        actor_id: actor.id,
        actor_label: actor.email,
        action: "accloud.reference_refreshed",
        entity_type: "accloud_reference",
        details: { csiGroupId: CSI_GROUP_ID, funders: 5, serviceCodes: 5, suppliers: 3 },
      },
    ]);
    await refresh({ csiGroupName: "no such group", actor }).catch(() => undefined);
    expect((await pool.query("select count(*)::int as n from audit_events")).rows[0].n).toBe(1);
  });

  it("mirrors ACCloud: cached rows ACCloud no longer has are removed; works on one connection", async () => {
    await pool.query("insert into accloud_funders (id, name) values (777, 'Gone Payor')");
    const conn = await pool.connect();
    try {
      const data = await refresh({ db: on(conn) });
      expect(data.funders.map((f) => f.id)).not.toContain(777);
    } finally {
      conn.release();
    }
  });

  it("fails loudly when the CSI group is missing, records the failure, keeps the old cache", async () => {
    await refresh();
    const err = await refresh({ csiGroupName: "csi" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReferenceDataError);
    expect((err as Error).message).toBe(
      `ACCloud has no enabled client group named "csi" (checked 6 groups at ${t.url}). Every client CSI creates must be put in it, ` +
        `or HQ coordinators cannot see the client (contract §3.1). Create the group in ACCloud, or set ACCLOUD_CSI_GROUP_NAME to its exact name. ` +
        `Similar: "CSI" (id 1008).`,
    );
    const data = await getReferenceData(on(pool));
    expect(data.lastRefresh).toMatchObject({
      status: "failed",
      error: expect.stringContaining("ReferenceDataError: ACCloud has no enabled client group"),
    });
    expect(data.lastSuccessfulRefresh?.status).toBe("ok");
    expect(data.csiGroup?.id).toBe(CSI_GROUP_ID);
    expect(data.groups).toHaveLength(6);
  });

  it("records an unreachable ACCloud and rethrows the retryable client error", async () => {
    await t.control.addFault({ path: "/ext/api/v2/accounting/funders", kind: "status", status: 503, times: "always" });
    const err = await refresh().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccloudError);
    expect((err as AccloudError).retryable).toBe(true);
    const data = await getReferenceData(on(pool));
    expect(data.lastRefresh?.status).toBe("failed");
    expect(data.groups).toEqual([]);
  });
});
