/** The webhook's senders and the signed messages they delivered. */
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, tstz } from "./columns";

/** Senders of the webhook (AlayaConnector per environment). Only keyed hashes of secrets are kept. */
export const apiClients = pgTable("api_clients", {
  id: idColumn(),
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
  createdAt: createdAtColumn(),
});
export type ApiClient = typeof apiClients.$inferSelect;

/** The API client that delivered a row. */
export const apiClientColumn = () => uuid("api_client_id").references(() => apiClients.id);

/**
 * Standard Webhooks message ids already accepted, with the digest of the body and the answer:
 * a sender's retry (same id, same body) gets the original answer, the same id with another
 * body is refused. Kept WEBHOOK_MESSAGE_RETENTION_HOURS (a retry after that is still
 * idempotent on request_id).
 */
export type WebhookMessageResult = {
  outcome: "created" | "duplicate" | "amended";
  id: string;
  requestId: string;
  status: string;
  submission: number;
};
export const webhookMessages = pgTable(
  "webhook_messages",
  {
    apiClientId: apiClientColumn().notNull(),
    messageId: text("message_id").notNull(),
    receivedAt: tstz("received_at").notNull().defaultNow(),
    /** sha256 (hex) of the raw body; null for messages recorded before bodies were */
    bodySha256: text("body_sha256"),
    /** what the delivery answered (set in the transaction that stored it) */
    result: jsonb("result").$type<WebhookMessageResult>(),
  },
  (t) => [
    uniqueIndex("webhook_messages_client_msg").on(t.apiClientId, t.messageId),
    index("webhook_messages_received").on(t.receivedAt),
  ],
);
