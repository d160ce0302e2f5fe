/**
 * The decision's columns of a referral request: set by a decision (reject, approve, an update)
 * and cleared when it is reopened. No "server-only": approvals are made in plain Node processes too.
 */
import type { SQL } from "drizzle-orm";
import type { Actor } from "../access/actors";
import type { LockedReferral } from "./transitions";

/** Who decided, when, and on which submission (the latest); an amendment waiting for an answer is answered by it. */
export const decidedBy = (actor: Actor, row: Pick<LockedReferral, "latestSubmissionId">, at: Date | SQL) => ({
  decidedById: actor.id,
  decidedAt: at,
  decidedSubmissionId: row.latestSubmissionId,
  amendedAfterDecisionAt: null,
});

/** Clears a decision and the "amended after decision" flag: the reviewer looks at the latest submission again. */
export const undecided = {
  decidedById: null,
  decidedAt: null,
  decidedSubmissionId: null,
  decisionReasonCode: null,
  decisionComment: null,
  amendedAfterDecisionAt: null,
};
