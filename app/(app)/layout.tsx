import { AppHeader } from "@/components/app-header";
import { IdleLogout } from "@/components/idle-logout";
import { requirePageActor } from "@/lib/auth/guards";
import { getEnv } from "@/lib/env";

/** The signed-in shell. Each page checks the session and its scope again (layouts do not re-run on navigation). */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return (
    <>
      <AppHeader actor={actor} />
      <IdleLogout idleMinutes={getEnv().SESSION_IDLE_MINUTES} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-5 sm:py-6">
        {children}
      </main>
    </>
  );
}
