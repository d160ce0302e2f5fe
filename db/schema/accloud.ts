/**
 * ACCloud reference data cached in the app database (lib/accloud/reference-data.ts): groups,
 * funders, scheduler service codes and the trusted network, plus a log of refreshes.
 * The cache mirrors ACCloud: rows gone from ACCloud are removed on the next refresh.
 */
import { bigserial, boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";

/** When a refresh wrote the row. */
const refreshedAtColumn = () => tstz("refreshed_at").notNull().defaultNow();
/** The last columns of a cached list whose items belong to an ACCloud branch: the branch, and refreshedAt. */
const branchItemColumns = () => ({
  branchId: integer("branch_id"),
  branchName: text("branch_name"),
  refreshedAt: refreshedAtColumn(),
});

export const accloudGroups = pgTable("accloud_groups", {
  /** ACCloud internal group id. */
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  description: text("description"),
  isDisabled: boolean("is_disabled").notNull().default(false),
  ...branchItemColumns(),
});
export type AccloudGroup = typeof accloudGroups.$inferSelect;

export const accloudFunders = pgTable("accloud_funders", {
  /** ACCloud internal funder id (guid_funder_breakdowns[].funder_id). */
  id: integer("id").primaryKey(),
  externalId: text("external_id"),
  name: text("name").notNull(),
  code: text("code"),
  type: text("type"),
  status: text("status"),
  organization: text("organization"),
  organizationCode: text("organization_code"),
  ...branchItemColumns(),
});
export type AccloudFunder = typeof accloudFunders.$inferSelect;

export const accloudServiceCodes = pgTable("accloud_service_codes", {
  /** Scheduler service code id (POST /services service_code_id). */
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  ...branchItemColumns(),
});
export type AccloudServiceCode = typeof accloudServiceCodes.$inferSelect;

export const accloudSuppliers = pgTable("accloud_suppliers", {
  /** Marketplace supply_persona_id (the webhook's agency.alayamarket_org_id). */
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  refreshedAt: refreshedAtColumn(),
});
export type AccloudSupplier = typeof accloudSuppliers.$inferSelect;

export const accloudReferenceRefreshes = pgTable(
  "accloud_reference_refreshes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    startedAt: tstz("started_at").notNull(),
    refreshedAt: refreshedAtColumn(),
    status: text("status").$type<"ok" | "failed">().notNull(),
    /** Why a refresh failed; never carries PHI (reference data only). */
    error: text("error"),
    /** The group named ACCLOUD_CSI_GROUP_NAME found by this refresh. */
    csiGroupId: integer("csi_group_id"),
    counts: jsonb("counts").$type<{ groups: number; funders: number; serviceCodes: number; suppliers: number }>(),
  },
  (t) => [index("accloud_reference_refreshes_refreshed_at").on(t.refreshedAt)],
);
export type AccloudReferenceRefresh = typeof accloudReferenceRefreshes.$inferSelect;
