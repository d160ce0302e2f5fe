/** The audit trail. */
import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { actionGroupSql } from "./audit-groups";

export const actorType = pgEnum("actor_type", ["user", "api_client", "system"]);

/** Append-only (a trigger refuses UPDATE and DELETE). Written in the same transaction as the change it records. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull().defaultNow(),
    actorType: actorType("actor_type").notNull(),
    actorId: text("actor_id"),
    /** display name of the actor at the time (e-mail, API client name, "system") */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    /** what changed and why; never PHI beyond ids */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    /** the /audit action group (db/schema/audit-groups.ts), computed by PostgreSQL from action and details */
    actionGroup: text("action_group").notNull().generatedAlwaysAs(sql.raw(actionGroupSql())),
    /** the agency of the referral request the event is about, filled on insert by a trigger (migration 0011) */
    agencyOrgId: text("agency_org_id"),
  },
  (t) => [
    index("audit_events_entity").on(t.entityType, t.entityId, t.at),
    // The audit workspace pages newest first by (at, id), each filter through its own index.
    index("audit_events_at").on(t.at, t.id),
    index("audit_events_actor").on(t.actorId, t.at, t.id),
    index("audit_events_group").on(t.actionGroup, t.at, t.id),
    index("audit_events_agency")
      .on(t.agencyOrgId, t.at, t.id)
      .where(sql`agency_org_id is not null`),
  ],
);
export type AuditEvent = typeof auditEvents.$inferSelect;
