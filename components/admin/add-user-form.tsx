"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { applyFieldErrors } from "@/components/ui/field-errors";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { addUserAction } from "@/app/(app)/admin/actions";
import { btnPrimary, errorText, input, label } from "@/components/ui/styles";
import { ROLE_LABELS, ROLES } from "@/lib/auth/scopes";
import { ZCreateUser, type TCreateUser } from "@/lib/validations/users";

export function AddUserForm() {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm<TCreateUser>({ resolver: zodResolver(ZCreateUser), defaultValues: { email: "", name: "", role: "reviewer", password: "" } });
  const { errors } = form.formState;
  const describedBy = (name: string) => (errors[name as keyof TCreateUser] ? `new-${name}-error` : undefined);
  return (
    <form
      noValidate
      aria-label="Add a user"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_1fr_auto] lg:items-start"
      onSubmit={form.handleSubmit((values) =>
        start(async () => {
          const res = await addUserAction(values);
          applyFieldErrors(form.setError, res);
          setMessage({ ok: res.status === "success", text: res.message ?? "" });
          if (res.status === "success") form.reset();
        }),
      )}
    >
      <div>
        <label htmlFor="new-email" className={label}>
          E-mail
        </label>
        <input
          id="new-email"
          type="email"
          autoComplete="off"
          {...form.register("email")}
          className={`${input} mt-1`}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy("email")}
        />
        {errors.email ? (
          <p id="new-email-error" className={errorText}>
            {errors.email.message}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="new-name" className={label}>
          Name
        </label>
        <input
          id="new-name"
          autoComplete="off"
          {...form.register("name")}
          className={`${input} mt-1`}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy("name")}
        />
        {errors.name ? (
          <p id="new-name-error" className={errorText}>
            {errors.name.message}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="new-role" className={label}>
          Role
        </label>
        <select id="new-role" {...form.register("role")} className={`${input} mt-1`}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="new-password" className={label}>
          Password
        </label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          {...form.register("password")}
          className={`${input} mt-1`}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? "new-password-error" : "new-password-hint"}
        />
        {errors.password ? (
          <p id="new-password-error" className={errorText}>
            {errors.password.message}
          </p>
        ) : (
          <p id="new-password-hint" className="mt-1 text-xs text-slate-700">
            Empty for a single-sign-on user.
          </p>
        )}
      </div>
      <div className="lg:pt-6">
        <button type="submit" className={btnPrimary} disabled={pending}>
          {pending ? "Adding…" : "Add user"}
        </button>
      </div>
      <p aria-live="polite" className={`text-sm sm:col-span-2 lg:col-span-5 ${message?.ok ? "text-green-800" : "text-red-800"}`}>
        {message?.text}
      </p>
    </form>
  );
}
