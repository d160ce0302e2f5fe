import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { btnSecondary } from "@/components/ui/styles";
import { requirePageActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/events";
import { listOutbox } from "@/lib/notifications/preferences";
import { formatDateTimeSeconds } from "@/lib/format";

export const metadata: Metadata = { title: "Outbox" };

const STATUS: Record<string, { text: string; cls: string }> = {
  queued: { text: "Waiting to send", cls: "bg-slate-100 text-slate-900" },
  sent: { text: "Sent", cls: "bg-green-100 text-green-900" },
  outbox: { text: "Kept here (no SMTP)", cls: "bg-blue-100 text-blue-900" },
  failed: { text: "Failed", cls: "bg-red-100 text-red-900" },
};

export default async function OutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("admin:settings");
  const sp = await searchParams;
  const before = typeof sp.before === "string" && /^[0-9a-f-]{36}$/i.test(sp.before) ? sp.before : undefined;
  const { rows, olderCursor } = await listOutbox(getDb(), actor, { before });
  const env = getEnv();
  const eventLabel = (k: string) => NOTIFICATION_EVENTS.find((e) => e.key === k)?.label ?? k;
  return (
    <div className="space-y-4">
      <div>
        <Link href="/admin" className="text-sm font-medium text-blue-800 underline underline-offset-2">
          ← Administration
        </Link>
        <h1 className="mt-1 text-2xl font-bold tracking-tight">Outbox</h1>
        <p className="text-sm text-slate-700">
          {env.SMTP_URL
            ? `Every e-mail notification, newest first. Mail goes out over SMTP from ${env.MAIL_FROM}.`
            : "No SMTP server is configured (SMTP_URL), so e-mail notifications are kept here instead of being sent. Newest first."}
        </p>
      </div>
      {rows.length ? (
        <ol
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm"
          aria-label="Messages, newest first"
          data-testid="outbox"
        >
          {rows.map((m) => {
            const st = STATUS[m.status] ?? { text: m.status, cls: "bg-slate-100" };
            return (
              <li key={m.id} className="px-4 py-3 text-sm">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="font-medium text-slate-900">{m.subject}</p>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${st.cls}`}>{st.text}</span>
                </div>
                <p className="mt-0.5 text-xs text-slate-700">
                  To {m.to} · {eventLabel(m.event)} ·{" "}
                  <time dateTime={m.createdAt}>{formatDateTimeSeconds(m.createdAt)}</time>
                  {m.attempts > 1 ? ` · ${m.attempts} tries` : ""}
                  {m.lastError ? ` · last error: ${m.lastError}` : ""}
                </p>
                <details className="mt-1">
                  <summary className="w-fit cursor-pointer rounded text-xs font-medium text-blue-800 underline underline-offset-2">
                    Message<span className="sr-only">: {m.subject}</span>
                  </summary>
                  <pre className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-sans text-xs text-slate-900">
                    {m.body}
                  </pre>
                </details>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-700">
          No messages yet.
        </p>
      )}
      <nav aria-label="Pages of the outbox" className="flex gap-2">
        {before ? (
          <Link href="/admin/outbox" className={btnSecondary}>
            Newest
          </Link>
        ) : null}
        {olderCursor ? (
          <Link href={`/admin/outbox?before=${olderCursor}`} className={btnSecondary}>
            Older →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
