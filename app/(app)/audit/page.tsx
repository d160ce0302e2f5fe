import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/guards";
import { listAuditEvents } from "@/lib/dal/audit";
import { getDb } from "@/lib/db";
import { formatDateTimeSeconds } from "@/lib/referrals/format";

export const metadata: Metadata = { title: "Audit trail" };

const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 100) : undefined);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("audit:read");
  const sp = await searchParams;
  const entityId = one(sp.entity);
  const action = one(sp.action);
  const before = Number(one(sp.before));
  const { rows, nextBeforeId } = await listAuditEvents(getDb(), actor, { entityId, action, beforeId: Number.isSafeInteger(before) && before > 0 ? before : undefined });
  const keep = new URLSearchParams({ ...(entityId ? { entity: entityId } : {}), ...(action ? { action } : {}) });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold tracking-tight">Audit trail</h1>
      <form method="get" action="/audit" aria-label="Filter the audit trail" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="a-action" className="block text-sm font-medium text-slate-800">Action starts with</label>
          <input id="a-action" name="action" defaultValue={action ?? ""} placeholder="referral." className="mt-1 rounded-md border border-slate-500 px-2 py-1.5 text-sm" />
        </div>
        <div>
          <label htmlFor="a-entity" className="block text-sm font-medium text-slate-800">Entity id</label>
          <input id="a-entity" name="entity" defaultValue={entityId ?? ""} className="mt-1 w-80 max-w-full rounded-md border border-slate-500 px-2 py-1.5 font-mono text-sm" />
        </div>
        <button type="submit" className="rounded-md bg-blue-800 px-3 py-2 text-sm font-medium text-white hover:bg-blue-900">Filter</button>
      </form>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm" tabIndex={0} role="region" aria-label="Audit events (scrolls sideways)">
        <table className="w-full min-w-[48rem] border-collapse text-sm">
          <caption className="sr-only">Audit events, newest first</caption>
          <thead>
            <tr className="border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-700">
              <th scope="col" className="px-3 py-2">When</th>
              <th scope="col" className="px-3 py-2">Who</th>
              <th scope="col" className="px-3 py-2">Action</th>
              <th scope="col" className="px-3 py-2">Entity</th>
              <th scope="col" className="px-3 py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} className="border-b border-slate-100 align-top">
                <td className="whitespace-nowrap px-3 py-2">{formatDateTimeSeconds(e.at)}</td>
                <td className="px-3 py-2">{e.actorLabel}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-2 text-xs">
                  {e.entityType}
                  {e.entityId ? (
                    e.entityType === "referral_request" ? (
                      <Link href={`/referrals/${e.entityId}`} className="ml-1 font-mono text-blue-800 underline">{e.entityId.slice(0, 8)}</Link>
                    ) : (
                      <span className="ml-1 font-mono">{e.entityId.slice(0, 8)}</span>
                    )
                  ) : null}
                </td>
                <td className="max-w-md px-3 py-2">
                  <code className="break-words text-xs text-slate-800">{JSON.stringify(e.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBeforeId ? (
        <Link href={`/audit?${new URLSearchParams({ ...Object.fromEntries(keep), before: String(nextBeforeId) })}`} className="inline-block rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100">
          Older →
        </Link>
      ) : null}
    </div>
  );
}
