/** The audit trail for supervisors and admins (audit:read), newest first, keyset by id. */
import "server-only";
import { and, desc, eq, like, lt, type SQL } from "drizzle-orm";
import { auditEvents } from "../../db/schema";
import { assertScope, type Actor } from "../auth/scopes";
import type { Db } from "../db";

export const AUDIT_PAGE_SIZE = 100;

export type AuditRow = { id: number; at: string; actorType: string; actorLabel: string; action: string; entityType: string; entityId: string | null; details: unknown };

export async function listAuditEvents(
  db: Db,
  actor: Actor,
  input: { entityId?: string; action?: string; beforeId?: number },
): Promise<{ rows: AuditRow[]; nextBeforeId: number | null }> {
  assertScope(actor, "audit:read");
  const where: SQL[] = [];
  if (input.entityId) where.push(eq(auditEvents.entityId, input.entityId));
  if (input.action) where.push(like(auditEvents.action, `${input.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (input.beforeId) where.push(lt(auditEvents.id, input.beforeId));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return {
    rows: page.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actorType: e.actorType,
      actorLabel: e.actorLabel,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      details: e.details,
    })),
    nextBeforeId: rows.length > AUDIT_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
  };
}
