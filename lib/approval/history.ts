/**
 * The referral's revision history for reviewers and supervisors: every approval revision the app
 * made (approve, correction, update) merged with ACCloud's own revisions of the referral (as the
 * push and the sync last read them), and a field-level diff of what the agency received.
 */
import "server-only";
import { and, asc, eq, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { accloudReferralRevisions, approvalRevisions, pushes, referralSubmissions, users } from "../../db/schema";
import { getReferenceData } from "../accloud/reference-data";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import { type Db } from "../db";
import { latestReferralId, readReferralLinks } from "../referrals/accloud-links";
import { ZApproval } from "./schema";
import { diffObjects, revisionSnapshot, type RevisionSnapshot } from "./snapshot";
import { type Change } from "../form/diff";

export type HistoryRow = {
  /** the app's revision number (null: a revision made in ACCloud, outside this app) */
  revision: number | null;
  kind: "approve" | "correction" | "update" | "accloud";
  state: string | null;
  at: string | null;
  by: string | null;
  reasons: string[];
  revisionComment: string | null;
  push: { kind: string; status: string } | null;
  accloud: {
    revisionNumber: number;
    referralId: string;
    status: string;
    isLatest: boolean;
    cancelReasonCode: string | null;
  } | null;
};

export type RevisionHistory = {
  rows: HistoryRow[];
  latestReferralId: string | null;
  lastSyncedAt: string | null;
  /** what the agency received at each app revision */
  snapshots: Map<number, RevisionSnapshot>;
};

/** What a row shows of ACCloud's revision of the referral. */
const accloudRevision = (a: typeof accloudReferralRevisions.$inferSelect): HistoryRow["accloud"] => ({
  revisionNumber: a.revisionNumber,
  referralId: a.accloudReferralId,
  status: a.status,
  isLatest: a.isLatest,
  cancelReasonCode: a.cancelReasonCode,
});

export async function getRevisionHistory(db: Db, actor: Actor, referralId: string): Promise<RevisionHistory> {
  assertScope(actor, "referral:read");
  const approver = alias(users, "approver");
  const [revisions, accloud, links, pushRows, ref] = await Promise.all([
    db
      .select({ r: approvalRevisions, by: approver.name, payload: referralSubmissions.payload })
      .from(approvalRevisions)
      .leftJoin(approver, eq(approver.id, approvalRevisions.approvedById))
      .leftJoin(referralSubmissions, eq(referralSubmissions.id, approvalRevisions.submissionId))
      .where(and(eq(approvalRevisions.referralRequestId, referralId), ne(approvalRevisions.state, "draft")))
      .orderBy(asc(approvalRevisions.revision)),
    db
      .select()
      .from(accloudReferralRevisions)
      .where(eq(accloudReferralRevisions.referralRequestId, referralId))
      .orderBy(asc(accloudReferralRevisions.revisionNumber)),
    readReferralLinks(db, referralId),
    db
      .select({
        id: pushes.id,
        kind: pushes.kind,
        status: pushes.status,
        revisionId: pushes.approvalRevisionId,
        createdAt: pushes.createdAt,
      })
      .from(pushes)
      .where(eq(pushes.referralRequestId, referralId))
      .orderBy(asc(pushes.createdAt)),
    getReferenceData(db),
  ]);
  const names = {
    serviceCodes: new Map(ref.serviceCodes.map((c) => [c.id, c.name])),
    funders: new Map(ref.funders.map((f) => [f.id, f.name])),
  };
  const byNumber = new Map(accloud.map((a) => [a.revisionNumber, a]));
  const revisionOfPush = new Map(
    pushRows.map((p) => [p.id, revisions.find((r) => r.r.id === p.revisionId)?.r.revision ?? 0]),
  );

  // Documents the agency had by each revision: those attached by its pushes or earlier ones.
  const attached = links
    .filter((l) => l.kind === "attachment")
    .map((l) => ({
      name: String((l.meta as { name?: string }).name ?? l.id),
      revision: l.pushId ? (revisionOfPush.get(l.pushId) ?? 0) : 0,
    }));
  const snapshots = new Map<number, RevisionSnapshot>();
  const rows: HistoryRow[] = [];
  const matched = new Set<number>();
  for (const { r, by, payload } of revisions) {
    const approval = ZApproval.safeParse(r.data);
    if (approval.success) {
      const docs = attached
        .filter((d) => d.revision <= r.revision)
        .map((d) => d.name)
        .sort();
      snapshots.set(r.revision, revisionSnapshot(approval.data, payload, names, docs));
    }
    const a = r.accloudRevisionNumber !== null ? byNumber.get(r.accloudRevisionNumber) : undefined;
    if (a) matched.add(a.revisionNumber);
    const push = [...pushRows].reverse().find((p) => p.revisionId === r.id && p.kind !== "documents") ?? null;
    rows.push({
      revision: r.revision,
      kind: r.kind,
      state: r.state,
      at: (r.approvedAt ?? r.createdAt).toISOString(),
      by: by ?? null,
      reasons: r.reasons,
      revisionComment: r.revisionComment,
      push: push ? { kind: push.kind, status: push.status } : null,
      accloud: a ? accloudRevision(a) : null,
    });
  }
  for (const a of accloud) {
    if (matched.has(a.revisionNumber)) continue;
    rows.push({
      revision: null,
      kind: "accloud",
      state: null,
      at: a.accloudCreatedAt,
      by: null,
      reasons: a.reasons,
      revisionComment: a.revisionComment,
      push: null,
      accloud: accloudRevision(a),
    });
  }
  const synced = accloud.reduce<Date | null>((m, a) => (!m || a.syncedAt > m ? a.syncedAt : m), null);
  return { rows, latestReferralId: latestReferralId(links), lastSyncedAt: synced?.toISOString() ?? null, snapshots };
}

/** What changed for the agency between two of the app's revisions (null when either has no snapshot). */
export function diffRevisions(h: RevisionHistory, from: number, to: number): Change[] | null {
  const a = h.snapshots.get(from);
  const b = h.snapshots.get(to);
  return a && b ? diffObjects(a, b) : null;
}
