/** The share of approvals drawn for a second review (admin setting, default 10%). */
import { eq, sql } from "drizzle-orm";
import { appSettings } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db, TxDb } from "../db";

export const SECOND_REVIEW_KEY = "second_review_percent";
export const DEFAULT_SECOND_REVIEW_PERCENT = 10;

export async function getSecondReviewPercent(db: TxDb | Db): Promise<number> {
  const [row] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, SECOND_REVIEW_KEY));
  const v = Number(row?.value);
  return Number.isFinite(v) && v >= 0 && v <= 100 ? v : DEFAULT_SECOND_REVIEW_PERCENT;
}

/** Sets the share (whole percent, 0–100); audited with the value before and after. */
export async function setSecondReviewPercent(
  db: Db,
  actor: Actor,
  percent: number,
): Promise<{ status: "success"; message: string }> {
  assertScope(actor, "admin:settings");
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new Error("percent must be a whole number from 0 to 100");
  return db.transaction(async (tx) => {
    const before = await getSecondReviewPercent(tx);
    await tx
      .insert(appSettings)
      .values({ key: SECOND_REVIEW_KEY, value: percent, updatedById: actor.id })
      .onConflictDoUpdate({
        target: appSettings.key,
        set: { value: percent, updatedById: actor.id, updatedAt: sql`now()` },
      });
    await recordAudit(tx, {
      actor: actor,
      action: "settings.second_review_percent",
      entityType: "setting",
      entityId: SECOND_REVIEW_KEY,
      details: { percent, previous: before },
    });
    return { status: "success" as const, message: `${percent}% of approvals are now drawn for a second review.` };
  });
}
