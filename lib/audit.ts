import { auditEvents } from "../db/schema";
import type { Db, TxDb } from "./db";

export type Actor =
  | { type: "user"; id: string; label: string }
  | { type: "api_client"; id: string; label: string }
  | { type: "system"; id?: undefined; label: string };

export type SystemActor = Extract<Actor, { type: "system" }>;
export const systemActor = (label = "system"): SystemActor => ({ type: "system", label });

/** Always called with the transaction that makes the change, so the record and the change commit together. */
export async function recordAudit(
  tx: TxDb | Db,
  e: { actor: Actor; action: string; entityType: string; entityId?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: e.actor.type,
    actorId: e.actor.id ?? null,
    actorLabel: e.actor.label,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    details: e.details ?? {},
  });
}
