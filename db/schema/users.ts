/** Staff accounts, their sign-in rate limits and their browser sessions. */
import { sql } from "drizzle-orm";
import { bigint, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, tstz } from "./columns";

export const userRole = pgEnum("user_role", ["reviewer", "supervisor", "admin"]);

export const users = pgTable(
  "users",
  {
    id: idColumn(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** the user's first role (admin before supervisor before reviewer): shown beside the name */
    role: userRole("role").notNull(),
    /**
     * Further roles of a person who needs more than one (an administrator who also reviews): the
     * scopes are the union (lib/access/scopes.ts). Set from single sign-on's role map; empty for most.
     */
    extraRoles: userRole("extra_roles")
      .array()
      .notNull()
      .default(sql`'{}'::user_role[]`),
    /** argon2id; null for single-sign-on users */
    passwordHash: text("password_hash"),
    disabledAt: tstz("disabled_at"),
    failedSignIns: integer("failed_sign_ins").notNull().default(0),
    lockedUntil: tstz("locked_until"),
    lastSignInAt: tstz("last_sign_in_at"),
    /** Single sign-on identity: the provider's issuer and `sub` (an e-mail can change hands; these do not). */
    oidcIssuer: text("oidc_issuer"),
    oidcSubject: text("oidc_subject"),
    createdAt: createdAtColumn(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_oidc_identity").on(t.oidcIssuer, t.oidcSubject)],
);
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

/**
 * One row per signed-in browser session; the JWT cookie only carries this row's id. The server
 * checks it on every request, so idle expiry (SESSION_IDLE_MINUTES), sign-out and disabling a
 * user take effect at once, which a bare JWT cannot do.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: idColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** "credentials" or "oidc" */
    provider: text("provider").notNull(),
    createdAt: createdAtColumn(),
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
