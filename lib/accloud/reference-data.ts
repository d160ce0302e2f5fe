/**
 * ACCloud reference data (groups, funders, scheduler service codes, trusted network) loaded from
 * every page and cached in the app database. The group named ACCLOUD_CSI_GROUP_NAME must exist:
 * every client CSI creates carries it, so its absence stops the refresh with a loud error.
 */
import { desc, eq, getTableColumns, notInArray, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import {
  accloudFunders,
  accloudGroups,
  accloudReferenceRefreshes,
  accloudServiceCodes,
  accloudSuppliers,
  type AccloudFunder,
  type AccloudGroup,
  type AccloudReferenceRefresh,
  type AccloudServiceCode,
  type AccloudSupplier,
} from "../../db/schema/accloud";
import { recordAudit } from "../audit/record";
import { type AnyActor as Actor } from "../access/actors";
import type { TxDb } from "../db";

type Tx = Parameters<Parameters<TxDb["transaction"]>[0]>[0];
import { getEnv } from "../env";
import type { AccloudClient } from "./client";
import type { TFunder, TGroup, TServiceCode, TSupplier } from "./schemas";

export class ReferenceDataError extends Error {
  override readonly name = "ReferenceDataError";
}

export type ReferenceData = {
  groups: AccloudGroup[];
  funders: AccloudFunder[];
  serviceCodes: AccloudServiceCode[];
  suppliers: AccloudSupplier[];
  /** The group found by the last successful refresh; null before any. */
  csiGroup: AccloudGroup | null;
  /** The latest attempt, successful or not. */
  lastRefresh: AccloudReferenceRefresh | null;
  lastSuccessfulRefresh: AccloudReferenceRefresh | null;
};

export type RefreshOptions = {
  db: TxDb;
  client: AccloudClient;
  /** Default ACCLOUD_CSI_GROUP_NAME. */
  csiGroupName?: string;
  /** Preferred branch when several groups carry the name; default ACCLOUD_HQ_BRANCH_ID. */
  hqBranchId?: number;
  now?: () => Date;
  /** Who asked (an admin's "Refresh now"): recorded in the audit trail in the refresh's transaction. */
  actor?: Actor;
};

/** Finds the one enabled group with the configured name, preferring the HQ branch. */
function findCsiGroup(groups: TGroup[], name: string, hqBranchId: number, source: string): TGroup {
  const named = groups.filter((g) => g.name.trim() === name);
  const enabled = named.filter((g) => !g.is_disabled);
  const inHq = enabled.filter((g) => g.branch?.id === hqBranchId);
  const pick = inHq.length === 1 ? inHq : enabled;
  if (pick.length === 1) return pick[0]!;
  if (pick.length > 1) {
    throw new ReferenceDataError(
      `ACCloud has ${pick.length} enabled client groups named "${name}" (ids ${pick.map((g) => g.id).join(", ")}) at ${source}, ` +
        `none of them alone in HQ branch ${hqBranchId}. Disable the extra ones in ACCloud so clients land in the right group.`,
    );
  }
  const similar = groups
    .filter((g) => g.name.trim().toLowerCase() === name.toLowerCase() || (named.includes(g) && g.is_disabled))
    .map((g) => `"${g.name}" (id ${g.id}${g.is_disabled ? ", disabled" : ""})`);
  throw new ReferenceDataError(
    `ACCloud has no enabled client group named "${name}" (checked ${groups.length} groups at ${source}). ` +
      `Every client CSI creates must be put in it, or HQ coordinators cannot see the client (contract §3.1). ` +
      `Create the group in ACCloud, or set ACCLOUD_CSI_GROUP_NAME to its exact name.` +
      (similar.length ? ` Similar: ${similar.join(", ")}.` : ""),
  );
}

type Items = { groups: TGroup; funders: TFunder; serviceCodes: TServiceCode; suppliers: TSupplier };
type Kind = keyof Items;
type Row = { id: number | string; [column: string]: unknown };
type MirroredTable =
  typeof accloudGroups | typeof accloudFunders | typeof accloudServiceCodes | typeof accloudSuppliers;

const branchOf = (item: { branch?: { id?: number | null; name?: string | null } | null }) => ({
  branchId: item.branch?.id ?? null,
  branchName: item.branch?.name ?? null,
});

const groupRow = (g: TGroup): Omit<AccloudGroup, "refreshedAt"> => ({
  id: g.id,
  name: g.name,
  description: g.description ?? null,
  isDisabled: g.is_disabled ?? false,
  ...branchOf(g),
});

const funderRow = (f: TFunder): Omit<AccloudFunder, "refreshedAt"> => ({
  id: f.id,
  externalId: f.external_id ?? null,
  name: f.name,
  code: f.code ?? null,
  type: f.type ?? null,
  status: f.status ?? null,
  organization: f.organization ?? null,
  organizationCode: f.organization_code ?? null,
  ...branchOf(f),
});

const serviceCodeRow = (c: TServiceCode): Omit<AccloudServiceCode, "refreshedAt"> => ({
  id: c.id,
  name: c.name,
  ...branchOf(c),
});

const supplierRow = (s: TSupplier): Omit<AccloudSupplier, "refreshedAt"> => ({ id: s.id.toLowerCase(), name: s.name });

/** The four cached lists: where ACCloud has each (every page) and how an item becomes a row of its table. */
const KINDS: {
  [K in Kind]: {
    table: MirroredTable;
    load: (client: AccloudClient) => Promise<Items[K][]>;
    row: (item: Items[K]) => Row;
  };
} = {
  groups: { table: accloudGroups, load: (client) => client.listAllGroups(), row: groupRow },
  funders: { table: accloudFunders, load: (client) => client.listAllFunders(), row: funderRow },
  serviceCodes: { table: accloudServiceCodes, load: (client) => client.listAllServiceCodes(), row: serviceCodeRow },
  suppliers: { table: accloudSuppliers, load: (client) => client.listAllTrustedNetwork(), row: supplierRow },
};
const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** Makes one cached list ACCloud's: rows it no longer has are deleted, the others inserted or updated in place. */
async function mirror<K extends Kind>(tx: Tx, kind: K, items: Items[K][], refreshedAt: Date): Promise<number> {
  const { table } = KINDS[kind];
  const rows = items.map((item) => ({ ...KINDS[kind].row(item), refreshedAt }));
  await tx.delete(table).where(
    notInArray(
      table.id,
      rows.map((r) => r.id),
    ),
  );
  if (rows.length === 0) return 0;
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const set = Object.fromEntries(
    Object.keys(rows[0]!)
      .filter((key) => key !== "id")
      .map((key) => [key, sql`excluded.${sql.identifier(columns[key]!.name)}`]),
  );
  await tx
    .insert(table)
    .values(rows as (typeof table.$inferInsert)[])
    .onConflictDoUpdate({ target: table.id, set });
  return rows.length;
}

export async function refreshReferenceData(opts: RefreshOptions): Promise<ReferenceData> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const csiGroupName = opts.csiGroupName ?? getEnv().ACCLOUD_CSI_GROUP_NAME;
  const hqBranchId = opts.hqBranchId ?? getEnv().ACCLOUD_HQ_BRANCH_ID;
  const d = opts.db;
  try {
    const loaded = await Promise.all(KIND_NAMES.map((kind) => KINDS[kind].load(opts.client)));
    const lists = Object.fromEntries(KIND_NAMES.map((kind, i) => [kind, loaded[i]])) as { [K in Kind]: Items[K][] };
    const csiGroup = findCsiGroup(lists.groups, csiGroupName, hqBranchId, opts.client.baseUrl);
    const refreshedAt = now();

    await d.transaction(async (tx) => {
      // Two app instances refreshing at once would interleave their deletes and upserts.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('accloud-reference-refresh'))`);
      const counts = { groups: 0, funders: 0, serviceCodes: 0, suppliers: 0 };
      for (const kind of KIND_NAMES) counts[kind] = await mirror(tx, kind, lists[kind], refreshedAt);

      await tx
        .insert(accloudReferenceRefreshes)
        .values({ startedAt, refreshedAt, status: "ok", csiGroupId: csiGroup.id, counts });
      if (opts.actor) {
        await recordAudit(tx, {
          actor: opts.actor,
          action: "accloud.reference_refreshed",
          entityType: "accloud_reference",
          details: {
            csiGroupId: csiGroup.id,
            funders: counts.funders,
            serviceCodes: counts.serviceCodes,
            suppliers: counts.suppliers,
          },
        });
      }
    });
  } catch (err) {
    // The failure is recorded (the cache itself is left as it was) and rethrown for the caller.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    await d
      .insert(accloudReferenceRefreshes)
      .values({ startedAt, refreshedAt: now(), status: "failed", error: message.slice(0, 2000) })
      .catch(() => {});
    throw err;
  }
  return getReferenceData(opts.db);
}

export async function getReferenceData(d: TxDb): Promise<ReferenceData> {
  // One after the other: a PoolClient cannot run queries concurrently.
  const groups = await d.select().from(accloudGroups).orderBy(accloudGroups.name, accloudGroups.id);
  const funders = await d.select().from(accloudFunders).orderBy(accloudFunders.name, accloudFunders.id);
  const serviceCodes = await d
    .select()
    .from(accloudServiceCodes)
    .orderBy(accloudServiceCodes.name, accloudServiceCodes.id);
  const suppliers = await d.select().from(accloudSuppliers).orderBy(accloudSuppliers.name, accloudSuppliers.id);
  const last = await d.select().from(accloudReferenceRefreshes).orderBy(desc(accloudReferenceRefreshes.id)).limit(1);
  const lastOk = await d
    .select()
    .from(accloudReferenceRefreshes)
    .where(eq(accloudReferenceRefreshes.status, "ok"))
    .orderBy(desc(accloudReferenceRefreshes.id))
    .limit(1);
  const lastSuccessfulRefresh = lastOk[0] ?? null;
  const csiGroupId = lastSuccessfulRefresh?.csiGroupId ?? null;
  return {
    groups,
    funders,
    serviceCodes,
    suppliers,
    csiGroup: csiGroupId === null ? null : (groups.find((g) => g.id === csiGroupId) ?? null),
    lastRefresh: last[0] ?? null,
    lastSuccessfulRefresh,
  };
}
