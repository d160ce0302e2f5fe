import { sql, type SQL } from "drizzle-orm";

/**
 * A claim (assignee = the one who assigned) lapses after CLAIM_IDLE_MINUTES without activity
 * of the assignee; an assignment made by a supervisor does not lapse.
 */
export const activeAssignmentSql = (idleMinutes: number, alias = "r"): SQL =>
  sql.raw(
    `(${alias}.assignee_id is not null and (${alias}.assigned_by_id is distinct from ${alias}.assignee_id or ${alias}.claimed_at >= now() - make_interval(mins => ${Math.trunc(idleMinutes)})))`,
  );

export function isAssignmentActive(
  r: { assigneeId: string | null; assignedById: string | null; claimedAt: Date | string | null },
  idleMinutes: number,
  now = new Date(),
): boolean {
  if (!r.assigneeId) return false;
  if (r.assignedById !== r.assigneeId) return true;
  return r.claimedAt !== null && new Date(r.claimedAt).getTime() >= now.getTime() - idleMinutes * 60_000;
}
