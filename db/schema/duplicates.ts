/**
 * Possible duplicates: pairs of referral requests that look like the same request (the same
 * client, by the agency's client id or by birthday and a close name, for the same service over
 * overlapping dates). Found when a request arrives or is amended (lib/workflow/duplicates.ts),
 * stored both ways round (one row per referral and other), so the queue and the referral page
 * read a referral's pairs by its id. A reviewer's "Not a duplicate" stamps both rows; a later
 * check never clears that mark.
 */
import { index, pgTable, primaryKey, real, text, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { referralRequests } from "./referrals";
import { users } from "./users";

/** How a pair was found: the same agency and client id, or the same birthday and a close name. */
export type DuplicateBasis = "agency_client_id" | "birthday_name";

export const referralDuplicates = pgTable(
  "referral_duplicates",
  {
    // Derived data: a request's pairs go with it.
    referralRequestId: uuid("referral_request_id")
      .notNull()
      .references(() => referralRequests.id, { onDelete: "cascade" }),
    otherId: uuid("other_id")
      .notNull()
      .references(() => referralRequests.id, { onDelete: "cascade" }),
    basis: text("basis").$type<DuplicateBasis>().notNull(),
    /** how alike the two names are (0..1, lib/draft/match.ts nameSimilarity) */
    nameScore: real("name_score").notNull(),
    /** the discipline both services name (PT, OT…), or null when it is read from the service's words */
    discipline: text("discipline"),
    foundAt: tstz("found_at").notNull().defaultNow(),
    /** a reviewer said these are not the same request: the pair is kept, and no longer shown */
    dismissedAt: tstz("dismissed_at"),
    dismissedById: uuid("dismissed_by_id").references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.referralRequestId, t.otherId] }),
    // A check removes the pairs it no longer finds from both sides.
    index("referral_duplicates_other").on(t.otherId),
  ],
);
export type ReferralDuplicate = typeof referralDuplicates.$inferSelect;
