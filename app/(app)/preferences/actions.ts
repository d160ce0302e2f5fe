"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { setNotificationPreferences } from "@/lib/notifications/preferences";
import { ZPreferences } from "@/lib/validations/supervisors";

/** One's own e-mail preferences (every signed-in role has some). */
export async function setPreferencesAction(input: { prefs: Record<string, boolean> }) {
  const result = await runAction("preferences", "referral:read", ZPreferences, input, async (actor, data) => {
    const n = await setNotificationPreferences(getDb(), actor, data.prefs);
    return { status: "success" as const, message: n ? "Saved." : "Nothing changed." };
  });
  if (result.status === "success") revalidatePath("/preferences");
  return result;
}
