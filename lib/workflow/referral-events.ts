/**
 * Which of a referral's audit events a reader asks for: its changes (the status timeline, and what
 * a conflict names as the last change) or its reads (views of the page and its files), which are
 * listed apart. No "server-only": the transition path reads it too.
 */
import { and, eq, inArray, notInArray, type SQL } from "drizzle-orm";
import { auditEvents } from "../../db/schema";

/** Reads, listed apart from the status timeline (for audit:read holders). */
export const VIEW_ACTIONS = ["referral.viewed", "referral.file_viewed", "referral.file_downloaded"];

/** The condition on audit_events for one referral's changes, or (`"views"`) its reads. */
export function referralEvents(referralId: string, which: "changes" | "views"): SQL | undefined {
  return and(
    eq(auditEvents.entityType, "referral_request"),
    eq(auditEvents.entityId, referralId),
    which === "views" ? inArray(auditEvents.action, VIEW_ACTIONS) : notInArray(auditEvents.action, VIEW_ACTIONS),
  );
}
