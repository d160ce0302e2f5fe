import { randomUUID } from "node:crypto";
import { createApiClient, type IssuedCredentials } from "../../lib/intake/api-clients";
import { systemActor } from "../../lib/access/actors";
import { getDb } from "../../lib/db";
import type { TReferralRequest } from "../../lib/intake/schema";
import { readReferencePayload } from "../../lib/demo/reference-payload";
import type { TApprovalInput } from "../../lib/approval/schema";
import { isoDay } from "./dates";

/** reference/new_referral_request_payload.json, a fresh copy per call. */
export const referencePayload = readReferencePayload;

/** The reference payload under a fresh request_id. */
export function freshPayload(): TReferralRequest & Record<string, unknown> {
  return { ...referencePayload(), request_id: randomUUID() };
}

export async function newApiClient(opts: { signed?: boolean } = {}): Promise<IssuedCredentials> {
  return createApiClient(getDb(), {
    name: `test ${randomUUID().slice(0, 8)}`,
    withSigningSecret: opts.signed,
    actor: systemActor("test"),
  });
}

export const basic = (c: { key: string; secret: string }) =>
  `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString("base64")}`;

export function webhookRequest(
  body: unknown,
  init: {
    auth?: string | null;
    contentType?: string | null;
    headers?: Record<string, string>;
    raw?: string | Buffer;
  } = {},
): Request {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth) headers.authorization = init.auth;
  if (init.contentType !== null) headers["content-type"] = init.contentType ?? "application/json";
  const payload = init.raw ?? JSON.stringify(body);
  return new Request("http://localhost/api/referral-requests", {
    method: "POST",
    headers,
    body: typeof payload === "string" ? payload : new Uint8Array(payload),
  });
}

/** A valid approval as the editor sends it: nursing, weekday visits, from tomorrow for a month. */
export function approvalInput(over: Partial<TApprovalInput> = {}): TApprovalInput {
  return {
    careType: "nursing",
    serviceCodeId: 48,
    funderId: 9,
    startDate: isoDay(1),
    endDate: isoDay(30),
    supplyPersonaId: "91c79089-a3ca-4cca-acf4-52fc1f1302c6",
    caseManager: { name: "Casey" },
    authorizations: [{ ruleType: "VISITS", ruleMode: "weekdays", weekdays: { monday: 1 }, firstDayOfWeek: 6 }],
    ...over,
  };
}
