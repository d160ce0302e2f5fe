/**
 * The referral detail read (one request, its submissions, files, timeline). Reading it is a
 * PHI view: it writes an audit record, and the assignee's view keeps their claim alive.
 */
import "server-only";
import { and, asc, desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  auditEvents,
  referralFiles,
  referralRequests,
  referralSubmissions,
  users,
  type ReferralStatus,
} from "../../db/schema";
import { recordAudit } from "../audit/record";
import { assertScope, hasScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import { getEnv } from "../env";
import { indexFields, textOf } from "../form/mapping";
import { isAssignmentActive } from "../workflow/claims-sql";
import { snapshotOf, type ReferralSnapshot } from "../workflow/transitions";
import { comparePersons } from "../workflow/different-person";
import { referralEvents } from "../workflow/referral-events";
import { fieldsOf, formSchemaIdOf } from "../form/fields";
import type { ClientIdentity, IdentityDifference } from "../form/identity";
import { latestReferralId, readReferralLinks } from "./accloud-links";
import { recordReferralView } from "./audited-view";

export { listActiveReasons } from "../workflow/reasons";

export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

export type TimelineEntry = {
  id: number;
  at: string;
  action: string;
  actorLabel: string;
  details: Record<string, unknown>;
};

export type ReferralDetail = {
  id: string;
  requestId: string;
  receivedAt: string;
  slaDueAt: string | null;
  slaPausedAt: string | null;
  snapshot: ReferralSnapshot;
  agency: { name: string; branchId: number; timezone: string; host: string };
  client: {
    name: string;
    birthday: string | null;
    gender: string | null;
    phone: string | null;
    email: string | null;
    address: string | null;
    timezone: string;
    externalId: number;
  };
  form: {
    name: string | null;
    formId: number | null;
    schemaId: string | null;
    createdBy: string | null;
    createdAt: string | null;
  };
  assignee: { id: string; name: string; active: boolean; isClaim: boolean } | null;
  decidedBy: string | null;
  decidedAt: string | null;
  latest: { seq: number; receivedAt: string; payload: unknown };
  original: { seq: number; receivedAt: string; payload: unknown } | null;
  /** the submission the decision was made on, when an amendment after the decision waits for a reviewer */
  decided: { seq: number; receivedAt: string; payload: unknown; at: string | null } | null;
  submissions: Array<{ seq: number; receivedAt: string }>;
  files: Array<{
    id: string;
    safeName: string;
    originalName: string;
    contentType: string;
    size: number;
    seq: number;
    current: boolean;
    addedByReviewer: boolean;
    inAccloud: boolean;
  }>;
  timeline: TimelineEntry[];
  views: TimelineEntry[] | null;
  /** ACCloud's latest referral id once the referral step of a push created it */
  accloudReferralId: string | null;
  /** the latest submission names another person than the one the referral's ACCloud client stands for (lib/form/identity.ts) */
  differentPerson: {
    reason: string;
    differences: IdentityDifference[];
    since: string;
    identity: { seq: number; person: ClientIdentity };
    latest: { seq: number; person: ClientIdentity };
  } | null;
  /** the referral request this one continues as a new client, and the one that continues this one */
  continues: { id: string; requestId: string } | null;
  continuedAs: { id: string; requestId: string; status: ReferralStatus } | null;
};

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);

export async function getReferralDetail(db: Db, actor: Actor, id: string): Promise<ReferralDetail | null> {
  assertScope(actor, "referral:read");
  if (!isUuid(id)) return null;
  const assignee = alias(users, "assignee");
  const decider = alias(users, "decider");
  const [row] = await db
    .select({ r: referralRequests, assigneeName: assignee.name, deciderName: decider.name })
    .from(referralRequests)
    .leftJoin(assignee, eq(assignee.id, referralRequests.assigneeId))
    .leftJoin(decider, eq(decider.id, referralRequests.decidedById))
    .where(eq(referralRequests.id, id));
  if (!row) return null;
  const r = row.r;
  const env = getEnv();

  const continuation = alias(referralRequests, "continuation");
  const [subs, files, timeline, views, referralLinks, chain] = await Promise.all([
    db
      .select({
        id: referralSubmissions.id,
        seq: referralSubmissions.seq,
        receivedAt: referralSubmissions.receivedAt,
        payload: referralSubmissions.payload,
      })
      .from(referralSubmissions)
      .where(eq(referralSubmissions.referralRequestId, id))
      .orderBy(asc(referralSubmissions.seq)),
    db
      .select({
        id: referralFiles.id,
        safeName: referralFiles.safeName,
        originalName: referralFiles.originalName,
        contentType: referralFiles.contentType,
        size: referralFiles.size,
        sha256: referralFiles.sha256,
        submissionId: referralFiles.submissionId,
        idx: referralFiles.idx,
      })
      .from(referralFiles)
      .where(eq(referralFiles.referralRequestId, id))
      .orderBy(asc(referralFiles.createdAt), asc(referralFiles.idx)),
    db
      .select()
      .from(auditEvents)
      .where(referralEvents(id, "changes"))
      .orderBy(asc(auditEvents.at), asc(auditEvents.id))
      .limit(500),
    hasScope(actor, "audit:read")
      ? db
          .select()
          .from(auditEvents)
          .where(referralEvents(id, "views"))
          .orderBy(desc(auditEvents.at), desc(auditEvents.id))
          .limit(50)
      : Promise.resolve(null),
    readReferralLinks(db, id),
    // The request this one continues, and the one continuing it (path "approve as a new client").
    db
      .select({
        id: continuation.id,
        requestId: continuation.requestId,
        status: continuation.status,
        continuesId: continuation.continuesId,
      })
      .from(continuation)
      .where(
        r.continuesId
          ? or(eq(continuation.continuesId, id), eq(continuation.id, r.continuesId))
          : eq(continuation.continuesId, id),
      ),
  ]);
  const attachedSha = new Set(
    referralLinks.filter((l) => l.kind === "attachment").map((l) => l.key.replace(/^file:/, "")),
  );

  const latestSub = subs.find((s) => s.id === r.latestSubmissionId) ?? subs[subs.length - 1];
  if (!latestSub) return null;
  const firstSub = subs[0]!;
  const seqOf = new Map(subs.map((s) => [s.id, s.seq]));
  const payload = latestSub.payload as { client?: Record<string, unknown>; form_data?: Record<string, unknown> };
  const client = payload.client ?? {};
  const byKey = indexFields(fieldsOf(payload), formSchemaIdOf(payload));
  const fieldText = (k: keyof typeof byKey) => textOf(byKey[k]?.field_value);
  const addressParts = [
    str(client.address) ?? fieldText("clientAddress"),
    str(client.city) ?? fieldText("clientCity"),
    [str(client.state) ?? fieldText("clientState"), str(client.zip) ?? fieldText("clientZip")]
      .filter(Boolean)
      .join(" "),
  ].filter((x): x is string => Boolean(x));
  const toEntry = (e: typeof auditEvents.$inferSelect): TimelineEntry => ({
    id: e.id,
    at: e.at.toISOString(),
    action: e.action,
    actorLabel: e.actorLabel,
    details: (e.details ?? {}) as Record<string, unknown>,
  });

  // The view itself is audited; the assignee's view is activity that keeps the claim.
  await Promise.all([
    recordReferralView(db, actor, id),
    r.assigneeId === actor.id
      ? db
          .update(referralRequests)
          .set({ claimedAt: sql`now()` })
          .where(and(eq(referralRequests.id, id), eq(referralRequests.assigneeId, actor.id)))
      : Promise.resolve(),
  ]);

  return {
    id: r.id,
    requestId: r.requestId,
    receivedAt: r.receivedAt.toISOString(),
    slaDueAt: r.slaDueAt?.toISOString() ?? null,
    slaPausedAt: r.slaPausedAt?.toISOString() ?? null,
    snapshot: snapshotOf({ ...r, assigneeName: row.assigneeName ?? null }),
    agency: { name: r.agencyName, branchId: r.agencyBranchId, timezone: r.agencyTimezone, host: r.agencyHost },
    client: {
      name: `${r.clientFirstName} ${r.clientLastName}`,
      birthday: r.clientBirthday,
      gender: str(client.gender) ?? fieldText("clientGender"),
      phone: str(client.phone_main) ?? fieldText("clientPhone"),
      email: str(client.email) ?? fieldText("clientEmail"),
      address: addressParts.length ? addressParts.join(", ") : null,
      timezone: r.clientTimezone,
      externalId: r.clientExternalId,
    },
    form: {
      name: r.formName,
      formId: r.formId,
      schemaId: r.formSchemaId,
      createdBy: str(payload.form_data?.created_by),
      createdAt: str(payload.form_data?.created_at),
    },
    assignee: r.assigneeId
      ? {
          id: r.assigneeId,
          name: row.assigneeName ?? "Unknown user",
          active: isAssignmentActive(r, env.CLAIM_IDLE_MINUTES),
          isClaim: r.assignedById === r.assigneeId,
        }
      : null,
    decidedBy: r.decidedById ? (row.deciderName ?? null) : null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    latest: { seq: latestSub.seq, receivedAt: latestSub.receivedAt.toISOString(), payload: latestSub.payload },
    original:
      latestSub.seq > 1
        ? { seq: firstSub.seq, receivedAt: firstSub.receivedAt.toISOString(), payload: firstSub.payload }
        : null,
    decided: (() => {
      if (!r.amendedAfterDecisionAt) return null;
      const sub = subs.find((x) => x.id === r.decidedSubmissionId) ?? null;
      return sub
        ? {
            seq: sub.seq,
            receivedAt: sub.receivedAt.toISOString(),
            payload: sub.payload,
            at: r.amendedAfterDecisionAt.toISOString(),
          }
        : null;
    })(),
    submissions: subs.map((s) => ({ seq: s.seq, receivedAt: s.receivedAt.toISOString() })),
    files: files.map((f) => ({
      id: f.id,
      safeName: f.safeName,
      originalName: f.originalName,
      contentType: f.contentType,
      size: f.size,
      // A reviewer's document after sending belongs to no submission (seq 0) and is always current.
      seq: f.submissionId ? (seqOf.get(f.submissionId) ?? 0) : 0,
      current: f.submissionId === null || f.submissionId === latestSub.id,
      addedByReviewer: f.submissionId === null,
      inAccloud: attachedSha.has(f.sha256),
    })),
    timeline: timeline.map(toEntry),
    views: views ? views.map(toEntry) : null,
    accloudReferralId: latestReferralId(referralLinks),
    differentPerson: (() => {
      const identitySub = r.differentPersonAt ? subs.find((x) => x.id === r.identitySubmissionId) : undefined;
      if (!identitySub || !r.differentPersonAt) return null;
      return { ...comparePersons(identitySub, latestSub), since: r.differentPersonAt.toISOString() };
    })(),
    continues: (() => {
      const c = chain.find((x) => x.id === r.continuesId);
      return c ? { id: c.id, requestId: c.requestId } : null;
    })(),
    continuedAs: (() => {
      const c = chain.find((x) => x.continuesId === id);
      return c ? { id: c.id, requestId: c.requestId, status: c.status } : null;
    })(),
  };
}

/** A file's bytes for the authenticated file route; the read is audited (who viewed which file). */
export async function getReferralFile(
  db: Db,
  actor: Actor,
  input: { referralId: string; fileId: string; disposition: "inline" | "attachment" },
): Promise<{ safeName: string; contentType: string; data: Buffer; sha256: string } | null> {
  assertScope(actor, "referral:read");
  if (!isUuid(input.referralId) || !isUuid(input.fileId)) return null;
  const [file] = await db
    .select({
      safeName: referralFiles.safeName,
      contentType: referralFiles.contentType,
      data: referralFiles.data,
      sha256: referralFiles.sha256,
    })
    .from(referralFiles)
    .where(and(eq(referralFiles.id, input.fileId), eq(referralFiles.referralRequestId, input.referralId)));
  if (!file) return null;
  await recordAudit(db, {
    actor: actor,
    action: input.disposition === "inline" ? "referral.file_viewed" : "referral.file_downloaded",
    entityType: "referral_request",
    entityId: input.referralId,
    details: { fileId: input.fileId, sha256: file.sha256 },
  });
  return file;
}

/** Existence only (the [id] layout answers 404 before the page streams). */
export async function referralExists(db: Db, actor: Actor, id: string): Promise<boolean> {
  assertScope(actor, "referral:read");
  if (!isUuid(id)) return false;
  const [row] = await db.select({ id: referralRequests.id }).from(referralRequests).where(eq(referralRequests.id, id));
  return Boolean(row);
}
