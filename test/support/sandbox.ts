/**
 * Test set-up: a sandbox in its own schema on the test database (so test files run in parallel),
 * a typed client and control driver pointed at it, a raw-fetch helper for requests the typed
 * client refuses to send. The builders of valid payloads are in ./accloud-bodies.ts.
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createAccloudClient, type AccloudClient, type AccloudClientConfig } from "../../lib/accloud/client";
import { createSandboxControl, type SandboxControl } from "../../lib/accloud/sandbox/control";
import type { SandboxRules } from "../../lib/accloud/sandbox/rules";
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
