/**
 * The agency's side, read back from ACCloud: every revision of each open referral
 * (`GET …/outbox/referrals?revision_group_id=…&revisions=all`). A latest revision the agency
 * processed moves the request to "processed"; one cancelled outside this app (the agency, as CSI
 * cancels through the app) moves it to "cancelled". Both are transitions by the system actor, with
 * their audit records. Runs on a schedule (pg-boss cron, AGENCY_SYNC_MINUTES) and from the page.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { accloudLinks, pushes, referralRequests } from "../../db/schema";
import type { AccloudClient } from "../accloud/client";
import type { TReferralListItem } from "../accloud/schemas";
import { recordAudit } from "../audit/record";
import { systemActor } from "../access/actors";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { queueNotification } from "../notifications/outbox";
import { transition } from "../workflow/transitions";
import { recordRevision } from "../push/revisions";

const log = logger("sync");
const actor = systemActor("ACCloud sync");

/** Requests ACCloud may have news about: a referral was created for them and they are not closed here. */
const OPEN = ["approved", "pushing", "sent", "processed", "push_failed", "cancelling"] as const;

export type SyncOutcome = { referralId: string; revisions: number; change: "processed" | "cancelled" | null };

async function groupOf(db: Db, referralId: string): Promise<string | null> {
  const links = await db
    .select({ key: accloudLinks.localKey, meta: accloudLinks.meta })
    .from(accloudLinks)
    .where(
      and(
        eq(accloudLinks.referralRequestId, referralId),
        eq(accloudLinks.kind, "referral"),
        inArray(accloudLinks.localKey, ["latest", "referral"]),
      ),
    );
  const link = links.find((l) => l.key === "latest") ?? links.find((l) => l.key === "referral");
  return ((link?.meta as { revisionGroupId?: string } | undefined)?.revisionGroupId as string | undefined) ?? null;
}

/** Reads one referral's revisions from ACCloud and reflects what the agency did. */
export async function syncReferral(db: Db, client: AccloudClient, referralId: string): Promise<SyncOutcome> {
  const group = await groupOf(db, referralId);
  if (!group) return { referralId, revisions: 0, change: null };
  const revisions: TReferralListItem[] = await client.listAllReferrals({ revision_group_id: group, revisions: "all" });
  if (!revisions.length) return { referralId, revisions: 0, change: null };
  const latest = revisions.reduce((a, b) => (b.revision.revision_number > a.revision.revision_number ? b : a));
  for (const r of revisions)
    await recordRevision(db, referralId, { ...r, revision: { ...r.revision, is_latest_revision: r === latest } });
  // Later updates, cancels and documents go to the latest revision, whoever made it.
  const meta = { revisionGroupId: group, revisionNumber: latest.revision.revision_number };
  await db
    .insert(accloudLinks)
    .values({
      referralRequestId: referralId,
      kind: "referral",
      localKey: "latest",
      accloudId: latest.referral.id,
      meta,
    })
    .onConflictDoUpdate({
      target: [accloudLinks.referralRequestId, accloudLinks.kind, accloudLinks.localKey],
      set: { accloudId: latest.referral.id, meta },
    });

  let change: SyncOutcome["change"] = null;
  if (latest.referral.status === "processed") {
    const r = await transition(db, actor, {
      name: "agency_processed",
      id: referralId,
      apply: () => ({
        to: "processed",
        audit: {
          action: "referral.agency_processed",
          details: { revision: latest.revision.revision_number, accloudReferralId: latest.referral.id },
        },
        message: "",
        data: {},
      }),
    });
    if (r.status === "success") change = "processed";
  } else if (latest.referral.status === "cancelled") {
    let cancelledHere = false;
    const r = await transition(db, actor, {
      name: "agency_cancelled",
      id: referralId,
      apply: async ({ tx, row }) => {
        // Our own cancel in flight finishes through its push; anything else open here is over.
        if (row.status === "cancelling") return { noop: true, audit: { action: "" }, message: "", data: {} };
        cancelledHere = true;
        // E-mail to the people on the request, queued in this transaction.
        await queueNotification(tx, { event: "agency_cancelled", referralId, eventKey: latest.referral.id });
        await tx
          .update(pushes)
          .set({
            status: "failed",
            lastError: "The referral was cancelled in ACCloud (by the agency).",
            finishedAt: new Date(),
            updatedAt: new Date(),
          })
          .where(
            and(eq(pushes.referralRequestId, referralId), inArray(pushes.status, ["queued", "running", "retrying"])),
          );
        return {
          to: "cancelled",
          set: {
            decisionReasonCode: latest.referral.reason_code ?? null,
            decisionComment: latest.referral.cancellation_comment ?? null,
            decidedAt: new Date(),
          },
          audit: {
            action: "referral.agency_cancelled",
            details: {
              revision: latest.revision.revision_number,
              reasonCode: latest.referral.reason_code ?? null,
              comment: latest.referral.cancellation_comment ?? null,
            },
          },
          message: "",
          data: {},
        };
      },
    });
    if (r.status === "success" && cancelledHere) change = "cancelled";
  }
  return { referralId, revisions: revisions.length, change };
}

/** "Refresh from ACCloud" on the page: a person asks for the read-back now; the request is recorded with what it found. */
export async function refreshFromAccloud(
  db: Db,
  client: AccloudClient,
  by: Actor,
  referralId: string,
): Promise<SyncOutcome> {
  assertScope(by, "referral:read");
  const outcome = await syncReferral(db, client, referralId);
  await recordAudit(db, {
    actor: by,
    action: "referral.sync_requested",
    entityType: "referral_request",
    entityId: referralId,
    details: { revisions: outcome.revisions, change: outcome.change },
  });
  return outcome;
}

/** One scheduled round: the open referrals read back longest ago first, at most `limit` of them. */
export async function syncOpenReferrals(
  db: Db,
  client: AccloudClient,
  opts: { limit?: number } = {},
): Promise<SyncOutcome[]> {
  const rows = await db
    .select({ id: referralRequests.id })
    .from(referralRequests)
    .where(
      and(
        inArray(referralRequests.status, [...OPEN]),
        sql`exists (select 1 from accloud_links l where l.referral_request_id = ${referralRequests.id} and l.kind = 'referral')`,
      ),
    )
    // Never read back first (newest of those first), then the longest ago.
    .orderBy(
      sql`(select max(v.synced_at) from accloud_referral_revisions v where v.referral_request_id = ${referralRequests.id}) asc nulls first`,
      sql`${referralRequests.receivedAt} desc`,
    )
    .limit(opts.limit ?? 200);
  const out: SyncOutcome[] = [];
  for (const r of rows) {
    try {
      out.push(await syncReferral(db, client, r.id));
    } catch (err) {
      // One referral ACCloud cannot answer for must not stop the round.
      log.warn(`referral=${r.id} not synced: ${errorBrief(err)}`);
    }
  }
  const changed = out.filter((o) => o.change).length;
  if (changed) log.info(`sync: ${changed} of ${out.length} referral(s) changed in ACCloud`);
  return out;
}
