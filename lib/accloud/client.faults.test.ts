/** The client against each injected fault: error class, retryability, Retry-After, timeouts, lost answers. */
import { describe, expect, it } from "vitest";
import { UPLOAD_MIN_BYTES_PER_SECOND } from "./upload";
import { AccloudError } from "./errors";
import { startTestSandbox, testClient, testSandboxForFile } from "../../test/support/sandbox";
import * as build from "../../test/support/accloud-examples";

const t = testSandboxForFile({ resetFaults: true });
const CLIENTS = "/ext/api/v2/patients/clients";

async function failure(p: Promise<unknown>): Promise<AccloudError> {
  const err = await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccloudError);
  return err as AccloudError;
}

async function clientsWithExternalId(externalId: string) {
  return (await t.control.state()).clients.filter((c) => c.external_id === externalId);
}

describe("status faults", () => {
  it("429 with Retry-After in seconds: retryable, retryAfterMs read, nothing applied", async () => {
    await t.control.addFault({ method: "POST", path: CLIENTS, kind: "status", status: 429, retryAfter: 7 });
    const body = build.client();
    const err = await failure(t.client.createClient(body));
    expect(err).toMatchObject({
      kind: "http",
      status: 429,
      code: 429,
      accloudMessage: "Too many requests.",
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(await clientsWithExternalId(body.external_id)).toHaveLength(0);
    await expect(t.client.createClient(body)).resolves.toMatchObject({ external_id: body.external_id });
  });

  it("503 with an HTTP-date Retry-After", async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    await t.control.addFault({ path: "/ext/api/v2/patients/groups", kind: "status", status: 503, retryAfter: at });
    const err = await failure(t.client.listGroups());
    expect(err).toMatchObject({ retryable: true, retry: "read" });
    expect(err.retryAfterMs).toBeGreaterThan(20_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("5xx without a JSON body is still a retryable http error", async () => {
    await t.control.addFault({
      path: "/ext/api/v2/patients/groups",
      kind: "status",
      status: 502,
      body: "<html>Bad gateway</html>",
    });
    const err = await failure(t.client.listGroups());
    expect(err).toMatchObject({ kind: "http", status: 502, retryable: true, retryAfterMs: null });
  });

  it("4xx (403 missing ACL, 400) are not retryable; the authorizations API keeps its string code", async () => {
    await t.control.addFault({
      path: "/ext/api/v2/scheduler/authorizations",
      kind: "status",
      status: 403,
      body: { code: "403", message: "You do not have permission to perform this action." },
    });
    const err = await failure(t.client.listAuthorizations({ start_at_from: "2026-01-01", start_at_to: "2026-12-31" }));
    expect(err).toMatchObject({
      status: 403,
      code: "403",
      accloudMessage: "You do not have permission to perform this action.",
      retryable: false,
    });
  });

  it("a 2xx with a body off the contract is an invalid_response, not retryable", async () => {
    await t.control.addFault({ path: "/ext/api/v2/patients/groups", kind: "status", status: 200, body: { data: [] } });
    const err = await failure(t.client.listGroups());
    expect(err).toMatchObject({ kind: "invalid_response", status: 200, retryable: false });
    expect(err.issues.join(" ")).toContain("items");
  });

  it("fails the next N calls, or always until cleared; patterns match {param} and * and the method", async () => {
    await t.control.addFault({
      method: "GET",
      path: "/ext/api/v2/patients/clients/{client_id}",
      kind: "status",
      status: 500,
      times: 2,
    });
    const c = await t.client.createClient(build.client());
    await failure(t.client.getClient(c.id));
    await failure(t.client.getClient(c.id));
    await expect(t.client.getClient(c.id)).resolves.toMatchObject({ id: c.id });

    await t.control.addFault({ path: "/api/v1/alayamarket/*", kind: "status", status: 502, times: "always" });
    await failure(t.client.listReferrals());
    await failure(t.client.listTrustedNetwork());
    await expect(t.client.listGroups()).resolves.toBeTruthy();
    await t.control.clearFaults();
    await expect(t.client.listReferrals()).resolves.toBeTruthy();
  });
});

describe("timeouts, delays and resets", () => {
  it("a delay shorter than the timeout only slows the call: the same answer, at least the delay later", async () => {
    const DELAY_MS = 800;
    const timed = async () => {
      const started = performance.now();
      const answer = await t.client.listGroups();
      return { answer, ms: performance.now() - started };
    };
    const before = await timed();
    await t.control.addFault({ path: "/ext/api/v2/patients/groups", kind: "delay", delayMs: DELAY_MS });
    const delayed = await timed();
    const after = await timed();
    expect(delayed.answer).toEqual(before.answer);
    expect(before.answer.items.length).toBeGreaterThan(0);
    // Lower bounds only: a loaded machine makes calls slower, never faster. Timers may fire up
    // to a millisecond early, hence the small allowance.
    expect(delayed.ms).toBeGreaterThanOrEqual(DELAY_MS - 2);
    // Without the fault (before it was added, and once it has fired) the call does not wait.
    expect(before.ms).toBeLessThan(DELAY_MS);
    expect(after.ms).toBeLessThan(DELAY_MS);
    expect(after.answer).toEqual(before.answer);
  });

  it("a hung call times out at the client's timeout: retryable, nothing applied", async () => {
    const quick = testClient(t.url, { timeoutMs: 200 });
    await t.control.addFault({ method: "POST", path: CLIENTS, kind: "timeout" });
    const body = build.client();
    const err = await failure(quick.createClient(body));
    expect(err).toMatchObject({ kind: "timeout", retryable: true, status: null });
    expect(await clientsWithExternalId(body.external_id)).toHaveLength(0);
  });

  it("the per-call timeout overrides the client's, and global latency applies to every call", async () => {
    await t.control.addFault({ path: "/ext/api/v2/patients/groups", kind: "delay", delayMs: 400 });
    expect(await failure(t.client.listGroups({}, { timeoutMs: 100 }))).toMatchObject({
      kind: "timeout",
      retryable: true,
    });

    await t.control.setLatency(300);
    expect(await failure(t.client.listFunders({}, { timeoutMs: 100 }))).toMatchObject({ kind: "timeout" });
    await t.control.setLatency(0);
    await expect(t.client.listFunders({}, { timeoutMs: 1_000 })).resolves.toBeTruthy();
  });

  it("a file gets a second per MB on top of the call's timeout: a slow upload is not a timeout, a slow JSON call is", async () => {
    const { referral } = await build.chain(t.client);
    await t.control.setLatency(700);
    expect(await failure(t.client.listFunders({}, { timeoutMs: 200 }))).toMatchObject({ kind: "timeout" });
    const data = Buffer.alloc(2 * UPLOAD_MIN_BYTES_PER_SECOND, 7);
    const sent = await t.client.uploadClientAttachment(
      referral.referral.id,
      { filename: "scan.pdf", data },
      { timeoutMs: 200 },
    );
    expect(sent).toBeTruthy();
    await t.control.setLatency(0);
    const stored = (await t.control.state()).attachments.filter((a) => a.referral_id === referral.referral.id);
    expect(stored.map((a) => a.size)).toEqual([data.length]);
  });

  it("a reset connection is a retryable network error and nothing is applied", async () => {
    await t.control.addFault({ method: "POST", path: CLIENTS, kind: "reset" });
    const body = build.client();
    const err = await failure(t.client.createClient(body));
    expect(err).toMatchObject({ kind: "network", retryable: true, status: null });
    expect(await clientsWithExternalId(body.external_id)).toHaveLength(0);
  });

  it("a refused connection is a retryable network error", async () => {
    const nobody = await startTestSandbox();
    const url = nobody.url;
    await nobody.close();
    const dead = testClient(url, { timeoutMs: 2_000 });
    expect(await failure(dead.listGroups())).toMatchObject({ kind: "network", retryable: true });
  });
});

describe("applied, but the answer is lost", () => {
  it("500 after the client is created: retryable, the client exists, a blind retry hits 409", async () => {
    await t.control.addFault({ method: "POST", path: CLIENTS, kind: "apply_then_fail" });
    const body = build.client();
    const err = await failure(t.client.createClient(body));
    // The error says what a retry risks: the create may have been applied, look it up first.
    expect(err).toMatchObject({ kind: "http", status: 500, retryable: true, retry: "lookup" });
    expect(await clientsWithExternalId(body.external_id)).toHaveLength(1);
    expect((await failure(t.client.createClient(body))).status).toBe(409);
    await expect(t.client.getClientByExternalId(body.external_id)).resolves.toMatchObject({
      external_id: body.external_id,
    });
  });

  it("reset after the service is created: retryable network error, the service exists", async () => {
    const c = await t.client.createClient(build.client());
    await t.control.addFault({
      method: "POST",
      path: "/ext/api/v2/scheduler/services",
      kind: "apply_then_fail",
      then: "reset",
    });
    const body = build.service(c.id);
    expect(await failure(t.client.createService(body))).toMatchObject({ kind: "network", retryable: true });
    const state = await t.control.state();
    expect(state.services.filter((s) => s.external_id === body.service_id)).toHaveLength(1);
    await expect(t.client.getServiceByExternalId(body.service_id)).resolves.toMatchObject({
      service_id: body.service_id,
    });
  });

  it("timeout after the authorization is created: retryable, the authorization exists", async () => {
    const quick = testClient(t.url, { timeoutMs: 200 });
    const c = await t.client.createClient(build.client());
    const s = await t.client.createService(build.service(c.id));
    await t.control.addFault({
      method: "POST",
      path: "/ext/api/v2/scheduler/authorizations",
      kind: "apply_then_fail",
      then: "timeout",
    });
    expect(await failure(quick.createAuthorization(build.authorization(c.id, s.id)))).toMatchObject({
      kind: "timeout",
      retryable: true,
    });
    const state = await t.control.state();
    expect(state.authorizations.filter((a) => a.client_id === c.id)).toHaveLength(1);
  });

  it("500 after the referral is created: the referral exists, a retry is refused with 409", async () => {
    const c = await t.client.createClient(build.client());
    const s = await t.client.createService(build.service(c.id));
    const a = await t.client.createAuthorization(build.authorization(c.id, s.id));
    await t.control.addFault({
      method: "POST",
      path: "/api/v1/alayamarket/outbox/referrals/from_service/{service_id}",
      kind: "apply_then_fail",
      status: 503,
      retryAfter: 1,
    });
    const err = await failure(t.client.createReferral(s.id, build.referral([a.id])));
    expect(err).toMatchObject({ status: 503, retryable: true, retryAfterMs: 1000 });
    const retry = await failure(t.client.createReferral(s.id, build.referral([a.id])));
    expect(retry).toMatchObject({
      status: 409,
      retryable: false,
      accloudMessage: "A live referral already exists for this service.",
    });
    const state = await t.control.state();
    expect(state.referrals.filter((r) => r.service_id === s.id)).toHaveLength(1);
  });

  it("lost answers on update, cancel and attachment: each change is really there", async () => {
    const { serviceId, authorizationId, referral } = await build.chain(t.client);
    const groupId = referral.revision!.revision_group_id;
    await t.control.addFault({
      path: "/api/v1/alayamarket/outbox/referrals/from_service/{id}/update/{rid}",
      kind: "apply_then_fail",
      then: "reset",
    });
    const upd = {
      authorization_ids: [authorizationId],
      start_at: referral.referral.start_at,
      end_at: referral.referral.end_at!,
      revision: { reasons: ["Corrected instructions"] },
    };
    expect(await failure(t.client.updateReferral(serviceId, referral.referral.id, upd))).toMatchObject({
      kind: "network",
      retryable: true,
    });
    const latest = (await t.client.listReferrals({ revision_group_id: groupId })).items[0]!;
    expect(latest.revision.revision_number).toBe(2);
    expect((await failure(t.client.updateReferral(serviceId, referral.referral.id, upd))).status).toBe(409);

    await t.control.addFault({
      path: "/api/v1/alayamarket/outbox/referrals/*/client_attachment",
      kind: "apply_then_fail",
    });
    expect(
      await failure(
        t.client.uploadClientAttachment(latest.referral.id, { filename: "order.pdf", data: Buffer.from("%PDF order") }),
      ),
    ).toMatchObject({
      status: 500,
      retryable: true,
    });
    expect((await t.control.state()).attachments.filter((x) => x.revision_group_id === groupId)).toHaveLength(1);

    await t.control.addFault({ path: "/api/v1/alayamarket/outbox/referrals/{id}/cancel", kind: "apply_then_fail" });
    expect(
      (await failure(t.client.cancelReferral(latest.referral.id, { reason_code: "client_request" }))).retryable,
    ).toBe(true);
    expect((await t.client.listReferrals({ revision_group_id: groupId })).items[0]?.referral.status).toBe("cancelled");
  });
});
