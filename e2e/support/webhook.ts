/** Referral requests delivered the way AlayaConnector delivers them: over the real webhook. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import { referenceFile } from "../../lib/demo/reference-payload";
import { runDataDir } from "./run-data";

/** The seeded reference request's request_id (see reference/README.md). */
export const REFERENCE_REQUEST_ID = "0e1d5e34-63d7-4bb2-8e22-9376943ab56f";

export type ReferralPayload = {
  request_id?: string;
  client: Record<string, unknown>;
  agency: Record<string, unknown>;
  form_data: {
    fields: Array<{ field_label: string; field_type: string; field_value: unknown; type: string | null }>;
    [k: string]: unknown;
  };
  files: Array<{ file_name: string; file_value: string }>;
};

/**
 * AlayaConnector's example delivery, parsed afresh on every call so callers may change it; typed
 * more narrowly than the intake schema, as the specs read and change its fields.
 */
export function readReferencePayload(): ReferralPayload {
  return JSON.parse(readFileSync(referenceFile("new_referral_request_payload.json"), "utf8")) as ReferralPayload;
}

let authorization: string | undefined;
/** The Authorization header of an API client created once per worker with the app's CLI. */
export function getWebhookAuthorization(): string {
  if (!authorization) {
    const out = execFileSync(
      process.execPath,
      [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/api-client.ts", "create", "--name", "e2e", "--json"],
      {
        env: { ...process.env, DATA_DIR: runDataDir(), LOG_LEVEL: "error", SEED_DEMO_DATA: "false" },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    const c = JSON.parse(out.trim().split("\n").pop()!) as { key: string; secret: string };
    authorization = `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString("base64")}`;
  }
  return authorization;
}

/** Posts this exact payload (a new request, a redelivery or an amendment) and expects it taken (201). */
export async function postReferral(request: APIRequestContext, payload: ReferralPayload): Promise<{ id: string }> {
  const res = await request.post("/api/referral-requests", {
    headers: { authorization: getWebhookAuthorization() },
    data: payload,
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string };
}

/** Delivers a new request: the reference payload under a fresh request_id, changed by `mutate`. */
export async function deliverReferral(
  request: APIRequestContext,
  mutate: (p: ReferralPayload) => void = () => {},
): Promise<{ id: string }> {
  const payload = { ...readReferencePayload(), request_id: crypto.randomUUID() };
  mutate(payload);
  return postReferral(request, payload);
}

/** Who the request is for and what it asks: the client's id, names and birthday, the agency, the service and its dates. */
export type RequestParts = {
  agency?: { orgId: string; name: string };
  clientId?: number;
  firstName?: string;
  lastName?: string;
  birthday?: string;
  service?: string;
  start?: string;
  end?: string;
};

/** Changes a payload's client, agency, service and dates (the form's fields too, so the two agree). */
export function setRequestParts(p: ReferralPayload, parts: RequestParts): void {
  if (parts.agency) p.agency = { ...p.agency, alayamarket_org_id: parts.agency.orgId, name: parts.agency.name };
  p.client = {
    ...p.client,
    ...(parts.clientId !== undefined ? { id: parts.clientId } : {}),
    ...(parts.firstName ? { first_name: parts.firstName } : {}),
    ...(parts.lastName ? { last_name: parts.lastName } : {}),
    ...(parts.birthday ? { birthday: parts.birthday } : {}),
  };
  const set = (label: string, value: unknown) => setFormField(p, label, value);
  set("Service Requested", parts.service ? { option: { name: parts.service, value: parts.service } } : undefined);
  set("Service start date", parts.start);
  set("Service end date", parts.end);
  set("Date of Birth", parts.birthday);
}

/** Sets the value of the payload's form field labelled `label`, when it has one (`undefined` leaves it as it is). */
export function setFormField(p: ReferralPayload, label: string, value: unknown): void {
  const f = p.form_data.fields.find((x) => x.field_label === label);
  if (f && value !== undefined) f.field_value = value;
}
