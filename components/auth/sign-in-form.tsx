"use client";

import { useActionState } from "react";
import { signInAction } from "@/app/sign-in/actions";
import { resultFieldErrors } from "@/lib/validations/action-result";
import { FormField } from "@/components/ui/form-field";
import { btnPrimary } from "@/components/ui/styles";

/** The two credentials' inputs: required, and typed so that a password manager fills them. */
const CREDENTIALS = {
  email: { name: "email", type: "email", autoComplete: "username", required: true },
  password: { name: "password", type: "password", autoComplete: "current-password", required: true },
} as const;

export function SignInForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(signInAction, null);
  const fieldError = (name: keyof typeof CREDENTIALS) => (state ? resultFieldErrors(state)[name]?.[0] : undefined);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <input type="hidden" name="next" value={next} />
      <FormField id="email" label="E-mail" error={fieldError("email")}>
        {(c) => <input {...CREDENTIALS.email} defaultValue={state?.email ?? ""} key={state?.email ?? ""} {...c} />}
      </FormField>
      <FormField id="password" label="Password" error={fieldError("password")}>
        {(c) => <input {...CREDENTIALS.password} autoFocus={Boolean(state?.email)} {...c} />}
      </FormField>
      <div aria-live="polite">
        {state && state.status !== "success" && state.message ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
            {state.message}
          </p>
        ) : null}
      </div>
      <button type="submit" className={`${btnPrimary} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
