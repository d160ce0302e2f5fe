/**
 * Helpers for the reviewer-UI specs: sign-in over HTTP (Auth.js endpoints, like documenso's
 * apiSignin), direct SQL on the run's embedded PostgreSQL (to age a session or pick rows), and
 * a webhook client created with the app's own CLI.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { createSandboxControl } from "../lib/accloud/sandbox/control";

export const PASSWORD = process.env.E2E_DEMO_PASSWORD ?? "e2e-demo-password";
export const USERS = {
  reviewer: "reviewer@demo.test",
  reviewer2: "reviewer2@demo.test",
  supervisor: "supervisor@demo.test",
  admin: "admin@demo.test",
} as const;
export const REFERENCE_REQUEST_ID = "0e1d5e34-63d7-4bb2-8e22-9376943ab56f";

export function referencePayload() {
  return JSON.parse(readFileSync(path.join(process.cwd(), "reference", "new_referral_request_payload.json"), "utf8")) as {
    client: Record<string, unknown>;
    agency: Record<string, unknown>;
    form_data: { fields: Array<{ field_label: string; field_type: string; field_value: unknown; type: string | null }>; [k: string]: unknown };
    files: Array<{ file_name: string; file_value: string }>;
  };
}

/** Signs the page's browser context in through Auth.js's credentials callback. */
export async function signInAs(page: Page, email: string): Promise<void> {
  await signInRequest(page.request, email);
}

export async function signInRequest(request: APIRequestContext, email: string): Promise<void> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password: PASSWORD, callbackUrl: "/queue" },
    maxRedirects: 0,
  });
  expect(res.status(), `sign-in of ${email}`).toBe(302);
  expect(res.headers().location ?? "").not.toContain("error");
}

let pool: pg.Pool | undefined;
/** The run's database (the launcher's embedded PostgreSQL, found through its owner file). */
export function db(): pg.Pool {
  if (!pool) {
    const dataDir = process.env.E2E_DATA_DIR!;
    const owner = JSON.parse(readFileSync(path.join(dataDir, "owner.json"), "utf8")) as { port: number };
    pool = new pg.Pool({ connectionString: `postgres://postgres:postgres@127.0.0.1:${owner.port}/app`, max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true });
  }
  return pool;
}

export async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const r = await db().query(text, params);
  return r.rows[0] as T;
}

/**
 * The newest audit record's id: a test counts only the records after its mark, so views of the
 * shared demo referrals by earlier specs (one worker, run in turn) cannot satisfy its counts.
 */
export const auditMark = async () => (await one<{ id: number }>("select coalesce(max(id), 0)::bigint::float8 as id from audit_events")).id;

/** This test's audit actions on one entity by one actor since its mark, oldest first. */
export async function auditActionsSince(mark: number, entityId: string, actorLabel: string): Promise<string[]> {
  const r = await db().query<{ action: string }>("select action from audit_events where id > $1 and entity_id = $2 and actor_label = $3 order by id", [mark, entityId, actorLabel]);
  return r.rows.map((row) => row.action);
}

export const referenceId = async () => (await one<{ id: string }>("select id from referral_requests where request_id = $1", [REFERENCE_REQUEST_ID])).id;

/** A new, unassigned demo request other than the reference one (tests that change state use these). */
export async function takeNewReferral(): Promise<{ id: string; client: string }> {
  return one(
    `select id, client_first_name || ' ' || client_last_name as client from referral_requests
     where request_id <> $1 and status = 'new' and assignee_id is null order by received_at desc limit 1`,
    [REFERENCE_REQUEST_ID],
  );
}

let webhookAuth: string | undefined;
/** The Authorization header of an API client created once per worker with the app's CLI. */
export function webhookAuthorization(): string {
  if (!webhookAuth) {
    const out = execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/api-client.ts", "create", "--name", "e2e", "--json"], {
      env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, LOG_LEVEL: "error", SEED_DEMO_DATA: "false" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const c = JSON.parse(out.trim().split("\n").pop()!) as { key: string; secret: string };
    webhookAuth = `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString("base64")}`;
  }
  return webhookAuth;
}

/** Delivers a referral request through the real webhook. */
export async function deliverReferral(request: APIRequestContext, mutate: (p: ReturnType<typeof referencePayload>) => void = () => {}): Promise<{ id: string }> {
  const payload = { ...referencePayload(), request_id: crypto.randomUUID() };
  mutate(payload);
  const res = await request.post("/api/referral-requests", { headers: { authorization: webhookAuthorization() }, data: payload });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string };
}

/** Axe with no serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`)).toEqual([]);
}

/** The run's ACCloud sandbox control API (the launcher writes the sandbox's address into DATA_DIR). */
export function sandboxControl() {
  const { url } = JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, "sandbox.json"), "utf8")) as { url: string };
  return createSandboxControl({ baseUrl: url, controlKey: process.env.ACCLOUD_SANDBOX_CONTROL_KEY ?? "sandbox-control" });
}
