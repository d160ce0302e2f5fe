import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { isSsoConfigured } from "@/lib/auth/config";
import { currentSession } from "@/lib/auth/guards";
import { landingFor } from "@/lib/access/scopes";
import { getEnv } from "@/lib/env";
import { safeNextPath } from "@/lib/validations/auth";
import { ssoSignInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

const REASONS: Record<string, string> = {
  idle: "You were signed out after a period of inactivity. Sign in again to continue.",
  signed_out: "You signed out.",
  expired: "Your session reached its maximum length. Sign in again to continue.",
  disabled: "This account is disabled.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const next = safeNextPath(typeof sp.next === "string" ? sp.next : undefined);
  const check = await currentSession(false);
  if (check.ok) redirect(landingFor(check.actor, next));
  const env = getEnv();
  const reason = typeof sp.reason === "string" ? REASONS[sp.reason] : undefined;
  const ssoError =
    sp.error === "AccessDenied"
      ? "Single sign-on was refused: your account needs a verified e-mail address and a role in this application. Ask CSI IT for access."
      : typeof sp.error === "string"
        ? "Sign-in failed. Try again."
        : undefined;
  return (
    <main id="main" className="mx-auto flex min-h-[70vh] max-w-md flex-col justify-center px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900">Sign in to CSI Referral Review</h1>
      <p className="mt-1 text-sm text-slate-700">
        Referral requests contain protected health information. Sessions end after {env.SESSION_IDLE_MINUTES} minutes
        without activity.
      </p>
      {reason || ssoError ? (
        <p role="status" className="mt-4 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-950">
          {reason ?? ssoError}
        </p>
      ) : null}
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <SignInForm next={next} />
        {isSsoConfigured() ? (
          <form action={ssoSignInAction} className="mt-4 border-t border-slate-200 pt-4">
            <input type="hidden" name="next" value={next} />
            <button
              type="submit"
              className="w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100"
            >
              Sign in with CSI single sign-on
            </button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
