import type { SQL } from "drizzle-orm";
import { auditEvents } from "../../db/schema";
import { actorId, actorLabel, type AnyActor } from "../auth/actors";
import type { Db, TxDb } from "../db";

export { systemActor, type AnyActor, type SystemActor } from "../auth/actors";

export type AuditEntry = { actor: AnyActor; action: string; entityType: string; entityId?: string | null; details?: Record<string, unknown> };

/** The insert of an audit record, as a statement to run alone or with the change it records (a CTE). */
export function auditInsert(tx: TxDb | Db, e: AuditEntry): SQL {
  return tx
    .insert(auditEvents)
    .values({
      actorType: e.actor.type,
      actorId: actorId(e.actor),
      actorLabel: actorLabel(e.actor),
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      details: e.details ?? {},
    })
    .getSQL();
}

/** Always called with the transaction that makes the change, so the record and the change commit together. */
export async function recordAudit(tx: TxDb | Db, e: AuditEntry): Promise<void> {
  await tx.execute(auditInsert(tx, e));
}
