"use client";

import { useState, useTransition } from "react";
import { setUserDisabledAction, setUserRoleAction, unlockUserAction } from "@/app/(app)/admin/actions";
import { btnSmall } from "@/components/ui/styles";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/access/scopes";
import type { ActionResult } from "@/lib/validations/action-result";

export function UserControls({
  user,
  isSelf,
}: {
  user: { id: string; email: string; role: Role; disabled: boolean; locked: boolean };
  isSelf: boolean;
}) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = (fn: () => Promise<ActionResult<unknown>>) =>
    start(async () => {
      const res = await fn();
      setMessage({ ok: res.status === "success", text: res.message ?? "" });
    });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.email}
      </label>
      <select
        id={`role-${user.id}`}
        defaultValue={user.role}
        disabled={pending}
        onChange={(e) => run(() => setUserRoleAction({ userId: user.id, role: e.target.value }))}
        className="rounded-md border border-slate-500 bg-white px-2 py-1 text-sm"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      {!isSelf ? (
        <button
          type="button"
          className={btnSmall}
          disabled={pending}
          onClick={() => run(() => setUserDisabledAction({ userId: user.id, disabled: !user.disabled }))}
        >
          {user.disabled ? "Enable" : "Disable"}
          <span className="sr-only"> {user.email}</span>
        </button>
      ) : null}
      {user.locked ? (
        <button
          type="button"
          className={btnSmall}
          disabled={pending}
          onClick={() => run(() => unlockUserAction({ userId: user.id }))}
        >
          Unlock<span className="sr-only"> {user.email}</span>
        </button>
      ) : null}
      <span aria-live="polite" className={`text-xs ${message?.ok ? "text-green-800" : "text-red-800"}`}>
        {message?.text}
      </span>
    </div>
  );
}
