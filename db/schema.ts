import { sql } from "drizzle-orm";
import { actionGroupSql } from "../lib/audit/groups";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

export * from "./schema/accloud";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const userRole = pgEnum("user_role", ["reviewer", "supervisor", "admin"]);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: userRole("role").notNull(),
  /** argon2id; null for single-sign-on users */
  passwordHash: text("password_hash"),
  disabledAt: tstz("disabled_at"),
  failedSignIns: integer("failed_sign_ins").notNull().default(0),
  lockedUntil: tstz("locked_until"),
  lastSignInAt: tstz("last_sign_in_at"),
  /** Single sign-on identity: the provider's issuer and `sub` (an e-mail can change hands; these do not). */
  oidcIssuer: text("oidc_issuer"),
  oidcSubject: text("oidc_subject"),
  createdAt: tstz("created_at").notNull().defaultNow(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
}, (t) => [uniqueIndex("users_oidc_identity").on(t.oidcIssuer, t.oidcSubject)]);
export type User = typeof users.$inferSelect;

/**
 * rate-limiter-flexible's RateLimiterPostgres store for sign-in attempts (per IP, per account),
 * in the layout that library reads and writes; created here so the app's role needs no DDL.
 * Keys are hashes, never an e-mail or an address.
 */
export const signInRateLimits = pgTable("sign_in_rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/** Senders of the webhook (AlayaConnector per environment). Only keyed hashes of secrets are kept. */
export const apiClients = pgTable("api_clients", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** Public identifier, the Basic-auth user name. */
  key: text("key").notNull().unique(),
  secretHash: text("secret_hash").notNull(),
  /** During a rotation the previous secret stays valid until previousSecretExpiresAt. */
  previousSecretHash: text("previous_secret_hash"),
  previousSecretExpiresAt: tstz("previous_secret_expires_at"),
  /** Standard Webhooks signing secret, encrypted with APP_SECRET (it must be recoverable to verify). */
  signingSecretEnc: text("signing_secret_enc"),
  /** During a signing-secret rotation deliveries signed with the previous one are accepted until this time. */
  previousSigningSecretEnc: text("previous_signing_secret_enc"),
  previousSigningSecretExpiresAt: tstz("previous_signing_secret_expires_at"),
  revokedAt: tstz("revoked_at"),
  lastUsedAt: tstz("last_used_at"),
  createdAt: tstz("created_at").notNull().defaultNow(),
});
export type ApiClient = typeof apiClients.$inferSelect;

/**
 * Standard Webhooks message ids already accepted, with the digest of the body and the answer:
 * a sender's retry (same id, same body) gets the original answer, the same id with another
 * body is refused. Kept WEBHOOK_MESSAGE_RETENTION_HOURS (a retry after that is still
 * idempotent on request_id).
 */
export type WebhookMessageResult = { outcome: "created" | "duplicate" | "amended"; id: string; requestId: string; status: string; submission: number };
export const webhookMessages = pgTable(
  "webhook_messages",
  {
    apiClientId: uuid("api_client_id")
      .notNull()
      .references(() => apiClients.id),
    messageId: text("message_id").notNull(),
    receivedAt: tstz("received_at").notNull().defaultNow(),
    /** sha256 (hex) of the raw body; null for messages recorded before bodies were */
    bodySha256: text("body_sha256"),
    /** what the delivery answered (set in the transaction that stored it) */
    result: jsonb("result").$type<WebhookMessageResult>(),
  },
  (t) => [uniqueIndex("webhook_messages_client_msg").on(t.apiClientId, t.messageId), index("webhook_messages_received").on(t.receivedAt)],
);

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
    id: uuid("id").primaryKey().defaultRandom(),
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
    // The "amended after decision" tab: few rows, found without scanning the table.
    index("referral_requests_amended_after_decision").on(t.receivedAt, t.id).where(sql`amended_after_decision_at is not null`),
  ],
);
export type ReferralRequest = typeof referralRequests.$inferSelect;

/** Every distinct payload received for a request_id: seq 1 is the original, later ones are amendments. */
export const referralSubmissions = pgTable(
  "referral_submissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    referralRequestId: uuid("referral_request_id")
      .notNull()
      .references(() => referralRequests.id),
    seq: integer("seq").notNull(),
    /** referral_payload_hash(payload): sha256 of the jsonb's canonical text (migration 0008); equal hashes are redeliveries */
    contentHash: text("content_hash").notNull(),
    /** the payload as received, with each files[i].file_value replaced by "sha256:<hex>" (bytes in referral_files) */
    // STORAGE EXTERNAL (migration 0009): out of line, not compressed.
    payload: jsonb("payload").notNull(),
    apiClientId: uuid("api_client_id").references(() => apiClients.id),
    webhookMessageId: text("webhook_message_id"),
    receivedAt: tstz("received_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("referral_submissions_seq").on(t.referralRequestId, t.seq),
    uniqueIndex("referral_submissions_hash").on(t.referralRequestId, t.contentHash),
  ],
);
export type ReferralSubmission = typeof referralSubmissions.$inferSelect;

export const referralFiles = pgTable(
  "referral_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    referralRequestId: uuid("referral_request_id")
      .notNull()
      .references(() => referralRequests.id),
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
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("referral_files_submission_idx").on(t.submissionId, t.idx), index("referral_files_request").on(t.referralRequestId)],
);
export type ReferralFile = typeof referralFiles.$inferSelect;

export const actorType = pgEnum("actor_type", ["user", "api_client", "system"]);

/** Append-only (a trigger refuses UPDATE and DELETE). Written in the same transaction as the change it records. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull().defaultNow(),
    actorType: actorType("actor_type").notNull(),
    actorId: text("actor_id"),
    /** display name of the actor at the time (e-mail, API client name, "system") */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    /** what changed and why; never PHI beyond ids */
    details: jsonb("details").notNull().default({}),
    /** the /audit action group (lib/audit/groups.ts), computed by PostgreSQL from action and details */
    actionGroup: text("action_group")
      .notNull()
      .generatedAlwaysAs(sql.raw(actionGroupSql())),
    /** the agency of the referral request the event is about, filled on insert by a trigger (migration 0011) */
    agencyOrgId: text("agency_org_id"),
  },
  (t) => [
    index("audit_events_entity").on(t.entityType, t.entityId, t.at),
    // The audit workspace pages newest first by (at, id), each filter through its own index.
    index("audit_events_at").on(t.at, t.id),
    index("audit_events_actor").on(t.actorId, t.at, t.id),
    index("audit_events_group").on(t.actionGroup, t.at, t.id),
    index("audit_events_agency").on(t.agencyOrgId, t.at, t.id).where(sql`agency_org_id is not null`),
  ],
);
export type AuditEvent = typeof auditEvents.$inferSelect;

/**
 * Reviewer UI (issue 4).
 */

/**
 * One row per signed-in browser session; the JWT cookie only carries this row's id. The server
 * checks it on every request, so idle expiry (SESSION_IDLE_MINUTES), sign-out and disabling a
 * user take effect at once, which a bare JWT cannot do.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** "credentials" or "oidc" */
    provider: text("provider").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    /** last user activity (page view, action, activity heartbeat); background polling does not count */
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    /** absolute end, whatever the activity */
    expiresAt: tstz("expires_at").notNull(),
    endedAt: tstz("ended_at"),
    /** signed_out | idle | expired | disabled */
    endReason: text("end_reason"),
  },
  (t) => [index("user_sessions_user").on(t.userId)],
);
export type UserSession = typeof userSessions.$inferSelect;

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
    createdAt: tstz("created_at").notNull().defaultNow(),
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
export * from "./schema/push";
export * from "./schema/supervisors";
