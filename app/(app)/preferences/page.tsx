import type { Metadata } from "next";
import { PreferencesForm } from "@/components/preferences/preferences-form";
import { requirePageActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/events";
import { getNotificationPreferences } from "@/lib/notifications/preferences";

export const metadata: Metadata = { title: "E-mail preferences" };

export default async function PreferencesPage() {
  const actor = await requirePageActor("referral:read");
  const prefs = await getNotificationPreferences(getDb(), actor);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">E-mail preferences</h1>
        <p className="text-sm text-slate-700">For {actor.email}.</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <PreferencesForm events={NOTIFICATION_EVENTS} initial={prefs} smtp={Boolean(getEnv().SMTP_URL)} />
      </div>
    </div>
  );
}
