/** The audit records about one user account: sign-in outcomes, single sign-on, accounts made. */
import type { AnyActor } from "../access/actors";
import { recordAudit } from "../audit/record";
import type { Db, TxDb } from "../db";

/** Records `action` on the user `userId`, in the transaction (or pool) that makes the change. */
export function recordUserAudit(
  tx: TxDb | Db,
  actor: AnyActor,
  action: string,
  userId: string,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(tx, { actor, action, entityType: "user", entityId: userId, details });
}
