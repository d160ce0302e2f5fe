import { headers } from "next/headers";
import { Link } from "@/components/ui/link";
import { currentSession } from "@/lib/auth/guards";
import { homePath, SCOPE_MEANINGS, scopeForPath } from "@/lib/access/scopes";

/** Rendered inside the signed-in shell (its <main>), so no landmark of its own. */
export default async function Forbidden() {
  const scope = scopeForPath((await headers()).get("x-csi-path") ?? "");
  const meaning = scope === "admin:*" ? "administer this installation" : scope ? SCOPE_MEANINGS[scope] : null;
  // Where this user starts (the queue, or /admin for an administrator, who reads no referrals).
  const check = await currentSession(false);
  const home = check.ok ? homePath(check.actor) : "/queue";
  return (
    <div className="mx-auto max-w-xl px-4 py-12">
      <p className="text-sm font-semibold text-red-800">403 Forbidden</p>
      <h1 className="mt-1 text-2xl font-bold tracking-tight">You don’t have access to this page</h1>
      <p className="mt-3 text-slate-700" data-testid="missing-scope">
        {scope ? (
          <>
            It needs the <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-sm">{scope}</code> scope (
            {meaning}), which your role does not have.
          </>
        ) : (
          "Your role does not have the scope this page needs."
        )}
      </p>
      <Link href={home} className="mt-6 inline-block font-medium text-blue-800 underline underline-offset-2">
        {home === "/queue" ? "Back to the queue" : "Back to your start page"}
      </Link>
    </div>
  );
}
