/** Vitest helpers for the reviewer UI: users per role with live sessions, referral requests per agency. */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { systemActor } from "../../lib/access/actors";
import type { Role } from "../../lib/access/scopes";
import type { Actor } from "../../lib/access/actors";
import { createSession } from "../../lib/auth/sessions";
import { closeDb, getDb } from "../../lib/db";
import { decodeFiles } from "../../lib/intake/files";
import { ingestReferralRequest } from "../../lib/intake/ingest";
import type { TReferralRequest } from "../../lib/intake/schema";
import { freshPayload } from "./fixtures";
import { createUser } from "../../lib/auth/users";

export const TEST_PASSWORD = "correct horse battery staple";

export async function makeUser(role: Role, opts: { password?: string } = {}): Promise<Actor> {
  const db = getDb();
  const email = `${role}-${randomUUID().slice(0, 8)}@test.example`;
  const name = `${role} ${email.slice(role.length + 1, role.length + 5)}`;
  const { id } = await createUser(db, {
    email,
    name,
    role,
    password: opts.password ?? TEST_PASSWORD,
    actor: systemActor("test"),
  });
  const sessionId = await createSession(db, { userId: id, provider: "credentials", label: email });
  return { type: "user", id, email, name, role, sessionId };
}

/** One actor per role, each with a live session. */
export async function makeActors(): Promise<Record<Role, Actor>> {
  return {
    reviewer: await makeUser("reviewer"),
    supervisor: await makeUser("supervisor"),
    admin: await makeUser("admin"),
  };
}

/**
 * One actor per role for the whole test file, made before its first test; after its last the
 * file's database pool is closed. Filled in when made, so read it inside tests and hooks.
 */
export function actorsForFile(): Record<Role, Actor> {
  const actors = {} as Record<Role, Actor>;
  beforeAll(async () => {
    Object.assign(actors, await makeActors());
  });
  afterAll(async () => {
    await closeDb();
  });
  return actors;
}

/** A referral request (reference payload) for an agency of its own, so tests never see each other's rows. */
export async function makeReferral(
  opts: {
    orgId?: string;
    agencyName?: string;
    firstName?: string;
    lastName?: string;
    service?: string;
    receivedAt?: Date;
    mutate?: (p: TReferralRequest) => void;
  } = {},
): Promise<{ id: string; requestId: string; orgId: string; payload: TReferralRequest }> {
  const payload = freshPayload() as TReferralRequest;
  const orgId = opts.orgId ?? randomUUID();
  payload.agency = { ...payload.agency, alayamarket_org_id: orgId, name: opts.agencyName ?? payload.agency.name };
  payload.client = {
    ...payload.client,
    first_name: opts.firstName ?? payload.client.first_name,
    last_name: opts.lastName ?? payload.client.last_name,
  };
  if (opts.service) {
    const f = payload.form_data.fields.find((x) => x.field_label === "Service Requested");
    if (f) f.field_value = { option: { name: opts.service, value: opts.service } };
  }
  opts.mutate?.(payload);
  const files = await decodeFiles(payload.files ?? [], 50 * 1024 * 1024);
  const r = await ingestReferralRequest(getDb(), {
    payload,
    files,
    actor: systemActor("test"),
    receivedAt: opts.receivedAt,
  });
  return { id: r.id, requestId: r.requestId, orgId, payload };
}

export async function rowOf(id: string): Promise<Record<string, unknown>> {
  const r = await getDb().execute(sql`select * from referral_requests where id = ${id}`);
  return r.rows[0] as Record<string, unknown>;
}

export async function auditActions(entityId: string): Promise<string[]> {
  const r = await getDb().execute<{ action: string }>(
    sql`select action from audit_events where entity_id = ${entityId} order by id`,
  );
  return r.rows.map((x) => x.action);
}
