/**
 * What the app logs carries no PHI: the real logger's lines are captured while a webhook
 * delivery, a referral view and a push (with a failing ACCloud answer that echoes the client)
 * run, and searched for the reference payload's client, birthday, diagnoses and file. Redaction,
 * the second guard, is shown on PHI logged on purpose, and format and LOG_LEVEL in a process of
 * their own.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccloudClient, logCall } from "./accloud/client";
import { PATHS } from "./accloud/endpoints";
import { TEST_API_KEY, TEST_API_SECRET } from "../test/support/sandbox";
import { ZClientCreate } from "./accloud/schemas";
import { approveReferral } from "./approval/approve";
import { getDb } from "./db";
import { ZClient, ZFormField, ZFormFile, type TReferralRequest } from "./intake/schema";
import { handleReferralWebhook } from "./intake/webhook";
import { logger, REDACTED, REDACTED_KEYS, redirectLogs } from "./log";
import { approvalFor, newReferral, setupPushEnvironment, waitForPush } from "../test/support/push";
import { startWorker, type Worker } from "./worker/worker";
import { getReferralDetail } from "./referrals/detail";
import { basic, freshPayload, newApiClient, referencePayload, webhookRequest } from "../test/support/fixtures";

type Line = { level: number; scope: string; msg: string } & Record<string, unknown>;

const captured: string[] = [];
let env: Awaited<ReturnType<typeof setupPushEnvironment>>;
let worker: Worker | undefined;

beforeAll(async () => {
  // Every level, whatever LOG_LEVEL the test run has.
  redirectLogs({ write: (line: string) => void captured.push(line) }, "debug");
  env = await setupPushEnvironment();
});
afterAll(async () => {
  await worker?.stop();
  await env?.sbx.close();
  redirectLogs(null);
});

/** The lines logged while `run` ran. */
async function linesOf(run: () => Promise<void>): Promise<string[]> {
  const from = captured.length;
  await run();
  return captured.slice(from);
}
const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as Line);

/** The reference payload's PHI, taken from the payload itself. */
function phiOf(p: TReferralRequest): string[] {
  const c = p.client;
  const diagnoses = p.form_data.fields
    .filter((f) => f.field_type === "medical_history")
    .flatMap((f) =>
      (f.field_value as Array<{ values: Array<{ field_key: string; field_value: unknown }> }>).flatMap(
        (row) => row.values,
      ),
    )
    .filter((v) => v.field_key === "diagnosis" && typeof v.field_value === "string")
    .flatMap((v) => {
      const [code, description] = (v.field_value as string).split("=");
      return [v.field_value as string, code!.trim(), description!.trim()];
    });
  const phi = [
    c.first_name,
    c.last_name,
    `${c.first_name} ${c.last_name}`,
    c.birthday,
    c.email,
    c.phone_main,
    c.address,
    ...diagnoses,
    p.files![0]!.file_value.slice(0, 64),
  ];
  for (const v of phi) expect(typeof v === "string" && v.length >= 4, `reference value ${String(v)}`).toBe(true);
  expect(diagnoses.length).toBeGreaterThanOrEqual(3);
  return phi as string[];
}
const PHI = phiOf(referencePayload());

/** Each PHI value found in the lines, as it is or as JSON escapes it. */
function leaks(lines: string[]): string[] {
  const text = lines.join("\n");
  return PHI.filter((v) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1)));
}

describe("what the app logs", () => {
  let referralId = "";

  it("a webhook delivery (new, redelivered, amended, refused, unauthenticated) logs its outcome, and no PHI", async () => {
    const creds = await newApiClient();
    const payload = freshPayload();
    const post = async (body: unknown, auth = basic(creds)) =>
      (await handleReferralWebhook(webhookRequest(body, { auth }))).status;
    const lines = await linesOf(async () => {
      const first = await handleReferralWebhook(webhookRequest(payload, { auth: basic(creds) }));
      expect(first.status).toBe(201);
      referralId = ((await first.json()) as { id: string }).id;
      expect(await post(payload)).toBe(200);
      const amended = {
        ...payload,
        form_data: {
          ...payload.form_data,
          fields: payload.form_data.fields.map((f) =>
            f.field_label === "Service frequency" ? { ...f, field_value: "Three times a week" } : f,
          ),
        },
      };
      expect(await post(amended)).toBe(201);
      // The refused value is the birthday itself: the answer and the log name the field only.
      expect(
        await post({ ...payload, client: { ...payload.client, birthday: `${payload.client.birthday}T00:00:00` } }),
      ).toBe(422);
      expect(await post(payload, "Basic bm9ib2R5Om5vdGhpbmc=")).toBe(401);
    });
    expect(leaks(lines)).toEqual([]);
    const webhook = parsed(lines).filter((l) => l.scope === "webhook");
    expect(webhook.map((l) => l.msg.split(" ")[0])).toEqual(["201", "200", "201", "422", "401"]);
    expect(webhook[0]!.msg).toContain(`referral=${referralId}`);
  });

  it("a referral view reads the client's PHI and logs none of it", async () => {
    const lines = await linesOf(async () => {
      const detail = await getReferralDetail(getDb(), env.actor, referralId);
      const ref = referencePayload();
      expect(detail?.client).toMatchObject({ birthday: ref.client.birthday });
      expect(detail?.client.name).toContain(ref.client.last_name);
    });
    expect(leaks(lines)).toEqual([]);
  });

  it("a push, retried after ACCloud answers 500 with the client in its message, logs its steps and calls, and no PHI", async () => {
    // The client the worker would get from the environment at LOG_LEVEL=info: every call logged.
    const client = createAccloudClient({
      baseUrl: env.sbx.url,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      timeoutMs: 5_000,
      log: logCall,
    });
    worker = await startWorker({ client, concurrency: 1, refreshReference: false });
    const ref = await newReferral();
    const c = ref.payload.client;
    await env.sbx.control.addFault({
      method: "POST",
      path: PATHS.createClient,
      times: 1,
      kind: "status",
      status: 500,
      body: { code: "500", message: `Could not create ${c.first_name} ${c.last_name} (${c.birthday}), ${c.email}` },
    });
    const lines = await linesOf(async () => {
      expect(
        (
          await approveReferral(getDb(), env.actor, {
            referralId: ref.id,
            version: ref.version,
            approval: approvalFor(ref),
          })
        ).status,
      ).toBe("success");
      const push = await waitForPush(ref.id);
      expect(push.status, push.lastError ?? "").toBe("sent");
    });
    expect(leaks(lines)).toEqual([]);
    // What ACCloud said goes to the reviewer, not to the log.
    expect(lines.join("\n")).not.toContain("Could not create");
    const all = parsed(lines);
    const steps = all.filter((l) => l.scope === "push").map((l) => l.msg.replace(/^push=\S+ /, ""));
    expect(steps).toEqual([
      `kind=approve step=client will retry: http 500 POST ${PATHS.createClient}`,
      ...["client", "service", "authorizations", "referral", "attachments"].map(
        (step) => `kind=approve step=${step} done`,
      ),
    ]);
    const calls = all.filter((l) => l.scope === "accloud");
    expect(calls).toContainEqual(
      expect.objectContaining({
        level: 40,
        method: "POST",
        path: PATHS.createClient,
        status: 500,
        outcome: "http_error",
      }),
    );
    expect(calls).toContainEqual(
      expect.objectContaining({ level: 30, method: "POST", path: PATHS.createClient, status: 201, outcome: "ok" }),
    );
  });
});

describe("redaction, the second guard", () => {
  const log = logger("redaction-test");

  it("censors PHI logged on purpose and keeps the rest of the line", async () => {
    const p = referencePayload();
    const diagnosis = "A000=Cholera due to Vibrio cholerae 01, biovar cholerae";
    const err = Object.assign(new Error("duplicate key value"), {
      code: "23505",
      detail: `Key (client_first_name)=(${p.client.first_name}) already exists.`,
    });
    const lines = await linesOf(async () =>
      log.warn("PHI passed on purpose", {
        referral: "r-1",
        count: 2,
        payload: p,
        client: p.client,
        first_name: p.client.first_name,
        last_name: p.client.last_name,
        birthday: p.client.birthday,
        field_value: diagnosis,
        fields: p.form_data.fields,
        files: p.files,
        nested: { deeper: { diagnoses: [diagnosis], birthday: p.client.birthday } },
        err,
      }),
    );
    expect(lines).toHaveLength(1);
    expect(leaks(lines)).toEqual([]);
    const [line] = parsed(lines);
    expect(line).toMatchObject({
      level: 40,
      scope: "redaction-test",
      msg: "PHI passed on purpose",
      referral: "r-1",
      count: 2,
      payload: REDACTED,
      client: REDACTED,
      first_name: REDACTED,
      fields: REDACTED,
      files: REDACTED,
    });
    expect(line!.nested).toEqual({ deeper: { diagnoses: REDACTED, birthday: REDACTED } });
    expect(line!.err).toMatchObject({ message: "duplicate key value", code: "23505", detail: REDACTED });
  });

  it("censors every listed key at every depth its paths reach, in objects and in arrays", async () => {
    const shapes: Array<(leaf: object) => Record<string, unknown>> = [
      (x) => ({ ...x }),
      (x) => ({ a: x }),
      (x) => ({ a: [x] }),
      (x) => ({ a: [{ b: x }] }),
    ];
    for (const key of REDACTED_KEYS) {
      for (const [depth, shape] of shapes.entries()) {
        const secret = `value-of-${key}-at-${depth}`;
        const lines = await linesOf(async () =>
          log.info("listed key", { referral: "r-2", ...shape({ [key]: secret }) }),
        );
        expect(lines, `${key} at depth ${depth}`).toHaveLength(1);
        expect(lines[0], `${key} at depth ${depth}`).not.toContain(secret);
        expect(lines[0], `${key} at depth ${depth}`).toContain(`"${key}":"${REDACTED}"`);
      }
    }
  });

  it("lists every PHI-bearing key of the webhook's client, form fields and files and of ACCloud's demographics", () => {
    // Not PHI: ids, time zones, the state and country (HIPAA names areas smaller than a state), field labels and types.
    const notPhi = new Set(["id", "timezone", "state", "country", "field_id", "field_label", "field_type", "type"]);
    const keys = [ZClient, ZFormField, ZFormFile, ZClientCreate.shape.demographics]
      .flatMap((s) => Object.keys(s.shape))
      .filter((k) => !notPhi.has(k));
    expect(keys.length).toBeGreaterThanOrEqual(12);
    expect(keys.filter((k) => !(REDACTED_KEYS as readonly string[]).includes(k))).toEqual([]);
  });
});

describe("format and LOG_LEVEL", () => {
  // A process of its own: the logger as it writes to stdout and stderr.
  function probe(extra: Record<string, string>) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
    delete childEnv.FORCE_COLOR;
    if (!("LOG_FORMAT" in extra)) delete childEnv.LOG_FORMAT;
    const script = [
      'const { logger } = await import("./lib/log.ts");',
      'const log = logger("probe");',
      'log.debug("probe debug");',
      'log.info("probe info", { referral: "r-3", client: { first_name: "Probe-Name" } });',
      'log.warn("probe warn");',
    ].join("\n");
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: childEnv,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    return { stdout: r.stdout, stderr: r.stderr };
  }

  it("production: JSON lines at LOG_LEVEL, info on stdout and warn on stderr", () => {
    const warn = probe({ NODE_ENV: "production", LOG_LEVEL: "warn" });
    expect(warn.stdout).toBe("");
    const lines = warn.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Line);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, scope: "probe", msg: "probe warn" });
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time);

    const info = probe({ NODE_ENV: "production", LOG_LEVEL: "info" });
    expect(
      info.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Line),
    ).toEqual([expect.objectContaining({ level: 30, msg: "probe info", referral: "r-3", client: REDACTED })]);
    expect(info.stdout).not.toContain("Probe-Name");
  });

  it("development: pino-pretty's readable lines, and LOG_FORMAT=json overrides it", () => {
    const dev = probe({ NODE_ENV: "development", LOG_LEVEL: "debug" });
    expect(dev.stdout).toMatch(
      /^\[[\d:.]+\] DEBUG: \[probe\] probe debug\n\[[\d:.]+\] INFO: \[probe\] probe info \{"referral":"r-3","client":"\[redacted\]"\}\n$/,
    );
    expect(dev.stderr).toMatch(/^\[[\d:.]+\] WARN: \[probe\] probe warn\n$/);

    const json = probe({ NODE_ENV: "development", LOG_LEVEL: "info", LOG_FORMAT: "json" });
    expect(JSON.parse(json.stdout)).toMatchObject({ level: 30, msg: "probe info" });
  });
});
