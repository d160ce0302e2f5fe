"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { addReason, setReasonActive } from "@/lib/dal/settings";
import { addUser, setUserDisabled, setUserRole, unlockUser } from "@/lib/dal/users";
import { ZAddReason, ZCreateUser, ZSetDisabled, ZSetReasonActive, ZSetRole, ZUserRef, type TCreateUser } from "@/lib/validations/users";

const done = <R extends { status: string }>(r: R) => {
  if (r.status === "success") revalidatePath("/admin");
  return r;
};

export async function addUserAction(input: TCreateUser) {
  return done(await runAction("add user", "admin:users", ZCreateUser, input, (actor, data) => addUser(getDb(), actor, data)));
}

export async function setUserRoleAction(input: { userId: string; role: string }) {
  return done(await runAction("set role", "admin:users", ZSetRole, input, (actor, data) => setUserRole(getDb(), actor, data)));
}

export async function setUserDisabledAction(input: { userId: string; disabled: boolean }) {
  return done(await runAction("disable user", "admin:users", ZSetDisabled, input, (actor, data) => setUserDisabled(getDb(), actor, data)));
}

export async function unlockUserAction(input: { userId: string }) {
  return done(await runAction("unlock user", "admin:users", ZUserRef, input, (actor, data) => unlockUser(getDb(), actor, data)));
}

export async function addReasonAction(input: { kind?: "rejection" | "update"; code: string; label: string }) {
  return done(await runAction("add reason", "admin:settings", ZAddReason, input, (actor, data) => addReason(getDb(), actor, data)));
}

export async function setReasonActiveAction(input: { kind?: "rejection" | "update"; code: string; active: boolean }) {
  return done(await runAction("reason active", "admin:settings", ZSetReasonActive, input, (actor, data) => setReasonActive(getDb(), actor, data)));
}

/** ACCloud reference data on demand (it also refreshes at start and on the worker's schedule). */
export async function refreshReferenceDataAction() {
  return done(
    await runAction("refresh reference data", "admin:settings", z.object({}), {}, async (actor) => {
      const { refreshReferenceData } = await import("@/lib/accloud/reference-data");
      const { createAccloudClientFromEnv } = await import("@/lib/accloud/client");
      const { getPool } = await import("@/lib/db");
      try {
        const ref = await refreshReferenceData({ db: getPool(), client: createAccloudClientFromEnv(), actor: { type: "user", id: actor.id, label: actor.email } });
        return { status: "success" as const, message: `Loaded ${ref.funders.length} funders, ${ref.serviceCodes.length} service codes, ${ref.suppliers.length} suppliers; group ${ref.csiGroup?.name ?? "?"}.` };
      } catch (err) {
        return { status: "failed" as const, message: `ACCloud reference data could not be refreshed: ${(err as Error).message}` };
      }
    }),
  );
}
