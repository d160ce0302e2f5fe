/** Settings (admin:settings): the coded reasons (rejections, and updates of sent referrals). */
import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { decisionReasons, type DecisionReason } from "../../db/schema";

type ReasonKind = DecisionReason["kind"];
import { recordAudit } from "../audit/record";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db, TxDb } from "../db";
import type { ActionResult } from "../validations/action-result";

export async function listReasons(db: Db, actor: Actor): Promise<DecisionReason[]> {
  assertScope(actor, "admin:settings");
  return db
    .select()
    .from(decisionReasons)
    .orderBy(asc(decisionReasons.kind), asc(decisionReasons.sort), asc(decisionReasons.label));
}

type ReasonKey = { kind: ReasonKind; code: string };

/** A change to the reasons, by an admin: one transaction, answering the action's result. */
function changeReasons(db: Db, actor: Actor, change: (tx: TxDb) => Promise<ActionResult>): Promise<ActionResult> {
  assertScope(actor, "admin:settings");
  return db.transaction(change);
}

function auditReason(tx: TxDb, actor: Actor, action: string, reason: ReasonKey, details: Record<string, unknown>) {
  return recordAudit(tx, {
    actor,
    action,
    entityType: "decision_reason",
    entityId: reason.code,
    details: { kind: reason.kind, ...details },
  });
}

export async function addReason(db: Db, actor: Actor, input: ReasonKey & { label: string }): Promise<ActionResult> {
  return changeReasons(db, actor, async (tx) => {
    const inserted = await tx
      .insert(decisionReasons)
      .values({
        kind: input.kind,
        code: input.code,
        label: input.label,
        sort: sql`(select coalesce(max(sort), 0) + 10 from decision_reasons where kind = ${input.kind} and sort < 1000)`,
      })
      .onConflictDoNothing()
      .returning({ code: decisionReasons.code });
    if (!inserted.length)
      return {
        status: "conflict" as const,
        fieldErrors: { code: ["This code exists already"] },
        message: "This code exists already.",
      };
    await auditReason(tx, actor, "settings.reason_added", input, { label: input.label });
    return { status: "success" as const, message: `Added “${input.label}”.` };
  });
}

export async function setReasonActive(
  db: Db,
  actor: Actor,
  input: ReasonKey & { active: boolean },
): Promise<ActionResult> {
  return changeReasons(db, actor, async (tx) => {
    const updated = await tx
      .update(decisionReasons)
      .set({ active: input.active })
      .where(and(eq(decisionReasons.kind, input.kind), eq(decisionReasons.code, input.code)))
      .returning({ code: decisionReasons.code });
    if (!updated.length) return { status: "failed" as const, message: "No such reason." };
    await auditReason(tx, actor, input.active ? "settings.reason_enabled" : "settings.reason_disabled", input, {});
    return { status: "success" as const, message: input.active ? "Reason enabled." : "Reason disabled." };
  });
}
