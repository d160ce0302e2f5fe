/**
 * The session and scope checks every page, route handler and server action runs on the
 * server (a page's check does not protect the actions in it). The DAL checks the scope again.
 */
import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db";
import { ApiError } from "../errors";
import type { ActionResult } from "../validations/action-result";
import { readSessionId } from "./session-token";
import { hasScope, type Scope } from "../access/scopes";
import { type Actor } from "../access/actors";
import { resolveSession, type SessionCheck } from "./sessions";

const sessionId = cache(readSessionId);

/** Once per request; `touch` records user activity (not for background polling). */
export const currentSession = cache(async (touch: boolean): Promise<SessionCheck> =>
  resolveSession(getDb(), await sessionId(), { touch }),
);

export const signInPath = (next: string, reason?: string) =>
  `/sign-in?${new URLSearchParams({ next, ...(reason && reason !== "missing" ? { reason } : {}) })}`;

/** Pages: the signed-in actor, else a redirect to sign-in; with a scope, 403 when it is missing. */
export async function requirePageActor(scope?: Scope | "admin:*"): Promise<Actor> {
  const check = await currentSession(true);
  if (!check.ok) {
    const path = (await headers()).get("x-csi-path") ?? "/queue";
    redirect(signInPath(path, check.reason));
  }
  if (scope && !hasScope(check.actor, scope)) forbidden();
  return check.actor;
}

export type ActionAuth = { ok: true; actor: Actor } | { ok: false; result: ActionResult<never> };

/** Server actions: the actor, or the result to return as is. */
export async function actionActor(scope: Scope | "admin:*"): Promise<ActionAuth> {
  const check = await currentSession(true);
  if (!check.ok)
    return {
      ok: false,
      result: { status: "forbidden", message: "Your session has ended. Sign in again to continue." },
    };
  if (!hasScope(check.actor, scope))
    return { ok: false, result: { status: "forbidden", message: `Forbidden: this needs the ${scope} scope.` } };
  return { ok: true, actor: check.actor };
}

/** Route handlers: the actor, or a 401 / 403 response naming the missing scope. */
export async function routeActor(scope: Scope | "admin:*", opts: { touch?: boolean } = {}): Promise<Actor | Response> {
  const check = await currentSession(opts.touch ?? true);
  if (!check.ok) return new ApiError("unauthorized", "Sign in first", [], {}, { reason: check.reason }).toResponse();
  if (!hasScope(check.actor, scope)) {
    return new ApiError("forbidden", `Forbidden: this needs the ${scope} scope`, [], {}, { scope }).toResponse();
  }
  return check.actor;
}
