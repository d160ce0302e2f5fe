/**
 * What the app saved of a referral in ACCloud, as its readers show it (the detail page, the
 * revision history): the referral's ids (as the referral step created it, and its latest revision)
 * and the documents attached to it.
 */
import { and, eq, inArray } from "drizzle-orm";
import { accloudLinks } from "../../db/schema";
import type { Db } from "../db";

/** The referral's links of kind referral and attachment (an attachment's key is `file:<sha256>`). */
export function readReferralLinks(db: Db, referralId: string) {
  return db
    .select({
      kind: accloudLinks.kind,
      key: accloudLinks.localKey,
      id: accloudLinks.accloudId,
      meta: accloudLinks.meta,
      pushId: accloudLinks.pushId,
    })
    .from(accloudLinks)
    .where(and(eq(accloudLinks.referralRequestId, referralId), inArray(accloudLinks.kind, ["referral", "attachment"])));
}

/** ACCloud's latest referral id: its latest revision's, else the one the referral step created (null before that step). */
export function latestReferralId(links: ReadonlyArray<{ kind: string; key: string; id: string }>): string | null {
  const referral = (key: string) => links.find((l) => l.kind === "referral" && l.key === key);
  return (referral("latest") ?? referral("referral"))?.id ?? null;
}
