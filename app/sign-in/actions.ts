"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/lib/auth";
import { SSO_PROVIDER_ID } from "@/lib/auth/config";
import { currentSession } from "@/lib/auth/guards";
import { endSession } from "@/lib/auth/sessions";
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
  if (!parsed.success) return { status: "invalid_data", fieldErrors: fieldErrorsOf(parsed.error), message: "Enter your e-mail and password.", email };
  try {
    // redirect: false, then a relative redirect: Auth.js would build an absolute URL from the
    // server's bind address (0.0.0.0 behind the launcher).
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (err) {
    if (err instanceof CredentialsSignin) {
      // A locked account and an unknown e-mail get the wrong password's answer: none says which accounts exist.
      if (err.code === "rate_limited") {
        const minutes = getEnv().SIGN_IN_RATE_WINDOW_MINUTES;
        return { status: "forbidden", message: `Too many sign-in attempts. Try again in up to ${minutes} minutes.`, email };
      }
      if (err.code === "disabled") return { status: "forbidden", message: "This account is disabled. Ask an administrator.", email };
      return { status: "invalid_data", message: "The e-mail or password is not right.", fieldErrors: {}, email };
    }
    if (err instanceof AuthError) return { status: "failed", message: "Sign-in failed. Try again.", email };
    throw err;
  }
  redirect(safeNextPath(formData.get("next")));
}

export async function ssoSignInAction(formData: FormData): Promise<void> {
  await signIn(SSO_PROVIDER_ID, { redirectTo: safeNextPath(formData.get("next")) });
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

/** The browser's automatic logoff: ends the session as idle (audited as such) and clears the cookies. */
export async function endIdleSessionAction(): Promise<void> {
  const check = await currentSession(false);
  if (check.ok) await endSession(getDb(), check.actor.sessionId, "idle");
  await signOut({ redirect: false });
  await forgetNameSearch();
}
