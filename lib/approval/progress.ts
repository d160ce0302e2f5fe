/**
 * What the page reads of an approval's push: its live progress (the referral's status and the
 * latest push, step by step) and the latest approval revision.
 */
import { desc, eq } from "drizzle-orm";
import { approvalRevisions, pushes, referralRequests, type PushStepState } from "../../db/schema";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import { type Db } from "../db";
import { stepNamesOf } from "./push-steps";

export type PushProgress = {
  referralStatus: string;
  version: number;
  push: null | {
    id: string;
    kind: "approve" | "update" | "cancel" | "documents";
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    finishedAt: string | null;
    steps: Array<{ name: string } & PushStepState>;
  };
};

export async function getPushProgress(db: Db, actor: Actor, referralId: string): Promise<PushProgress | null> {
  assertScope(actor, "referral:read");
  // The referral with its newest push (none yet: a null push), in one statement.
  const [row] = await db
    .select({ status: referralRequests.status, version: referralRequests.version, push: pushes })
    .from(referralRequests)
    .leftJoin(pushes, eq(pushes.referralRequestId, referralRequests.id))
    .where(eq(referralRequests.id, referralId))
    .orderBy(desc(pushes.createdAt))
    .limit(1);
  if (!row) return null;
  const { push } = row;
  return {
    referralStatus: row.status,
    version: row.version,
    push: push
      ? {
          id: push.id,
          kind: push.kind,
          status: push.status,
          attempts: push.attempts,
          lastError: push.lastError,
          createdAt: push.createdAt.toISOString(),
          finishedAt: push.finishedAt?.toISOString() ?? null,
          steps: stepNamesOf(push.kind).map((name) => ({
            name,
            ...(push.steps[name] ?? { status: "waiting", attempts: 0 }),
          })),
        }
      : null,
  };
}

/** The draft, or else the latest revision that counts (approved: the one a retry would send). */
export async function getLatestApproval(db: Db, referralId: string) {
  const [rev] = await db
    .select()
    .from(approvalRevisions)
    .where(eq(approvalRevisions.referralRequestId, referralId))
    .orderBy(desc(approvalRevisions.revision))
    .limit(1);
  return rev ?? null;
}
