import { Link } from "@/components/ui/link";
import { signOutAction } from "@/app/sign-in/actions";
import { hasScope, homePath, rolesLabel } from "@/lib/access/scopes";
import { type Actor } from "@/lib/access/actors";
import { NavLinks } from "./nav-links";

export function AppHeader({ actor }: { actor: Actor }) {
  // Only what the actor's scopes open: an administrator (who reads no referrals) sees no queue.
  const links: Array<{ href: string; label: string }> = [];
  if (hasScope(actor, "referral:read"))
    links.push({ href: "/queue", label: "Queue" }, { href: "/reviews", label: "Reviews" });
  if (hasScope(actor, "reports:read")) links.push({ href: "/dashboard", label: "Turnaround" });
  if (hasScope(actor, "audit:read")) links.push({ href: "/audit", label: "Audit" });
  if (hasScope(actor, "admin:*")) links.push({ href: "/admin", label: "Admin" });
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5">
        <Link href={homePath(actor)} className="text-base font-bold tracking-tight text-slate-900">
          CSI Referral Review
        </Link>
        <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto">
          <NavLinks links={links} />
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span className="hidden text-slate-700 sm:inline" data-testid="current-user">
            {actor.name} <span className="text-slate-600">· {rolesLabel(actor)}</span>
          </span>
          <span className="text-slate-700 sm:hidden">{rolesLabel(actor)}</span>
          {hasScope(actor, "referral:read") ? (
            <Link
              href="/preferences"
              className="rounded-md px-1.5 py-1 font-medium text-blue-800 underline underline-offset-2 hover:bg-slate-100"
            >
              E-mail settings
            </Link>
          ) : null}
          <form action={signOutAction}>
            <button
              type="submit"
              className="rounded-md border border-slate-400 px-2.5 py-1 font-medium text-slate-900 hover:bg-slate-100"
            >
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
