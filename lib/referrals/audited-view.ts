/**
 * A read of a referral's PHI is audited as a view of the referral (the page, or one part of it read
 * on its own: the checks, the draft). Not server-only: the readers that call it run in plain Node too.
 */
import { recordAudit } from "../audit/record";
import type { Actor } from "../access/actors";
import type { Db } from "../db";

/** Records that `actor` viewed the referral (`view` names the part read on its own, if any). */
export function recordReferralView(db: Db, actor: Actor, referralId: string, view?: string): Promise<void> {
  return recordAudit(db, {
    actor,
    action: "referral.viewed",
    entityType: "referral_request",
    entityId: referralId,
    details: view ? { view } : undefined,
  });
}
