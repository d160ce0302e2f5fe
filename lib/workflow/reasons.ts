/**
 * The reasons an admin keeps (db/schema: decision_reasons): a rejection's reason, an update's
 * reasons. No "server-only": approvals and updates check their reasons in plain Node processes too.
 */
import { and, asc, eq } from "drizzle-orm";
import { decisionReasons } from "../../db/schema";
import type { TxDb } from "../db";

/** Active reasons of one kind (rejection by default), in the admin's order. */
export async function listActiveReasons(
  db: TxDb,
  kind: "rejection" | "update" = "rejection",
): Promise<Array<{ code: string; label: string }>> {
  return db
    .select({ code: decisionReasons.code, label: decisionReasons.label })
    .from(decisionReasons)
    .where(and(eq(decisionReasons.active, true), eq(decisionReasons.kind, kind)))
    .orderBy(asc(decisionReasons.sort), asc(decisionReasons.label));
}
