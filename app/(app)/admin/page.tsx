import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { AddUserForm } from "@/components/admin/add-user-form";
import { ApiClients } from "@/components/admin/api-clients";
import { SecondReviewShare } from "@/components/admin/second-review-share";
import { listApiClients } from "@/lib/intake/api-clients";
import { getSecondReviewPercent } from "@/lib/second-review/settings";
import { ReasonsEditor } from "@/components/admin/reasons-editor";
import { ReferenceDataRefresh } from "@/components/admin/reference-data-refresh";
import { getReferenceData } from "@/lib/accloud/reference-data";
import { UserControls } from "@/components/admin/user-controls";
import { requirePageActor } from "@/lib/auth/guards";
import { hasScope, rolesLabel } from "@/lib/access/scopes";
import { listReasons } from "@/lib/admin/settings";
import { listUsers } from "@/lib/admin/users";
import { getDb } from "@/lib/db";
import { formatDateTime } from "@/lib/format";
import { ScrollTable, TableHead } from "@/components/ui/table";
import { Panel } from "@/components/ui/panel";

export const metadata: Metadata = { title: "Administration" };

export default async function AdminPage() {
  const actor = await requirePageActor("admin:*");
  const db = getDb();
  const [users, reasons, ref, clients, percent] = await Promise.all([
    hasScope(actor, "admin:users") ? listUsers(db, actor) : Promise.resolve(null),
    hasScope(actor, "admin:settings") ? listReasons(db, actor) : Promise.resolve(null),
    hasScope(actor, "admin:settings") ? getReferenceData(getDb()) : Promise.resolve(null),
    hasScope(actor, "admin:api_clients") ? listApiClients(db) : Promise.resolve(null),
    hasScope(actor, "admin:settings") ? getSecondReviewPercent(db) : Promise.resolve(null),
  ]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Administration</h1>
        {hasScope(actor, "admin:settings") ? (
          <Link href="/admin/outbox" className="text-sm font-medium text-blue-800 underline underline-offset-2">
            E-mail outbox
          </Link>
        ) : null}
      </div>
      {users ? (
        <Panel id="users-title" title="Users" large>
          <ScrollTable
            label="Users"
            tableClassName="w-full min-w-[44rem] border-collapse text-sm"
            head={<TableHead columns={["User", "Status", "Last sign-in", "Role and access"]} />}
          >
            {users.map((u) => (
              <tr key={u.id} className="border-b border-slate-100 align-top" data-user={u.email}>
                <td className="px-4 py-2.5">
                  <p className="font-medium">{u.name}</p>
                  <p className="text-slate-700">{u.email}</p>
                  <p className="text-xs text-slate-600">
                    {u.hasPassword ? "Password" : "Single sign-on"} · {rolesLabel(u.roles)}
                  </p>
                </td>
                <td className="px-4 py-2.5">
                  {u.disabled ? (
                    <span className="font-medium text-red-800">Disabled</span>
                  ) : u.locked ? (
                    <span className="font-medium text-amber-900">Locked</span>
                  ) : (
                    <span>Active</span>
                  )}
                </td>
                <td className="px-4 py-2.5 text-slate-700">
                  {u.lastSignInAt ? formatDateTime(u.lastSignInAt) : "Never"}
                </td>
                <td className="px-4 py-2.5">
                  <UserControls
                    key={`${u.roles.join("+")}-${u.disabled}-${u.locked}`}
                    user={u}
                    isSelf={u.id === actor.id}
                  />
                </td>
              </tr>
            ))}
          </ScrollTable>
          <div className="border-t border-slate-200 px-4 py-4">
            <h3 className="mb-2 font-semibold">Add a user</h3>
            <AddUserForm />
          </div>
        </Panel>
      ) : null}
      {ref ? (
        <section
          aria-labelledby="ref-title"
          className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
          data-testid="reference-data"
        >
          <h2 id="ref-title" className="mb-1 text-lg font-semibold">
            ACCloud reference data
          </h2>
          <p className="mb-3 text-sm text-slate-800">
            Group {ref.csiGroup ? `“${ref.csiGroup.name}” (${ref.csiGroup.id})` : "not found"} · {ref.funders.length}{" "}
            funders · {ref.serviceCodes.length} service codes · {ref.suppliers.length} trusted-network agencies. Last
            refresh:{" "}
            {ref.lastRefresh
              ? `${formatDateTime(ref.lastRefresh.refreshedAt.toISOString())} (${ref.lastRefresh.status})`
              : "never"}
            .
          </p>
          <ReferenceDataRefresh />
        </section>
      ) : null}
      {clients ? (
        <Panel id="api-clients-title" title="API clients" large testId="api-clients">
          <p className="px-4 pt-3 text-sm text-slate-800">
            The senders allowed to call the webhook, one per AlayaConnector environment.
          </p>
          <ApiClients
            clients={clients.map((c) => ({
              ...c,
              revokedAt: c.revokedAt?.toISOString() ?? null,
              lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
              createdAt: c.createdAt.toISOString(),
              rotatingUntil: c.rotatingUntil?.toISOString() ?? null,
              signingRotatingUntil: c.signingRotatingUntil?.toISOString() ?? null,
            }))}
          />
        </Panel>
      ) : null}
      {percent !== null ? (
        <section
          aria-labelledby="second-review-title"
          className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <h2 id="second-review-title" className="mb-1 text-lg font-semibold">
            Second reviews
          </h2>
          <SecondReviewShare percent={percent} />
        </section>
      ) : null}
      {reasons
        ? (
            [
              ["rejection", "Rejection reasons", "Why a request is refused."],
              ["update", "Update reasons", "Why a sent referral changes: the agency sees them with the new revision."],
            ] as const
          ).map(([kind, title, hint]) => (
            <section
              key={kind}
              aria-labelledby={`${kind}-reasons-title`}
              className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            >
              <h2 id={`${kind}-reasons-title`} className="text-lg font-semibold">
                {title}
              </h2>
              <p className="mb-3 text-sm text-slate-700">{hint}</p>
              <ReasonsEditor
                kind={kind}
                reasons={reasons
                  .filter((r) => r.kind === kind)
                  .map((r) => ({ code: r.code, label: r.label, active: r.active }))}
              />
            </section>
          ))
        : null}
    </div>
  );
}
