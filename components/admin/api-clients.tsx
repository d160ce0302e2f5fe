"use client";

import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { useState, useTransition } from "react";
import { useActionForm } from "@/components/ui/use-action-form";
import { ActionButton } from "@/components/ui/action-button";
import { FormField, ResultMessage } from "@/components/ui/form-field";
import type { TCreateApiClient } from "@/lib/validations/supervisors";
import { createApiClientAction, revokeApiClientAction, rotateApiClientAction } from "@/app/(app)/admin/actions";
import { btnDanger, btnPrimary, btnSmall } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/format";
import { ScrollTable, TableHead } from "@/components/ui/table";

export type ApiClientRow = {
  id: string;
  name: string;
  key: string;
  signed: boolean;
  rotating: boolean;
  rotatingUntil: string | null;
  signingRotating: boolean;
  signingRotatingUntil: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
};

type Issued = { key: string; secret: string | null; signingSecret: string | null };

/** Shown once, right after creation or rotation. */
function IssuedSecrets({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  return (
    <div
      role="status"
      className="mx-4 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="issued-secret"
    >
      <p className="font-semibold">Copy these now: they are shown only this once and cannot be read again.</p>
      <dl className="mt-2 grid grid-cols-1 gap-1 sm:grid-cols-[10rem_1fr]">
        <dt className="font-medium">Key</dt>
        <dd className="break-all font-mono">{issued.key}</dd>
        {issued.secret ? (
          <>
            <dt className="font-medium">Secret</dt>
            <dd className="break-all font-mono" data-testid="issued-secret-value">
              {issued.secret}
            </dd>
          </>
        ) : null}
        {issued.signingSecret ? (
          <>
            <dt className="font-medium">Signing secret</dt>
            <dd className="break-all font-mono">{issued.signingSecret}</dd>
          </>
        ) : null}
      </dl>
      <button type="button" className={`${btnSmall} mt-2`} onClick={onDone}>
        I have stored them
      </button>
    </div>
  );
}

function Row({
  c,
  fmt,
  onIssued,
  onMessage,
}: {
  c: ApiClientRow;
  fmt: (iso: string) => string;
  onIssued: (i: Issued) => void;
  onMessage: (m: { ok: boolean; text: string }) => void;
}) {
  const [pending, start] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [which, setWhich] = useState<"secret" | "signing">("secret");
  const [overlap, setOverlap] = useState("1440");
  const status = c.revokedAt
    ? `Revoked ${fmt(c.revokedAt)}`
    : c.rotating || c.signingRotating
      ? "Active · rotating"
      : "Active";
  return (
    <tr className="border-b border-slate-100 align-top" data-api-client={c.name}>
      <td className="px-4 py-2.5">
        <p className="font-medium">{c.name}</p>
        <p className="break-all font-mono text-xs text-slate-700">{c.key}</p>
        <p className="text-xs text-slate-700">{c.signed ? "Signed deliveries (Standard Webhooks)" : "Unsigned"}</p>
      </td>
      <td className="px-4 py-2.5">
        <p className={c.revokedAt ? "font-medium text-red-800" : ""}>{status}</p>
        {c.rotating && c.rotatingUntil ? (
          <p className="text-xs text-slate-700">Old secret works until {fmt(c.rotatingUntil)}</p>
        ) : null}
        {c.signingRotating && c.signingRotatingUntil ? (
          <p className="text-xs text-slate-700">Old signing secret accepted until {fmt(c.signingRotatingUntil)}</p>
        ) : null}
      </td>
      <td className="px-4 py-2.5 text-slate-700">{c.lastUsedAt ? fmt(c.lastUsedAt) : "Never"}</td>
      <td className="px-4 py-2.5">
        {c.revokedAt ? null : (
          <div className="space-y-2">
            <form
              className="flex flex-wrap items-end gap-2"
              aria-label={`Rotate a secret of ${c.name}`}
              onSubmit={(e) => {
                e.preventDefault();
                start(async () => {
                  const res = await rotateApiClientAction({ id: c.id, which, overlapMinutes: Number(overlap) });
                  onMessage({ ok: res.status === "success", text: res.message ?? "" });
                  if (res.status === "success" && res.data) onIssued(res.data as Issued);
                });
              }}
            >
              {c.signed ? (
                <div>
                  <label htmlFor={`rot-which-${c.id}`} className="block text-xs font-medium text-slate-800">
                    Rotate
                  </label>
                  <select
                    id={`rot-which-${c.id}`}
                    value={which}
                    onChange={(e) => setWhich(e.target.value as "secret" | "signing")}
                    className="mt-0.5 h-8 rounded-md border border-slate-500 bg-white px-1 text-sm"
                  >
                    <option value="secret">Secret</option>
                    <option value="signing">Signing secret</option>
                  </select>
                </div>
              ) : null}
              <div>
                <label htmlFor={`rot-overlap-${c.id}`} className="block text-xs font-medium text-slate-800">
                  Old one works for (min)
                </label>
                <input
                  id={`rot-overlap-${c.id}`}
                  type="number"
                  min={0}
                  max={43200}
                  value={overlap}
                  onChange={(e) => setOverlap(e.target.value)}
                  className="mt-0.5 h-8 w-24 rounded-md border border-slate-500 bg-white px-2 text-sm"
                />
              </div>
              <button type="submit" className={btnSmall} disabled={pending}>
                Rotate
                <span className="sr-only">
                  {" "}
                  {which === "signing" ? "the signing secret" : "the secret"} of {c.name}
                </span>
              </button>
            </form>
            {confirming ? (
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-sm">Refuse every delivery with this key?</span>
                <ActionButton
                  action={() => revokeApiClientAction({ id: c.id })}
                  busy="Yes, revoke"
                  className={btnDanger}
                  onResult={(res) => {
                    onMessage({ ok: res.status === "success", text: res.message ?? "" });
                    setConfirming(false);
                  }}
                >
                  Yes, revoke
                </ActionButton>
                <button type="button" className={btnSmall} onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </div>
            ) : (
              <button type="button" className={btnSmall} onClick={() => setConfirming(true)}>
                Revoke<span className="sr-only"> {c.name}</span>
              </button>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

const createApiClientResolver = lazyZodResolver(() =>
  import("@/lib/validations/supervisors").then((m) => m.ZCreateApiClient),
);

function CreateApiClientForm({
  onIssued,
  onMessage,
}: {
  onIssued: (i: Issued) => void;
  onMessage: (m: { ok: boolean; text: string }) => void;
}) {
  const { form, pending, onSubmit } = useActionForm<TCreateApiClient>({
    resolver: createApiClientResolver,
    defaultValues: { name: "", signed: true },
    action: createApiClientAction,
    onResult: (res) => {
      onMessage({ ok: res.status === "success", text: res.message ?? "" });
      if (res.status === "success" && res.data) {
        onIssued(res.data as Issued);
        form.reset();
      }
    },
  });
  return (
    <form
      noValidate
      aria-label="Create an API client"
      className="grid gap-3 border-t border-slate-200 px-4 pt-4 sm:grid-cols-[minmax(0,20rem)_auto_auto] sm:items-end"
      onSubmit={onSubmit}
    >
      <FormField id="api-client-name" label="Name of a new client" error={form.formState.errors.name?.message}>
        {(c) => <input placeholder="AlayaConnector UAT" {...form.register("name")} {...c} />}
      </FormField>
      <div className="flex h-10 items-center gap-2">
        <input
          id="api-client-signed"
          type="checkbox"
          {...form.register("signed")}
          className="h-4 w-4 accent-blue-800"
        />
        <label htmlFor="api-client-signed" className="text-sm font-medium text-slate-800">
          Signed deliveries
        </label>
      </div>
      <div>
        <button type="submit" className={btnPrimary} disabled={pending}>
          Create API client
        </button>
      </div>
    </form>
  );
}

/** The webhook senders: list, create, rotate either secret with an overlap, revoke. */
export function ApiClients({ clients }: { clients: ApiClientRow[] }) {
  const [issued, setIssued] = useState<Issued | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const fmt = (iso: string) => formatDateTime(iso);
  return (
    <div className="space-y-3">
      {issued ? <IssuedSecrets issued={issued} onDone={() => setIssued(null)} /> : null}
      <ResultMessage message={message} className="px-4" />
      <ScrollTable
        label="API clients"
        tableClassName="w-full min-w-[48rem] border-collapse text-sm"
        head={<TableHead columns={["Client", "Status", "Last used", "Rotate and revoke"]} />}
      >
        {clients.map((c) => (
          <Row
            key={`${c.id}-${c.revokedAt}-${c.rotatingUntil}-${c.signingRotatingUntil}`}
            c={c}
            fmt={fmt}
            onIssued={setIssued}
            onMessage={setMessage}
          />
        ))}
      </ScrollTable>
      <CreateApiClientForm onIssued={setIssued} onMessage={setMessage} />
      <p className="px-4 pb-4 text-xs text-slate-700">
        The same as <code className="rounded bg-slate-100 px-1">npm run api-client</code>. Only keyed hashes of secrets
        are stored.
      </p>
    </div>
  );
}
