/**
 * The referral page's previous / next (and j / k): the requests just before and after one among
 * those of its status, in the order its queue tab opens in (lib/validations/queue-view.ts
 * defaultSort): by SLA due time for the statuses an SLA runs in (new, in review, pending
 * information), newest first for the others.
 */
import { sql } from "drizzle-orm";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { SLA_STATUSES } from "../validations/queue-view";

const slaList = sql.raw(SLA_STATUSES.map((s) => `'${s}'`).join(", "));

/**
 * getNeighbours' statement. The request's values come in as scalar subqueries (parameters of the
 * probes), not a join: joined, PostgreSQL walked the whole received_at index to find nothing
 * newer than the newest request (1.1 s at a million rows); as parameters they are the index
 * condition of (status, received_at, id) or (status, sla_due_at, id) (under 1 ms). CASE runs
 * only the pair of probes of the request's order.
 */
export const neighboursSql = (id: string) => sql`
  with me as (select id, status, received_at, sla_due_at from referral_requests where id = ${id})
  select
    case when (select status from me) in (${slaList}) then
      (select r.id from referral_requests r where r.status = (select status from me) and (r.sla_due_at, r.id) > ((select sla_due_at from me), (select id from me))
        order by r.sla_due_at asc, r.id asc limit 1)
    else
      (select r.id from referral_requests r where r.status = (select status from me) and (r.received_at, r.id) < ((select received_at from me), (select id from me))
        order by r.received_at desc, r.id desc limit 1)
    end as next,
    case when (select status from me) in (${slaList}) then
      (select r.id from referral_requests r where r.status = (select status from me) and (r.sla_due_at, r.id) < ((select sla_due_at from me), (select id from me))
        order by r.sla_due_at desc, r.id desc limit 1)
    else
      (select r.id from referral_requests r where r.status = (select status from me) and (r.received_at, r.id) > ((select received_at from me), (select id from me))
        order by r.received_at asc, r.id asc limit 1)
    end as previous`;

/** The requests before and after one, in its queue tab's default order. */
export async function getNeighbours(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ next: string | null; previous: string | null }> {
  assertScope(actor, "referral:read");
  const res = await db.execute<{ next: string | null; previous: string | null }>(neighboursSql(id));
  return res.rows[0] ?? { next: null, previous: null };
}
