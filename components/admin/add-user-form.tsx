"use client";

import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { useActionForm } from "@/components/ui/use-action-form";
import { useState } from "react";
import { addUserAction } from "@/app/(app)/admin/actions";
import { FormField, ResultMessage, Select, SubmitButton } from "@/components/ui/form-field";
import { ROLE_LABELS, ROLES } from "@/lib/access/scopes";
import type { TCreateUser } from "@/lib/validations/users";

const resolver = lazyZodResolver(() => import("@/lib/validations/users").then((m) => m.ZCreateUser));

export function AddUserForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { form, pending, onSubmit } = useActionForm<TCreateUser>({
    resolver,
    defaultValues: { email: "", name: "", role: "reviewer", password: "" },
    action: addUserAction,
    onResult: (res) => {
      setMessage({ ok: res.status === "success", text: res.message ?? "" });
      if (res.status === "success") form.reset();
    },
  });
  const { errors } = form.formState;
  return (
    <form
      noValidate
      aria-label="Add a user"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_1fr_auto] lg:items-start"
      onSubmit={onSubmit}
    >
      <FormField id="new-email" label="E-mail" error={errors.email?.message}>
        {(c) => <input type="email" autoComplete="off" {...form.register("email")} {...c} />}
      </FormField>
      <FormField id="new-name" label="Name" error={errors.name?.message}>
        {(c) => <input autoComplete="off" {...form.register("name")} {...c} />}
      </FormField>
      <FormField id="new-role" label="Role">
        {(c) => <Select {...form.register("role")} {...c} items={ROLES.map((r) => [r, ROLE_LABELS[r]] as const)} />}
      </FormField>
      <FormField
        id="new-password"
        label="Password"
        error={errors.password?.message}
        hint="Empty for a single-sign-on user."
      >
        {(c) => <input type="password" autoComplete="new-password" {...form.register("password")} {...c} />}
      </FormField>
      <div className="lg:pt-6">
        <SubmitButton pending={pending} busy="Adding…">
          Add user
        </SubmitButton>
      </div>
      <ResultMessage message={message} className="sm:col-span-2 lg:col-span-5" />
    </form>
  );
}
