/**
 * API clients: the senders allowed to call the webhook (one per AlayaConnector environment).
 * Secrets are shown once, at creation or rotation; only a keyed hash is stored.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { apiClients, type ApiClient } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { type AnyActor as Actor } from "../access/actors";
import type { Db, TxDb } from "../db";
import { decryptSecret, encryptSecret, hashApiSecret, randomToken, safeEqual } from "./secrets";

export type IssuedCredentials = { id: string; name: string; key: string; secret: string; signingSecret?: string };

const newKey = () => `csi_ak_${randomBytes(12).toString("hex")}`;
const newSecret = () => randomToken("csi_sk_");
const newSigningSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

const auditApiClient = (tx: TxDb | Db, actor: Actor, action: string, id: string, details?: Record<string, unknown>) =>
  recordAudit(tx, { actor, action, entityType: "api_client", entityId: id, details });

export async function createApiClient(
  db: Db,
  input: { name: string; withSigningSecret?: boolean; actor: Actor },
): Promise<IssuedCredentials> {
  const name = input.name.trim();
  if (!name) throw new Error("name is required");
  const key = newKey();
  const secret = newSecret();
  const signingSecret = input.withSigningSecret ? newSigningSecret() : undefined;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiClients)
      .values({
        name,
        key,
        secretHash: hashApiSecret(secret),
        signingSecretEnc: signingSecret ? encryptSecret(signingSecret) : null,
      })
      .returning({ id: apiClients.id });
    if (!row) throw new Error("insert returned nothing");
    await auditApiClient(tx, input.actor, "api_client.created", row.id, { name, key, signed: Boolean(signingSecret) });
    return { id: row.id, name, key, secret, signingSecret };
  });
}

type RotateInput = { id: string; overlapMinutes?: number; actor: Actor };

/**
 * A credential a client rotates: its column, the column its current value moves to, and the
 * column saying until when that previous value stays valid.
 */
type Credential = {
  columns: readonly [
    current: "secretHash" | "signingSecretEnc",
    previous: "previousSecretHash" | "previousSigningSecretEnc",
    previousExpiresAt: "previousSecretExpiresAt" | "previousSigningSecretExpiresAt",
  ];
  /** what else a client must have for the rotation */
  onlyIf?: SQL;
  /** the audit action */
  action: string;
  /** the error when no client qualifies */
  missing: string;
};

const SECRET: Credential = {
  columns: ["secretHash", "previousSecretHash", "previousSecretExpiresAt"],
  action: "api_client.rotated",
  missing: "no active API client",
};

const SIGNING_SECRET: Credential = {
  columns: ["signingSecretEnc", "previousSigningSecretEnc", "previousSigningSecretExpiresAt"],
  onlyIf: sql`${apiClients.signingSecretEnc} is not null`,
  action: "api_client.signing_rotated",
  missing: "no active signing API client",
};

/**
 * Replaces one credential of an active client with `stored`: the current one moves to its
 * "previous" slot, valid for `overlapMinutes` (a day unless said), and the rotation is audited.
 */
async function rotateCredential(
  db: Db,
  input: RotateInput,
  credential: Credential,
  stored: string,
): Promise<{ id: string; name: string; key: string }> {
  const overlap = input.overlapMinutes ?? 24 * 60;
  const [current, previous, previousExpiresAt] = credential.columns;
  const set: PgUpdateSetSource<typeof apiClients> = {
    [previous]: sql`${apiClients[current]}`,
    [previousExpiresAt]: new Date(Date.now() + overlap * 60_000),
    [current]: stored,
  };
  const rotated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiClients)
      .set(set)
      .where(and(eq(apiClients.id, input.id), isNull(apiClients.revokedAt), credential.onlyIf))
      .returning({ id: apiClients.id, name: apiClients.name, key: apiClients.key });
    if (!row) throw new Error(`${credential.missing} with id ${input.id}`);
    await auditApiClient(tx, input.actor, credential.action, row.id, { overlapMinutes: overlap });
    return row;
  });
  // An overlap of 0 ends the old credential now: nothing here may still accept it.
  clearApiClientCache();
  return rotated;
}

/**
 * Issues a new secret; the previous one keeps working for `overlapMinutes` so the sender
 * can switch without a failed delivery.
 */
export async function rotateApiClientSecret(db: Db, input: RotateInput): Promise<IssuedCredentials> {
  const secret = newSecret();
  const row = await rotateCredential(db, input, SECRET, hashApiSecret(secret));
  return { ...row, secret };
}

/**
 * Issues a new Standard Webhooks signing secret; deliveries signed with the previous one are
 * accepted for `overlapMinutes`, so the sender can switch without a refused delivery.
 */
export async function rotateApiClientSigningSecret(
  db: Db,
  input: RotateInput,
): Promise<IssuedCredentials & { signingSecret: string }> {
  const signingSecret = newSigningSecret();
  const row = await rotateCredential(db, input, SIGNING_SECRET, encryptSecret(signingSecret));
  return { ...row, secret: "", signingSecret };
}

export async function revokeApiClient(db: Db, input: { id: string; actor: Actor }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiClients)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiClients.id, input.id), isNull(apiClients.revokedAt)))
      .returning({ id: apiClients.id });
    if (!row) throw new Error(`no active API client with id ${input.id}`);
    await auditApiClient(tx, input.actor, "api_client.revoked", row.id);
  });
  clearApiClientCache();
}

export async function listApiClients(db: Db) {
  return db
    .select({
      id: apiClients.id,
      name: apiClients.name,
      key: apiClients.key,
      signed: sql<boolean>`${apiClients.signingSecretEnc} is not null`,
      rotating: sql<boolean>`coalesce(${apiClients.previousSecretExpiresAt} > now(), false)`,
      rotatingUntil: apiClients.previousSecretExpiresAt,
      signingRotating: sql<boolean>`coalesce(${apiClients.previousSigningSecretExpiresAt} > now(), false)`,
      signingRotatingUntil: apiClients.previousSigningSecretExpiresAt,
      revokedAt: apiClients.revokedAt,
      lastUsedAt: apiClients.lastUsedAt,
      createdAt: apiClients.createdAt,
    })
    .from(apiClients)
    .orderBy(apiClients.createdAt);
}

export type AuthenticatedClient = Pick<ApiClient, "id" | "name" | "key"> & {
  signingSecret: string | null;
  previousSigningSecret?: string | null;
};

function secretMatches(row: ApiClient, hash: string, now: Date): boolean {
  if (safeEqual(row.secretHash, hash)) return true;
  return Boolean(
    row.previousSecretHash &&
    row.previousSecretExpiresAt &&
    row.previousSecretExpiresAt > now &&
    safeEqual(row.previousSecretHash, hash),
  );
}

/**
 * Accepted credentials are remembered for a few seconds (keyed by a hash of the header, never the
 * secret itself), which saves a database round trip per delivery under load. A revocation or a
 * rotation in another process (or an expired rotation overlap) therefore takes effect within
 * AUTH_CACHE_MS; in this process at once, as the revocation or rotation clears it. One cache per
 * process: Next bundles this module once for route handlers and again for server actions (and the
 * launcher loads its own copy), so a module-level Map would leave the webhook's copy untouched when
 * /admin's server action revokes a client. It lives on globalThis under a registered symbol instead.
 */
const AUTH_CACHE_MS = 5_000;
type AuthCache = Map<string, { client: AuthenticatedClient; until: number }>;
const AUTH_CACHE_KEY = Symbol.for("csi.intake.apiClientAuthCache");
const authCache: AuthCache = ((globalThis as Record<symbol, AuthCache | undefined>)[AUTH_CACHE_KEY] ??= new Map());

export function clearApiClientCache(): void {
  authCache.clear();
}

/** HTTP Basic (key:secret) or Bearer (secret). Returns null for anything that is not a live client. */
export async function authenticateApiClient(db: Db, authorization: string | null): Promise<AuthenticatedClient | null> {
  if (!authorization) return null;
  const cacheKey = hashApiSecret(`header:${authorization}`);
  const hit = authCache.get(cacheKey);
  if (hit && hit.until > Date.now()) return hit.client;
  const found = await lookupApiClient(db, authorization);
  if (!found) return null;
  if (authCache.size > 1000) authCache.clear();
  // A previous (rotating) secret is never remembered past the end of its overlap.
  authCache.set(cacheKey, {
    client: found.client,
    until: Math.min(Date.now() + AUTH_CACHE_MS, found.validUntil ?? Infinity),
  });
  return found.client;
}

async function lookupApiClient(
  db: Db,
  authorization: string,
): Promise<{ client: AuthenticatedClient; validUntil: number | null } | null> {
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  const now = new Date();
  let row: ApiClient | undefined;
  if (scheme.toLowerCase() === "basic") {
    let decoded: string;
    try {
      decoded = Buffer.from(value, "base64").toString("utf8");
    } catch {
      return null;
    }
    const colon = decoded.indexOf(":");
    if (colon < 1) return null;
    const key = decoded.slice(0, colon);
    const hash = hashApiSecret(decoded.slice(colon + 1));
    [row] = await db.select().from(apiClients).where(eq(apiClients.key, key)).limit(1);
    if (!row || !secretMatches(row, hash, now)) return null;
  } else if (scheme.toLowerCase() === "bearer") {
    const hash = hashApiSecret(value);
    const rows = await db
      .select()
      .from(apiClients)
      .where(or(eq(apiClients.secretHash, hash), eq(apiClients.previousSecretHash, hash)))
      .limit(2);
    row = rows.find((r) => secretMatches(r, hash, now));
    if (!row) return null;
  } else {
    return null;
  }
  if (row.revokedAt) return null;
  // Best effort and coarse (once a minute): a lost update here must not fail a delivery.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    void db
      .update(apiClients)
      .set({ lastUsedAt: now })
      .where(eq(apiClients.id, row.id))
      .catch(() => {});
  }
  const usesPrevious = !safeEqual(row.secretHash, hashOf(authorization));
  const previousSigning =
    row.previousSigningSecretEnc && row.previousSigningSecretExpiresAt && row.previousSigningSecretExpiresAt > now
      ? row.previousSigningSecretEnc
      : null;
  const limits = [
    usesPrevious ? row.previousSecretExpiresAt?.getTime() : undefined,
    previousSigning ? row.previousSigningSecretExpiresAt?.getTime() : undefined,
  ].filter((t): t is number => t !== undefined);
  return {
    client: {
      id: row.id,
      name: row.name,
      key: row.key,
      signingSecret: row.signingSecretEnc ? decryptSecret(row.signingSecretEnc) : null,
      previousSigningSecret: previousSigning ? decryptSecret(previousSigning) : null,
    },
    // A previous secret (either kind) is never remembered past the end of its overlap.
    validUntil: limits.length ? Math.min(...limits) : null,
  };
}

/** The secret's hash from a Basic or Bearer header (only used to tell current from previous). */
function hashOf(authorization: string): string {
  const [scheme, value = ""] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    return hashApiSecret(decoded.slice(decoded.indexOf(":") + 1));
  }
  return hashApiSecret(value);
}
