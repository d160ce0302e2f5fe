/**
 * Approvals and their delivery to ACCloud.
 *  - approval_revisions: every decision a reviewer saves (draft or approved), revision 1 the first
 *    approval, later ones updates (new Marketplace revisions, with reasons);
 *  - pushes: one delivery of an approved revision, worked by the job queue, step by step;
 *  - accloud_links: the ACCloud ids created for a referral request, saved the moment they return,
 *    so a retry (or a later revision) finds its earlier work instead of creating it again.
 */
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, tstz } from "./columns";
import { referralFiles, referralRowTable, referralSubmissions } from "./referrals";
import { users } from "./users";
import type { TApproval } from "../../lib/approval/schema";

export const approvalState = pgEnum("approval_state", ["draft", "approved", "superseded"]);
/** approve: a reviewer's approval; correction: data fixed for a retry of a failed push; update: a change after sending */
export const approvalKind = pgEnum("approval_kind", ["approve", "correction", "update"]);

export const approvalRevisions = referralRowTable(
  "approval_revisions",
  {
    /** 1 = the first approval; every approved update takes the next number */
    revision: integer("revision").notNull(),
    state: approvalState("state").notNull().default("draft"),
    kind: approvalKind("kind").notNull().default("approve"),
    /** the editor content: ZApproval-valid once approved; a draft (state "draft") may be incomplete, so read drafts through ZApprovalDraft */
    data: jsonb("data").$type<TApproval>().notNull(),
    /** the submission this revision approved: the push sends this submission's data and files, never a later one */
    submissionId: uuid("submission_id").references(() => referralSubmissions.id),
    /** the revision this one replaces (a correction or an update) */
    supersedesId: uuid("supersedes_id"),
    /** an update's revision comment for the agency (the reasons are in `reasons`) */
    revisionComment: text("revision_comment"),
    /** the ACCloud referral id and revision number this revision produced once sent */
    accloudReferralId: text("accloud_referral_id"),
    accloudRevisionNumber: integer("accloud_revision_number"),
    /** reasons sent with a Marketplace revision (updates only) */
    reasons: jsonb("reasons").$type<string[]>().notNull().default([]),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: createdAtColumn(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    approvedById: uuid("approved_by_id").references(() => users.id),
    approvedAt: tstz("approved_at"),
  },
  (t) => [uniqueIndex("approval_revisions_request_revision").on(t.referralRequestId, t.revision)],
);
export type ApprovalRevision = typeof approvalRevisions.$inferSelect;

export const pushStatus = pgEnum("push_status", ["queued", "running", "retrying", "sent", "failed"]);
/** approve: the first send; update: a new revision of a sent referral; cancel: its cancellation; documents: files added after sending */
export const pushKind = pgEnum("push_kind", ["approve", "update", "cancel", "documents"]);

export type PushKind = (typeof pushKind.enumValues)[number];
export type PushInput = { reasonCode?: string; comment?: string | null; fileIds?: string[] };
export type PushStepState = {
  status: "waiting" | "running" | "done" | "failed";
  attempts: number;
  accloudIds?: Array<string | number>;
  error?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
};

export const pushes = referralRowTable(
  "pushes",
  {
    approvalRevisionId: uuid("approval_revision_id").references(() => approvalRevisions.id),
    kind: pushKind("kind").notNull().default("approve"),
    status: pushStatus("status").notNull().default("queued"),
    /** what a push of this kind needs beyond its revision: a cancel's reason code and comment, the files of a documents push */
    input: jsonb("input").$type<PushInput>().notNull().default({}),
    /** per step: status, attempts, ACCloud ids, last error (ACCloud's message, never PHI) */
    steps: jsonb("steps").$type<Record<string, PushStepState>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** a retrying push is not run again before this (Retry-After or backoff), whatever job wakes it */
    retryAt: tstz("retry_at"),
    jobId: text("job_id"),
    /** the job-queue schema of its jobs (JOB_QUEUE_SCHEMA): a sweeper looks only at the pushes of its own queue */
    jobQueue: text("job_queue"),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: createdAtColumn(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    finishedAt: tstz("finished_at"),
  },
  (t) => [
    index("pushes_request").on(t.referralRequestId, t.createdAt),
    index("pushes_status").on(t.status, t.updatedAt),
    // At most one unfinished push per referral request.
    uniqueIndex("pushes_one_open_per_request")
      .on(t.referralRequestId)
      .where(sql`status in ('queued', 'running', 'retrying')`),
  ],
);
export type Push = typeof pushes.$inferSelect;

export const accloudLinkKind = pgEnum("accloud_link_kind", [
  "client",
  "service",
  "authorization",
  "referral",
  "attachment",
]);

export const accloudLinks = referralRowTable(
  "accloud_links",
  {
    kind: accloudLinkKind("kind").notNull(),
    /** which local thing it stands for: "client", "service", "auth:0", "referral:rev1", "file:<sha256>" */
    localKey: text("local_key").notNull(),
    accloudId: text("accloud_id").notNull(),
    /** revision group, revision number, filepath... */
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
    referralFileId: uuid("referral_file_id").references(() => referralFiles.id),
    pushId: uuid("push_id").references(() => pushes.id),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("accloud_links_request_kind_key").on(t.referralRequestId, t.kind, t.localKey)],
);
export type AccloudLink = typeof accloudLinks.$inferSelect;

/**
 * The referral's revisions as ACCloud has them (one row per revision number of its revision group),
 * written when a push creates or updates the referral and when the agency sync reads them back.
 */
export const accloudReferralRevisions = referralRowTable(
  "accloud_referral_revisions",
  {
    revisionGroupId: text("revision_group_id").notNull(),
    revisionNumber: integer("revision_number").notNull(),
    accloudReferralId: text("accloud_referral_id").notNull(),
    /** assigned | processed | cancelled */
    status: text("status").notNull(),
    isLatest: boolean("is_latest").notNull(),
    reasons: jsonb("reasons").$type<string[]>().notNull().default([]),
    revisionComment: text("revision_comment"),
    cancelReasonCode: text("cancel_reason_code"),
    /** supply: the agency cancelled; demand: CSI did */
    cancelledBy: text("cancelled_by"),
    accloudCreatedAt: text("accloud_created_at"),
    syncedAt: tstz("synced_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("accloud_referral_revisions_request_number").on(t.referralRequestId, t.revisionNumber)],
);
export type AccloudReferralRevision = typeof accloudReferralRevisions.$inferSelect;
