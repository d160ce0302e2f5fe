import { connection } from "next/server";
import { isSandboxMode } from "@/lib/env";

/** Says plainly, on every page, when approvals go to the local ACCloud sandbox and not to a tenant. */
export async function SandboxBanner() {
  await connection();
  if (!isSandboxMode()) return null;
  return (
    <div role="note" className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 border-b border-amber-300">
      <strong>ACCloud sandbox:</strong> approvals are sent to the local sandbox, not to a real AlayaCare tenant.
    </div>
  );
}
