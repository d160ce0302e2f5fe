import { sql, type SQL } from "drizzle-orm";
import { auditEvents } from "../../db/schema";
import { actorId, actorLabel, type AnyActor } from "../access/actors";
import type { Db, TxDb } from "../db";
import { RETIRED_KEYS } from "./free-text";

export type AuditEntry = {
  actor: AnyActor;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
};

/** The insert of an audit record, as a statement to run alone or with the change it records (a CTE). */
export function auditInsert(_tx: TxDb | Db, e: AuditEntry): SQL {
  // ACCloud's messages can quote the client: no record keeps one (lib/audit/free-text.ts).
  const retired = Object.keys(e.details ?? {}).filter((k) => RETIRED_KEYS.has(k));
  if (retired.length) throw new Error(`audit details of ${e.action} may not carry ${retired.join(", ")}`);
  // Only the columns the app's role may write (db/migrate.ts): the database numbers and times the
  // record (id, at) and fills its agency. drizzle's insert would name every column, as DEFAULT.
  return sql`insert into ${auditEvents} (actor_type, actor_id, actor_label, action, entity_type, entity_id, details)
    values (${e.actor.type}, ${actorId(e.actor)}, ${actorLabel(e.actor)}, ${e.action}, ${e.entityType}, ${e.entityId ?? null}, ${JSON.stringify(e.details ?? {})}::jsonb)`;
}

/** Always called with the transaction that makes the change, so the record and the change commit together. */
export async function recordAudit(tx: TxDb | Db, e: AuditEntry): Promise<void> {
  await tx.execute(auditInsert(tx, e));
}
