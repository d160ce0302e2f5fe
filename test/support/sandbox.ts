/**
 * Test set-up: a sandbox in its own schema on the test database (so test files run in parallel),
 * a typed client and control driver pointed at it, a raw-fetch helper for requests the typed
 * client refuses to send, and builders for valid payloads relative to today.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createAccloudClient, type AccloudClient, type AccloudClientConfig } from "../../lib/accloud/client";
import type { TAuthorizationCreate, TClientCreate, TReferralCreate, TServiceCreate } from "../../lib/accloud/schemas";
import { createSandboxControl, type SandboxControl } from "../../lib/accloud/sandbox/control";
import type { SandboxRules } from "../../lib/accloud/sandbox/rules";
import { CSI_GROUP_ID, GEM_CITY_SUPPLIER_ID, HQ_BRANCH_ID } from "../../lib/accloud/sandbox/seed";
import { startSandbox, type RunningSandbox } from "../../lib/accloud/sandbox/server";

export const TEST_API_KEY = "test-key";
export const TEST_API_SECRET = "test-secret";
export const TEST_CONTROL_KEY = "test-control";

export type RawResponse = { status: number; body: unknown; text: string; headers: Headers };

export type TestSandbox = {
  sandbox: RunningSandbox;
  url: string;
  schema: string;
  client: AccloudClient;
  control: SandboxControl;
  raw: (
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: string | null; headers?: Record<string, string> },
  ) => Promise<RawResponse>;
  close: () => Promise<void>;
};

export const basicAuth = (key = TEST_API_KEY, secret = TEST_API_SECRET) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;

export function randomSchema(): string {
  return `sbx_${randomBytes(6).toString("hex")}`;
}

/** A typed client with the test credentials (a 5 s timeout unless `over` says otherwise). */
export function testClient(baseUrl: string, over: Partial<AccloudClientConfig> = {}): AccloudClient {
  return createAccloudClient({ baseUrl, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, timeoutMs: 5_000, ...over });
}

export async function startTestSandbox(
  opts: { options?: Partial<SandboxRules>; schema?: string; client?: Partial<AccloudClientConfig> } = {},
): Promise<TestSandbox> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set (vitest global setup provides it)");
  const schema = opts.schema ?? randomSchema();
  const sandbox = await startSandbox({
    databaseUrl,
    port: 0,
    schema,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    controlKey: TEST_CONTROL_KEY,
    options: opts.options,
  });
  const client = testClient(sandbox.url, opts.client);
  const control = createSandboxControl({ baseUrl: sandbox.url, controlKey: TEST_CONTROL_KEY });
  const raw: TestSandbox["raw"] = async (method, path, body, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const auth = init.auth === undefined ? basicAuth() : init.auth;
    if (auth) headers.authorization = auth;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["content-type"] ??= "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const res = await fetch(`${sandbox.url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return { sandbox, url: sandbox.url, schema, client, control, raw, close: () => sandbox.close() };
}

/** A sandbox of its own (its own rules) for one test: started, given to `run`, closed afterwards. */
export async function withTestSandbox<T>(
  opts: Parameters<typeof startTestSandbox>[0],
  run: (sbx: TestSandbox) => Promise<T>,
): Promise<T> {
  const sbx = await startTestSandbox(opts);
  try {
    return await run(sbx);
  } finally {
    await sbx.close();
  }
}

/**
 * One sandbox for the whole test file: started before its first test and closed after its last.
 * The answer is filled in when the sandbox has started, so read its fields inside tests and hooks.
 * With `resetFaults`, every test ends with no fault armed and no latency.
 */
export function testSandboxForFile(
  opts: Parameters<typeof startTestSandbox>[0] & { resetFaults?: boolean } = {},
): TestSandbox {
  const { resetFaults, ...start } = opts;
  const t = {} as TestSandbox;
  beforeAll(async () => {
    Object.assign(t, await startTestSandbox(start));
  });
  if (resetFaults) {
    afterEach(async () => {
      await t.control.clearFaults();
      await t.control.setLatency(0);
    });
  }
  afterAll(async () => {
    await t.close?.();
  });
  return t;
}

/** YYYY-MM-DD, `days` from today (UTC). */
export function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Midnight in Chicago as the CSI examples write it (05:00Z in summer). */
export const chicagoMidnight = (day: string) => `${day}T05:00:00+00:00`;

export function clientBody(over: Partial<TClientCreate> = {}): TClientCreate {
  return {
    demographics: {
      first_name: "Frank",
      last_name: "Smith",
      address: "3000 Lakeside Dr",
      city: "Bannockburn",
      state: "IL",
      zip: "60015",
      country: "US",
      birthday: "1999-01-31",
      email: "frank.smith@example.com",
      phone_main: "515-223-4455",
      gender: "M",
    },
    external_id: `csi-client-${randomUUID()}`,
    branch_id: HQ_BRANCH_ID,
    language: "en",
    groups: [{ id: CSI_GROUP_ID }],
    timezone: "America/Chicago",
    ...over,
  };
}

export function serviceBody(clientId: number, over: Partial<TServiceCreate> = {}): TServiceCreate {
  return {
    service_id: randomUUID(),
    name: "Skilled Nursing",
    client: { alayacare_client_id: clientId },
    start_date: isoDay(7),
    projected_end_date: isoDay(90),
    funding_methodology: "single_funder",
    guid_funder_breakdowns: [{ funder_id: 9, is_primary: 1, percentage: 100 }],
    service_code_id: 48,
    service_instructions: "Please use buzz code 203",
    use_client_address: true,
    profile: { target_agency: "Gem City Home Care" },
    ...over,
  } as TServiceCreate;
}

export function authorizationBody(
  clientId: number,
  serviceId: number,
  over: Partial<TAuthorizationCreate> = {},
): TAuthorizationCreate {
  return {
    client_id: clientId,
    service_ids: [serviceId],
    start_at: isoDay(7),
    end_at: isoDay(36),
    methodology: "service",
    authorization_number: "123-456",
    member_number: "123-456",
    program_id: "123-456",
    notes: "",
    rule_type: "HOURS",
    rule_weekly: 10,
    rule_monthly: 40,
    rule_period: 50,
    rule_monday: 1,
    rule_tuesday: 1,
    rule_wednesday: 1,
    rule_thursday: 1,
    rule_friday: 1,
    first_day_of_week: 6,
    case_manager_name: "Jane Smith",
    case_manager_phone: "515-111-2222",
    case_manager_fax: "515-111-3333",
    case_manager_email: "jane.smith@example.com",
    ...over,
  };
}

export function referralBody(authorizationIds: number[], over: Partial<TReferralCreate> = {}): TReferralCreate {
  return {
    authorization_ids: authorizationIds,
    supply_persona_id: GEM_CITY_SUPPLIER_ID,
    referral_type: "service",
    care_type: "nursing",
    start_at: chicagoMidnight(isoDay(7)),
    end_at: chicagoMidnight(isoDay(36)),
    comment: "",
    case_manager: {
      name: "Jane Smith",
      phone_number: "515-111-2233",
      fax_number: null,
      email: "jane.smith@example.com",
    },
    ...over,
  };
}

/** Client → service → authorization → referral, all valid; returns every id. */
export async function createChain(client: AccloudClient) {
  const c = await client.createClient(clientBody());
  const s = await client.createService(serviceBody(c.id));
  const a = await client.createAuthorization(authorizationBody(c.id, s.id));
  const r = await client.createReferral(s.id, referralBody([a.id]));
  return { clientId: c.id, serviceId: s.id, authorizationId: a.id, referral: r };
}
