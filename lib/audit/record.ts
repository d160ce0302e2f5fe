import { auditEvents } from "../../db/schema";
import { actorId, actorLabel, type AnyActor } from "../auth/actors";
import type { Db, TxDb } from "../db";

export { systemActor, type AnyActor, type SystemActor } from "../auth/actors";

/** Always called with the transaction that makes the change, so the record and the change commit together. */
export async function recordAudit(
  tx: TxDb | Db,
  e: { actor: AnyActor; action: string; entityType: string; entityId?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: e.actor.type,
    actorId: actorId(e.actor),
    actorLabel: actorLabel(e.actor),
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    details: e.details ?? {},
  });
}
