/** The sandbox as a server: state survives a restart, reset, isolation, concurrency, control API. */
import { afterAll, describe, expect, it } from "vitest";
import { createAccloudClient } from "../client";
import { isAccloudError } from "../errors";
import { ID_STARTS } from "./seed";
import { startSandbox } from "./server";
import {
  randomSchema,
  startTestSandbox,
  TEST_API_KEY,
  TEST_API_SECRET,
  type TestSandbox,
} from "../../../test/support/sandbox";
import * as build from "../../../test/support/accloud-examples";
import { chicagoMidnight, isoDay } from "../../../test/support/dates";

const open: TestSandbox[] = [];
async function start(opts: Parameters<typeof startTestSandbox>[0] = {}) {
  const t = await startTestSandbox(opts);
  open.push(t);
  return t;
}
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
});

describe("persistence", () => {
  it("keeps every entity across a restart on the same schema, and ids keep counting", async () => {
    const schema = randomSchema();
    const first = await startTestSandbox({ schema });
    const chain = await build.chain(first.client);
    await first.client.uploadClientAttachment(chain.referral.referral.id, {
      filename: "order.pdf",
      data: Buffer.from("%PDF restart"),
    });
    const before = await first.control.state();
    await first.close();

    const second = await start({ schema });
    expect(second.url).not.toBe("");
    const after = await second.control.state();
    expect(after.counts).toEqual(before.counts);
    expect(await second.client.getClient(chain.clientId)).toMatchObject({ id: chain.clientId });
    expect((await second.client.getService(chain.serviceId)).alayacare_service_id).toBe(chain.serviceId);
    const listed = await second.client.listReferrals({ revision_group_id: chain.referral.revision!.revision_group_id });
    expect(listed.items.map((r) => r.referral.id)).toEqual([chain.referral.referral.id]);
    const next = await second.client.createClient(build.client());
    expect(next.id).toBeGreaterThan(chain.clientId);
  });

  it("resets to the seed: entities gone, ids restart, faults and rule overrides cleared", async () => {
    const t = await start();
    await build.chain(t.client);
    await t.control.addFault({ path: "/ext/*", kind: "status", status: 500, times: "always" });
    await t.control.setRules({ missingCsiGroup: "ignore" });
    await t.control.reset();
    const state = await t.control.state();
    expect(state.counts).toEqual({
      clients: 0,
      services: 0,
      authorizations: 0,
      deletedAuthorizations: 0,
      referrals: 0,
      referralGroups: 0,
      attachments: 0,
    });
    expect((await t.control.listFaults()).faults).toEqual([]);
    expect((await t.control.getRules()).missingCsiGroup).toBe("reject");
    expect((await t.client.createClient(build.client())).id).toBe(ID_STARTS.clients);
    expect((await t.client.listAllGroups()).length).toBe(6);
  });

  it("keeps sandboxes on different schemas apart", async () => {
    const a = await start();
    const b = await start();
    const body = build.client();
    await a.client.createClient(body);
    await expect(b.client.getClientByExternalId(body.external_id)).rejects.toMatchObject({ status: 404 });
    await expect(b.client.createClient(body)).resolves.toBeTruthy();
  });
});

describe("concurrency", () => {
  it("creates exactly one client when the same external id is sent concurrently", async () => {
    const t = await start();
    const body = build.client();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => t.client.createClient(body)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => r.reason as unknown);
    expect(rejected.every((e) => isAccloudError(e) && e.status === 409)).toBe(true);
    expect((await t.control.state()).clients.filter((c) => c.external_id === body.external_id)).toHaveLength(1);
  });

  it("accepts one of two concurrent updates of the same revision; the other is told it is not the latest", async () => {
    const t = await start();
    const { serviceId, authorizationId, referral } = await build.chain(t.client);
    const body = {
      authorization_ids: [authorizationId],
      start_at: chicagoMidnight(isoDay(7)),
      end_at: chicagoMidnight(isoDay(36)),
      revision: { reasons: ["Concurrent"] },
    };
    const results = await Promise.allSettled([
      t.client.updateReferral(serviceId, referral.referral.id, body),
      t.client.updateReferral(serviceId, referral.referral.id, body),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const err = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason as unknown;
    expect(err).toMatchObject({ status: 409, accloudMessage: "Referral is not the latest revision." });
    const revisions = await t.client.listAllReferrals({
      revision_group_id: referral.revision!.revision_group_id,
      revisions: "all",
    });
    expect(revisions.map((r) => r.revision.revision_number).sort()).toEqual([1, 2]);
  });
});

describe("control API", () => {
  it("records calls (method, path, route, status, fault) and answers health without a key", async () => {
    const t = await start();
    await t.control.addFault({ path: "/ext/api/v2/accounting/funders", kind: "status", status: 503 });
    await t.client.listFunders().catch(() => {});
    await t.client.listFunders();
    const calls = await t.control.calls();
    expect(calls.map((c) => [c.method, c.route, c.status, c.fault])).toEqual([
      ["GET", "/ext/api/v2/accounting/funders", 503, "status"],
      ["GET", "/ext/api/v2/accounting/funders", 200, null],
    ]);
    const health = await fetch(`${t.url}/__sandbox/health`);
    expect(await health.json()).toEqual({ ok: true });
  });

  it("refuses a malformed fault or rule", async () => {
    const t = await start();
    await expect(t.control.addFault({ path: "no-slash", kind: "reset" })).rejects.toThrow(
      /fault.path must start with \//,
    );
    await expect(t.control.addFault({ path: "/x", kind: "status", status: 42 })).rejects.toThrow(/HTTP status/);
    await expect(t.control.setRules({ referralDateMatchTimezone: "Mars/Olympus" })).rejects.toThrow(
      /unknown time zone/,
    );
    await expect(t.control.setRules({ nonsense: true } as never)).rejects.toThrow(/unknown rule/);
  });

  it("refuses agency actions that the Marketplace state machine forbids", async () => {
    const t = await start();
    const { referral } = await build.chain(t.client);
    await t.control.markProcessed(referral.referral.id);
    await expect(t.control.markProcessed(referral.referral.id)).rejects.toThrow(/409.*cannot be marked processed/);
    await t.control.agencyCancel(referral.referral.id, { reason_code: "client_passed_away" });
    await expect(t.control.agencyCancel(referral.referral.id)).rejects.toThrow(/409/);
  });
});

describe("start-up", () => {
  it("rejects an unsafe schema name and unknown rule values", async () => {
    const base = { databaseUrl: process.env.DATABASE_URL!, port: 0, apiKey: "k", apiSecret: "s", controlKey: "c" };
    await expect(startSandbox({ ...base, schema: "bad-name; drop" })).rejects.toThrow(/Invalid sandbox schema name/);
    await expect(
      startSandbox({ ...base, schema: randomSchema(), options: { referralDateMatchTimezone: "Nowhere/None" } }),
    ).rejects.toThrow(/unknown time zone/);
  });

  it("uses the injected clock for the one-year rule", async () => {
    const schema = randomSchema();
    const sandbox = await startSandbox({
      databaseUrl: process.env.DATABASE_URL!,
      port: 0,
      schema,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      controlKey: "c",
      now: () => new Date("2023-09-01T12:00:00Z"),
    });
    try {
      const client = createAccloudClient({
        baseUrl: sandbox.url,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        timeoutMs: 5_000,
      });
      const c = await client.createClient(build.client());
      const s = await client.createService({
        service_id: "service_external_id_1",
        name: "Skilled Nursing",
        client: { alayacare_client_id: c.id },
        funding_methodology: "single_funder",
        guid_funder_breakdowns: [{ funder_id: 9, is_primary: 1, percentage: 100 }],
        service_code_id: 48,
      });
      // The CSI Step 3 dates are accepted when "now" is 2023.
      const a = await client.createAuthorization({
        client_id: c.id,
        service_ids: [s.id],
        start_at: "2023-10-01",
        end_at: "2023-10-30",
        methodology: "service",
        rule_type: "HOURS",
        rule_weekly: 10,
        rule_monthly: 40,
        first_day_of_week: 6,
      });
      expect(a.start_at).toBe("2023-10-01");
    } finally {
      await sandbox.close();
    }
  });
});
