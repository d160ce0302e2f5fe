/** Referral requests as received (every submission and file), the decision reasons, and the queue's counters. */
import { sql, type BuildExtraConfigColumns } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
  type PgColumnBuilderBase,
  type PgTableExtraConfigValue,
} from "drizzle-orm/pg-core";
import { bytea, createdAtColumn, idColumn, tstz } from "./columns";
import { apiClientColumn } from "./intake";
import { users } from "./users";
import type { TReferralRequest } from "../../lib/intake/schema";

export const referralStatus = pgEnum("referral_status", [
  "new",
  "in_review",
  "pending_info",
  "approved",
  "pushing",
  "sent",
  "push_failed",
  "rejected",
  "cancelled",
  /** the agency marked the sent referral processed (read back from ACCloud) */
  "processed",
  /** a reviewer asked ACCloud to cancel the sent referral; the cancel is on its way */
  "cancelling",
]);
export type ReferralStatus = (typeof referralStatus.enumValues)[number];

/**
 * One row per referral request (per request_id): the unit a reviewer works on.
 * The queue columns mirror the latest submission; every submission is kept in referral_submissions.
 */
export const referralRequests = pgTable(
  "referral_requests",
  {
    id: idColumn(),
    requestId: text("request_id").notNull().unique(),
    /** true when the payload had no request_id and one was derived from its content (see README) */
    requestIdDerived: boolean("request_id_derived").notNull().default(false),
    status: referralStatus("status").notNull().default("new"),
    /** optimistic-concurrency counter, bumped by every state change */
    version: integer("version").notNull().default(1),

    agencyName: text("agency_name").notNull(),
    agencyHost: text("agency_host").notNull(),
    agencyBranchId: integer("agency_branch_id").notNull(),
    agencyOrgId: text("agency_org_id").notNull(),
    agencyTimezone: text("agency_timezone").notNull(),

    clientExternalId: integer("client_external_id").notNull(),
    clientFirstName: text("client_first_name").notNull(),
    clientLastName: text("client_last_name").notNull(),
    clientBirthday: date("client_birthday", { mode: "string" }),
    clientTimezone: text("client_timezone").notNull(),

    formSchemaId: text("form_schema_id"),
    formId: integer("form_id"),
    formName: text("form_name"),
    serviceRequested: text("service_requested"),
    serviceStart: date("service_start", { mode: "string" }),
    serviceEnd: date("service_end", { mode: "string" }),

    receivedAt: tstz("received_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    latestSubmissionId: uuid("latest_submission_id"),
    submissionCount: integer("submission_count").notNull().default(1),
    /** set when a later submission changed the content (an amendment) */
    amendedAt: tstz("amended_at"),
    /**
     * Set when an amendment arrives after a decision (approved, pushing, sent, push failed,
     * rejected, cancelled): the request is back on the reviewer's list until a reviewer acts
     * (reopen, a new approval or update, or dismissing it with a note). Never pushed on its own.
     */
    amendedAfterDecisionAt: tstz("amended_after_decision_at"),

    assigneeId: uuid("assignee_id").references(() => users.id),
    /** last activity of the assignee (claims by the assignee expire after CLAIM_IDLE_MINUTES without it) */
    claimedAt: tstz("claimed_at"),
    /** who made the assignment: the assignee (a claim, which expires) or a supervisor (which does not) */
    assignedById: uuid("assigned_by_id").references(() => users.id),
    /** SLA: due time, and the pause while pending information */
    slaDueAt: tstz("sla_due_at"),
    slaPausedAt: tstz("sla_paused_at"),

    decidedById: uuid("decided_by_id").references(() => users.id),
    decidedAt: tstz("decided_at"),
    /** the submission the last decision was made on (approvals pin theirs in approval_revisions) */
    decidedSubmissionId: uuid("decided_submission_id"),
    decisionReasonCode: text("decision_reason_code"),
    decisionComment: text("decision_comment"),
    pendingInfoNote: text("pending_info_note"),
    /** first time the request reached "sent", and when it was cancelled: kept by a trigger on status changes (turnaround dashboard) */
    sentAt: tstz("sent_at"),
    cancelledAt: tstz("cancelled_at"),

    /**
     * The submission whose client is the person the ACCloud client of this referral stands for:
     * the one the approval pinned (its push's client step sends it), or the one a reviewer later
     * confirmed as the same person. Amendments are compared with it (lib/form/identity.ts).
     */
    identitySubmissionId: uuid("identity_submission_id"),
    /**
     * Set when the latest submission names a different person than identitySubmissionId (another
     * agency client id, last name or birthday beyond a typo): nothing of it may reach the ACCloud
     * client ("Send update" and the submission's files are refused) until a reviewer confirms the
     * same person or cancels and approves the new person as a new client.
     */
    differentPersonAt: tstz("different_person_at"),
    /** the referral this one continues as a new client (path "cancel, then approve as a new client") */
    continuesId: uuid("continues_id").references((): AnyPgColumn => referralRequests.id),
    /**
     * The ACCloud client external id when it cannot be `<agency org id>:<agency client id>`: a new
     * client for a different person the agency sent under the same client id as the one ACCloud has.
     */
    accloudClientExternalId: text("accloud_client_external_id"),
    /**
     * Fields the physician's order disagrees with (the latest check of the order against the
     * form, db/schema/documents.ts referral_checks): the queue's "Order disagrees: n" and its
     * filter. Kept by the worker's document-read job; never a state change.
     */
    orderMismatches: integer("order_mismatches").notNull().default(0),
  },
  (t) => [
    index("referral_requests_status_received").on(t.status, t.receivedAt, t.id),
    index("referral_requests_received").on(t.receivedAt, t.id),
    index("referral_requests_agency").on(t.agencyOrgId, t.receivedAt),
    index("referral_requests_assignee").on(t.assigneeId, t.status),
    index("referral_requests_status_due").on(t.status, t.slaDueAt, t.id),
    // The queue's agency and service filters, newest first, without sorting a million rows.
    index("referral_requests_status_agency_received").on(t.status, t.agencyOrgId, t.receivedAt, t.id),
    index("referral_requests_status_service_received").on(t.status, t.serviceRequested, t.receivedAt, t.id),
    // The same two filters in the default order, by SLA due time (lib/referrals/queue.ts).
    index("referral_requests_status_agency_due").on(t.status, t.agencyOrgId, t.slaDueAt, t.id),
    index("referral_requests_status_service_due").on(t.status, t.serviceRequested, t.slaDueAt, t.id),
    // Possible duplicates' candidates (lib/workflow/duplicates.ts): the same agency client id, or
    // the same birthday in any agency, newest first, so a check reads a few rows, not the table.
    index("referral_requests_agency_client").on(t.agencyOrgId, t.clientExternalId, t.receivedAt),
    index("referral_requests_birthday")
      .on(t.clientBirthday, t.receivedAt)
      .where(sql`client_birthday is not null`),
    // The "amended after decision" tab: few rows, found without scanning the table.
    index("referral_requests_amended_after_decision")
      .on(t.receivedAt, t.id)
      .where(sql`amended_after_decision_at is not null`),
    // The queue's "Order disagrees" filter in either sort, without walking the rows that agree.
    index("referral_requests_order_mismatch_received")
      .on(t.status, t.receivedAt, t.id)
      .where(sql`order_mismatches > 0`),
    index("referral_requests_order_mismatch_due")
      .on(t.status, t.slaDueAt, t.id)
      .where(sql`order_mismatches > 0`),
    // One continuation per referral; amendments under the old request_id are routed to it.
    uniqueIndex("referral_requests_continues")
      .on(t.continuesId)
      .where(sql`continues_id is not null`),
  ],
);
export type ReferralRequest = typeof referralRequests.$inferSelect;

/** The request a row belongs to. */
export const referralRequestColumn = () =>
  uuid("referral_request_id")
    .notNull()
    .references(() => referralRequests.id);

/** A table of rows that each belong to one referral request: their own id and the request's come first. */
export function referralRowTable<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>>(
  name: TName,
  columns: TColumns,
  extraConfig?: (
    self: BuildExtraConfigColumns<TName, ReferralRowColumns & TColumns, "pg">,
  ) => PgTableExtraConfigValue[],
) {
  return pgTable<TName, ReferralRowColumns & TColumns>(name, { ...referralRowColumns(), ...columns }, extraConfig);
}
const referralRowColumns = () => ({ id: idColumn(), referralRequestId: referralRequestColumn() });
type ReferralRowColumns = ReturnType<typeof referralRowColumns>;

/** Every distinct payload received for a request_id: seq 1 is the original, later ones are amendments. */
export const referralSubmissions = referralRowTable(
  "referral_submissions",
  {
    seq: integer("seq").notNull(),
    /** referral_payload_hash(payload): sha256 of the jsonb's canonical text (migration 0008); equal hashes are redeliveries */
    contentHash: text("content_hash").notNull(),
    /** the payload as received, with each files[i].file_value replaced by "sha256:<hex>" (bytes in referral_files) */
    // STORAGE EXTERNAL (migration 0009): out of line, not compressed.
    /** the payload as received, each file's bytes replaced by "sha256:<digest>" (the bytes are in referral_files) */
    payload: jsonb("payload").$type<TReferralRequest>().notNull(),
    apiClientId: apiClientColumn(),
    webhookMessageId: text("webhook_message_id"),
    receivedAt: tstz("received_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("referral_submissions_seq").on(t.referralRequestId, t.seq),
    uniqueIndex("referral_submissions_hash").on(t.referralRequestId, t.contentHash),
  ],
);
export type ReferralSubmission = typeof referralSubmissions.$inferSelect;

export const referralFiles = referralRowTable(
  "referral_files",
  {
    /** the agency's submission that carried the file; null for a document a reviewer added after sending */
    submissionId: uuid("submission_id").references(() => referralSubmissions.id),
    /** the reviewer who added it (null: it came with a submission) */
    uploadedById: uuid("uploaded_by_id").references(() => users.id),
    /** position in the payload's files[] (reviewers' documents: 0) */
    idx: integer("idx").notNull(),
    originalName: text("original_name").notNull(),
    /** safe for storage and Content-Disposition; extension matches the sniffed type */
    safeName: text("safe_name").notNull(),
    /** sniffed from the bytes, not trusted from the name */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    // STORAGE EXTERNAL (migration 0009): files are already compressed formats.
    data: bytea("data").notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex("referral_files_submission_idx").on(t.submissionId, t.idx),
    index("referral_files_request").on(t.referralRequestId),
  ],
);
export type ReferralFile = typeof referralFiles.$inferSelect;

export const reasonKind = pgEnum("reason_kind", ["rejection", "update"]);

/** The configurable lists of coded reasons (admin settings): rejections, and the reasons an update to a sent referral gives the agency. */
export const decisionReasons = pgTable(
  "decision_reasons",
  {
    kind: reasonKind("kind").notNull().default("rejection"),
    code: text("code").notNull(),
    label: text("label").notNull(),
    active: boolean("active").notNull().default(true),
    sort: integer("sort").notNull().default(100),
    createdAt: createdAtColumn(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.code] })],
);
export type DecisionReason = typeof decisionReasons.$inferSelect;

/**
 * Queue tab counts, kept by statement-level triggers on referral_requests (migrations 0003,
 * 0005), so the queue never counts a million rows per request. Keyed by agency and service so
 * those two filters keep exact counts too. Insert-only deltas (no hot counter row for
 * concurrent webhook deliveries to wait on), folded together by referral_counts_compact().
 */
export const referralStatusCounts = pgTable("referral_status_counts", {
  status: referralStatus("status").notNull(),
  agencyOrgId: text("agency_org_id").notNull(),
  /** "" when the request names no service */
  serviceRequested: text("service_requested").notNull(),
  n: bigint("n", { mode: "number" }).notNull().default(0),
});

/** Agencies seen in referral requests (for the queue's agency filter), kept by the same triggers. */
export const referralAgencies = pgTable("referral_agencies", {
  orgId: text("org_id").primaryKey(),
  name: text("name").notNull(),
});
