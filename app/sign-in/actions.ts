"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/lib/auth";
import { SSO_PROVIDER_ID } from "@/lib/auth/config";
import { readSessionId } from "@/lib/auth/session-token";
import { landingFor } from "@/lib/access/scopes";
import { endSessionIfIdle, type IdleAnswer } from "@/lib/auth/sessions";
import { findUserByEmail } from "@/lib/auth/users";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { ActionResult } from "@/lib/validations/action-result";
import { safeNextPath, ZSignIn } from "@/lib/validations/auth";
import { SEARCH_COOKIE } from "@/lib/validations/queue";
import { fieldErrorsOf } from "@/lib/validations/decisions";

type SignInState = ActionResult & { email: string };

/** On failure the e-mail comes back, so the form (reset by React after an action) keeps it. */
export async function signInAction(_prev: SignInState | null, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "").slice(0, 320);
  const parsed = ZSignIn.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success)
    return {
      status: "invalid_data",
      fieldErrors: fieldErrorsOf(parsed.error),
      message: "Enter your e-mail and password.",
      email,
    };
  try {
    // redirect: false, then a relative redirect: Auth.js would build an absolute URL from the
    // server's bind address (0.0.0.0 behind the launcher).
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (err) {
    if (err instanceof CredentialsSignin) {
      // A locked account and an unknown e-mail get the wrong password's answer: none says which accounts exist.
      if (err.code === "rate_limited") {
        const minutes = getEnv().SIGN_IN_RATE_WINDOW_MINUTES;
        return {
          status: "forbidden",
          message: `Too many sign-in attempts. Try again in up to ${minutes} minutes.`,
          email,
        };
      }
      if (err.code === "disabled")
        return { status: "forbidden", message: "This account is disabled. Ask an administrator.", email };
      return { status: "invalid_data", message: "The e-mail or password is not right.", fieldErrors: {}, email };
    }
    if (err instanceof AuthError) return { status: "failed", message: "Sign-in failed. Try again.", email };
    throw err;
  }
  // The queue is where most start; an administrator (who reads no referrals) starts at /admin.
  const user = await findUserByEmail(getDb(), parsed.data.email);
  const next = safeNextPath(formData.get("next"));
  redirect(user ? landingFor({ role: user.role, roles: [user.role, ...user.extraRoles] }, next) : next);
}

export async function ssoSignInAction(formData: FormData): Promise<void> {
  // Back through /sign-in, which sends a signed-in user on to `next`, or to their start page when
  // their roles cannot open it (an administrator, who reads no referrals: /admin).
  await signIn(SSO_PROVIDER_ID, {
    redirectTo: `/sign-in?${new URLSearchParams({ next: safeNextPath(formData.get("next")) })}`,
  });
}

/** The client-name search is the session's: it goes when the session does. */
async function forgetNameSearch(): Promise<void> {
  (await cookies()).delete(SEARCH_COOKIE);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  await forgetNameSearch();
  redirect("/sign-in?reason=signed_out");
}

/**
 * The browser's automatic logoff. The server decides: a session with no activity (from any tab)
 * for SESSION_IDLE_MINUTES ends as idle (audited as such) and the cookies are cleared; a session
 * still in use is left alone, and the tab learns how long it has left.
 */
export async function endIdleSessionAction(): Promise<IdleAnswer> {
  const answer = await endSessionIfIdle(getDb(), await readSessionId());
  if (!answer.ended) return answer;
  await signOut({ redirect: false });
  await forgetNameSearch();
  return answer;
}
