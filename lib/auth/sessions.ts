/**
 * Server-side session records. The JWT cookie carries only the session id (and expires after
 * ABSOLUTE_SESSION_HOURS); this table decides whether that id is still good: not signed out,
 * not idle for SESSION_IDLE_MINUTES (HIPAA automatic logoff), user not disabled.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { userSessions, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { getEnv } from "../env";
import { isRole, sortRoles } from "../access/scopes";
import { type Actor } from "../access/actors";

export const ABSOLUTE_SESSION_HOURS = 12;
/** Activity is written at most this often per session, so page views don't all write. */
export const TOUCH_EVERY_SECONDS = 30;

export type EndReason = "signed_out" | "idle" | "expired" | "disabled";
export type SessionCheck = { ok: true; actor: Actor } | { ok: false; reason: EndReason | "missing" };

export async function createSession(
  db: Db,
  input: { userId: string; provider: string; label: string },
): Promise<string> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(userSessions)
      .values({
        userId: input.userId,
        provider: input.provider,
        expiresAt: new Date(Date.now() + ABSOLUTE_SESSION_HOURS * 3_600_000),
      })
      .returning({ id: userSessions.id });
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, {
      actor: { type: "user", id: input.userId, email: input.label },
      action: "auth.signed_in",
      entityType: "user",
      entityId: input.userId,
      details: { provider: input.provider, session: row.id },
    });
    return row.id;
  });
}

/**
 * The actor behind a session id, or why there is none. `touch` records activity (user-driven
 * requests); background polling passes false so it never keeps an idle session alive.
 */
export async function resolveSession(
  db: Db,
  sessionId: string | null | undefined,
  opts: { touch: boolean },
): Promise<SessionCheck> {
  if (!sessionId || !/^[0-9a-f-]{36}$/i.test(sessionId)) return { ok: false, reason: "missing" };
  const idle = getEnv().SESSION_IDLE_MINUTES;
  const res = await db.execute<{
    user_id: string;
    email: string;
    name: string;
    role: string;
    extra_roles: string[];
    ended_at: Date | null;
    end_reason: string | null;
    disabled: boolean;
    idle: boolean;
    expired: boolean;
    stale: boolean;
  }>(sql`select s.user_id, u.email, u.name, u.role, u.extra_roles::text[] as extra_roles, s.ended_at, s.end_reason,
      u.disabled_at is not null as disabled,
      s.last_seen_at < now() - make_interval(mins => ${idle}) as idle,
      s.expires_at <= now() as expired,
      s.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}) as stale
    from user_sessions s join users u on u.id = s.user_id where s.id = ${sessionId}`);
  const row = res.rows[0];
  if (!row) return { ok: false, reason: "missing" };
  if (row.ended_at) return { ok: false, reason: (row.end_reason as EndReason | null) ?? "signed_out" };
  const reason: EndReason | null = row.disabled ? "disabled" : row.expired ? "expired" : row.idle ? "idle" : null;
  if (reason) {
    await endSession(db, sessionId, reason);
    return { ok: false, reason };
  }
  if (!isRole(row.role)) return { ok: false, reason: "missing" };
  if (opts.touch && row.stale) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(userSessions.id, sessionId));
  }
  const roles = sortRoles([row.role, ...row.extra_roles.filter(isRole)]);
  return {
    ok: true,
    actor: { type: "user", id: row.user_id, email: row.email, name: row.name, role: roles[0]!, roles, sessionId },
  };
}

export type IdleAnswer = { ended: true; reason: EndReason | "missing" } | { ended: false; remainingMs: number };

/**
 * The browser's automatic logoff asks to end a session as idle. Idleness is the server's to
 * decide, from the session's last activity, which every tab of the browser feeds: a quiet tab's
 * timer says nothing about the tab the user is typing in. So the session ends (audited as idle)
 * only when no activity reached the server for SESSION_IDLE_MINUTES; otherwise the answer is the
 * time left, and the tab waits that long. Asking is not activity.
 */
export async function endSessionIfIdle(db: Db, sessionId: string | null | undefined): Promise<IdleAnswer> {
  // Ends the session, as idle, when it is (or says why it already ended).
  const check = await resolveSession(db, sessionId, { touch: false });
  if (!check.ok) return { ended: true, reason: check.reason };
  const idle = getEnv().SESSION_IDLE_MINUTES;
  const res = await db.execute<{ ms: number }>(
    sql`select greatest(0, extract(epoch from s.last_seen_at + make_interval(mins => ${idle}) - now()) * 1000)::float8 as ms from user_sessions s where s.id = ${sessionId!}`,
  );
  return { ended: false, remainingMs: Math.ceil(res.rows[0]?.ms ?? 0) };
}

/** Records activity without resolving (the client's activity heartbeat). */
export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(userSessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)));
}

/** Ends a session once; the audit record says why (sign-out, inactivity, ...). */
export async function endSession(db: Db, sessionId: string, reason: EndReason): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(userSessions)
      .set({ endedAt: sql`now()`, endReason: reason })
      .where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)))
      .returning({ userId: userSessions.userId });
    if (!row) return;
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
    await recordAudit(tx, {
      actor:
        reason === "signed_out"
          ? { type: "user", id: row.userId, email: user?.email ?? row.userId }
          : { type: "system", label: "session" },
      action: reason === "signed_out" ? "auth.signed_out" : "auth.session_ended",
      entityType: "user",
      entityId: row.userId,
      details: { session: sessionId, reason },
    });
  });
}

/** Ends every open session of a user (disabled), each audited like any other session end. */
export async function endUserSessions(db: Db, userId: string, reason: EndReason): Promise<void> {
  await db.transaction(async (tx) => {
    const ended = await tx
      .update(userSessions)
      .set({ endedAt: sql`now()`, endReason: reason })
      .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt)))
      .returning({ id: userSessions.id });
    for (const { id } of ended) {
      await recordAudit(tx, {
        actor: { type: "system", label: "session" },
        action: "auth.session_ended",
        entityType: "user",
        entityId: userId,
        details: { session: id, reason },
      });
    }
  });
}
