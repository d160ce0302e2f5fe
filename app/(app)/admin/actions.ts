"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { addReason, setReasonActive } from "@/lib/admin/settings";
import { addUser, setUserDisabled, setUserRole, unlockUser } from "@/lib/admin/users";
import {
  createApiClient,
  revokeApiClient,
  rotateApiClientSecret,
  rotateApiClientSigningSecret,
} from "@/lib/intake/api-clients";
import { setSecondReviewPercent } from "@/lib/second-review/settings";
import { ZApiClientRef, ZCreateApiClient, ZRotateApiClient, ZSecondReviewPercent } from "@/lib/validations/supervisors";
import {
  ZAddReason,
  ZCreateUser,
  ZSetDisabled,
  ZSetReasonActive,
  ZSetRole,
  ZUserRef,
  type TCreateUser,
} from "@/lib/validations/users";

const done = <R extends { status: string }>(r: R) => {
  if (r.status === "success") revalidatePath("/admin");
  return r;
};

export async function addUserAction(input: TCreateUser) {
  return done(
    await runAction("add user", "admin:users", ZCreateUser, input, (actor, data) => addUser(getDb(), actor, data)),
  );
}

export async function setUserRoleAction(input: { userId: string; role: string }) {
  return done(
    await runAction("set role", "admin:users", ZSetRole, input, (actor, data) => setUserRole(getDb(), actor, data)),
  );
}

export async function setUserDisabledAction(input: { userId: string; disabled: boolean }) {
  return done(
    await runAction("disable user", "admin:users", ZSetDisabled, input, (actor, data) =>
      setUserDisabled(getDb(), actor, data),
    ),
  );
}

export async function unlockUserAction(input: { userId: string }) {
  return done(
    await runAction("unlock user", "admin:users", ZUserRef, input, (actor, data) => unlockUser(getDb(), actor, data)),
  );
}

export async function addReasonAction(input: { kind?: "rejection" | "update"; code: string; label: string }) {
  return done(
    await runAction("add reason", "admin:settings", ZAddReason, input, (actor, data) =>
      addReason(getDb(), actor, data),
    ),
  );
}

export async function setReasonActiveAction(input: { kind?: "rejection" | "update"; code: string; active: boolean }) {
  return done(
    await runAction("reason active", "admin:settings", ZSetReasonActive, input, (actor, data) =>
      setReasonActive(getDb(), actor, data),
    ),
  );
}

/** ACCloud reference data on demand (it also refreshes at start and on the worker's schedule). */
export async function refreshReferenceDataAction() {
  return done(
    await runAction("refresh reference data", "admin:settings", z.object({}), {}, async (actor) => {
      const { refreshReferenceData } = await import("@/lib/accloud/reference-data");
      const { createAccloudClientFromEnv } = await import("@/lib/accloud/client");
      try {
        const ref = await refreshReferenceData({ db: getDb(), client: createAccloudClientFromEnv(), actor: actor });
        return {
          status: "success" as const,
          message: `Loaded ${ref.funders.length} funders, ${ref.serviceCodes.length} service codes, ${ref.suppliers.length} suppliers; group ${ref.csiGroup?.name ?? "?"}.`,
        };
      } catch (err) {
        return {
          status: "failed" as const,
          message: `ACCloud reference data could not be refreshed: ${(err as Error).message}`,
        };
      }
    }),
  );
}

/** The library throws for an unknown or revoked client: a result the page shows, not a 500. */
const notActive = (err: unknown) => ({
  status: "failed" as const,
  message: /no active/.test((err as Error).message)
    ? "This API client is revoked or does not exist."
    : "Something went wrong and nothing was saved.",
});

/** A success that carries an API client's new secrets, shown once. */
type ShownOnce = { key: string; secret: string | null; signingSecret: string | null };
const shownOnce = <D extends ShownOnce>(message: string, data: D) => ({ status: "success" as const, message, data });

/** API clients, the same functions as `npm run api-client`; secrets are returned once, to be shown once. */
export async function createApiClientAction(input: { name: string; signed: boolean }) {
  return done(
    await runAction("create api client", "admin:api_clients", ZCreateApiClient, input, async (actor, data) => {
      const c = await createApiClient(getDb(), { name: data.name, withSigningSecret: data.signed, actor: actor });
      return shownOnce(`Created “${c.name}”. Copy the secret now: it is not shown again.`, {
        key: c.key,
        secret: c.secret,
        signingSecret: c.signingSecret ?? null,
      });
    }),
  );
}

export async function rotateApiClientAction(input: {
  id: string;
  which: "secret" | "signing";
  overlapMinutes: number;
}) {
  return done(
    await runAction("rotate api client", "admin:api_clients", ZRotateApiClient, input, async (actor, data) => {
      const { id, overlapMinutes } = data;
      try {
        if (data.which === "signing") {
          const c = await rotateApiClientSigningSecret(getDb(), { id, overlapMinutes, actor: actor });
          return shownOnce(
            `New signing secret for ${c.key}. The previous one is accepted for ${overlapMinutes} more minutes.`,
            { key: c.key, secret: null, signingSecret: c.signingSecret },
          );
        }
        const c = await rotateApiClientSecret(getDb(), { id, overlapMinutes, actor: actor });
        return shownOnce(`New secret for ${c.key}. The previous one works for ${overlapMinutes} more minutes.`, {
          key: c.key,
          secret: c.secret,
          signingSecret: null,
        });
      } catch (err) {
        return notActive(err);
      }
    }),
  );
}

export async function revokeApiClientAction(input: { id: string }) {
  return done(
    await runAction("revoke api client", "admin:api_clients", ZApiClientRef, input, async (actor, data) => {
      try {
        await revokeApiClient(getDb(), { id: data.id, actor: actor });
        return { status: "success" as const, message: "Revoked: its deliveries are refused within 5 seconds." };
      } catch (err) {
        return notActive(err);
      }
    }),
  );
}

export async function setSecondReviewPercentAction(input: { percent: number }) {
  return done(
    await runAction("second review share", "admin:settings", ZSecondReviewPercent, input, (actor, data) =>
      setSecondReviewPercent(getDb(), actor, data.percent),
    ),
  );
}
