/** The typed client against the sandbox, endpoint by endpoint (happy paths, pagination, revisions). */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createAccloudClient, type AccloudCallLog } from "./client";
import { AccloudError } from "./errors";
import { BLUEGRASS_SUPPLIER_ID, CSI_GROUP_ID, GEM_CITY_SUPPLIER_ID, MIAMI_VALLEY_SUPPLIER_ID } from "./sandbox/seed";
import { testClient, testSandboxForFile, withTestSandbox } from "../../test/support/sandbox";
import * as build from "../../test/support/accloud-examples";
import { chicagoMidnight, isoDay } from "../../test/support/dates";

const t = testSandboxForFile();

describe("reference data", () => {
  it("lists groups, funders, service codes and the trusted network, one page or all pages", async () => {
    const groups = await t.client.listAllGroups({ count: 2 });
    expect(groups.length).toBeGreaterThanOrEqual(6);
    expect(groups.find((g) => g.name === "CSI")).toMatchObject({ id: CSI_GROUP_ID, branch: { id: 1000 } });

    const page = await t.client.listGroups({ count: 2, page: 2 });
    expect(page).toMatchObject({ count: 2, page: 2, total_pages: 3 });

    const hqOnly = await t.client.listAllGroups({ branch_id: 1050 });
    expect(hqOnly.map((g) => g.branch?.id)).toEqual([1050]);

    const funders = await t.client.listAllFunders({ count: 2 });
    expect(funders.map((f) => f.id)).toEqual([9, 10, 11, 12, 13]);
    expect((await t.client.listFunders({ search: "medicaid" })).items.map((f) => f.id)).toEqual([11, 12]);

    const codes = await t.client.listAllServiceCodes({ count: 3 });
    expect(codes.map((c) => c.name)).toEqual(
      expect.arrayContaining(["Skilled Nursing", "Infusion Nursing", "PT", "OT"]),
    );
    expect(codes.find((c) => c.id === 48)?.name).toBe("Skilled Nursing");

    const suppliers = await t.client.listAllTrustedNetwork({ items_per_page: 1 });
    expect(suppliers.map((s) => s.id).sort()).toEqual(
      [BLUEGRASS_SUPPLIER_ID, GEM_CITY_SUPPLIER_ID, MIAMI_VALLEY_SUPPLIER_ID].sort(),
    );
    const pageB = await t.client.listTrustedNetwork({ items_per_page: 2, page: 1 });
    expect(pageB).toMatchObject({ page: 1, items_per_page: 2, total_items: 3, total_pages: 2 });
    expect(pageB.items.map((s) => s.name)).toEqual(["Bluegrass Home Health", "Gem City Home Care"]);
    expect((await t.client.listTrustedNetwork({ name: "miami" })).items).toEqual([
      { id: MIAMI_VALLEY_SUPPLIER_ID, name: "Miami Valley Nursing" },
    ]);
  });
});

describe("clients", () => {
  it("creates, reads by id and external id, and updates", async () => {
    const body = build.client();
    const created = await t.client.createClient(body);
    expect(created.external_id).toBe(body.external_id);

    const byId = await t.client.getClient(created.id);
    expect(byId).toMatchObject({
      id: created.id,
      external_id: body.external_id,
      status: "pending",
      branch_id: 1000,
      language: "en",
    });
    expect(byId.demographics).toMatchObject({ first_name: "Frank", last_name: "Smith", gender: "M" });
    expect(byId.groups?.map((g) => g.id)).toEqual([CSI_GROUP_ID]);

    const byExt = await t.client.getClientByExternalId(body.external_id);
    expect(byExt.id).toBe(created.id);

    const updated = await t.client.updateClient(created.id, {
      demographics: { phone_main: "515-000-0000" },
      timezone: "America/New_York",
    });
    expect(updated).toEqual({ id: created.id, external_id: body.external_id });
    const again = await t.client.getClient(created.id);
    expect(again.demographics).toMatchObject({ first_name: "Frank", phone_main: "515-000-0000" });
    expect(again.timezone).toBe("America/New_York");

    const newExt = `csi-client-${randomUUID()}`;
    await t.client.updateClientByExternalId(body.external_id, { external_id: newExt });
    expect((await t.client.getClientByExternalId(newExt)).id).toBe(created.id);
  });

  it("throws a non-retryable 404 for an unknown client", async () => {
    const err = await t.client.getClient(999_999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccloudError);
    expect(err).toMatchObject({
      kind: "http",
      status: 404,
      code: 404,
      accloudMessage: "Client not found.",
      retryable: false,
      isNotFound: true,
    });
  });
});

describe("services", () => {
  it("creates (200) and reads by internal and external id", async () => {
    const c = await t.client.createClient(build.client());
    const body = build.service(c.id);
    const created = await t.client.createService(body);
    expect(created.external_id).toBe(body.service_id);

    const byId = await t.client.getService(created.id);
    expect(byId).toMatchObject({
      alayacare_service_id: created.id,
      service_id: body.service_id,
      service_name: "Skilled Nursing",
      service_status: "active",
      alayacare_service_code_id: 48,
      patient: { id: c.id },
      profile: { target_agency: "Gem City Home Care" },
    });
    expect(byId.funders?.[0]).toMatchObject({ id: 9, percentage: 100 });
    expect((await t.client.getServiceByExternalId(body.service_id)).alayacare_service_id).toBe(created.id);

    const byExternalClient = await t.client.createService(
      build.service(c.id, { client: { client_id: (await t.client.getClient(c.id)).external_id! } }),
    );
    expect((await t.client.getService(byExternalClient.id)).patient?.id).toBe(c.id);
  });
});

describe("authorizations", () => {
  it("creates (201), updates the mutable fields, lists all pages and deletes (204)", async () => {
    const c = await t.client.createClient(build.client());
    const s = await t.client.createService(build.service(c.id));
    const created = await t.client.createAuthorization(build.authorization(c.id, s.id));
    expect(created).toMatchObject({
      client_id: c.id,
      start_at: isoDay(7),
      end_at: isoDay(36),
      methodology: "service",
      authorization_status: "NEW",
      rule_type: "HOURS",
    });

    const updated = await t.client.updateAuthorization(created.id, {
      end_at: isoDay(60),
      notes: "extended",
      case_manager_phone: "515-111-9999",
    });
    expect(updated).toMatchObject({ id: created.id, start_at: isoDay(7), end_at: isoDay(60), notes: "extended" });

    const second = await t.client.createAuthorization(
      build.authorization(c.id, s.id, { start_at: isoDay(61), end_at: isoDay(90) }),
    );
    const third = await t.client.createAuthorization(
      build.authorization(c.id, s.id, { start_at: isoDay(91), end_at: isoDay(120) }),
    );
    const all = await t.client.listAllAuthorizations({
      start_at_from: isoDay(0),
      start_at_to: isoDay(365),
      client_id: c.id,
      count: 2,
    });
    expect(all.map((a) => a.id)).toEqual([created.id, second.id, third.id]);
    expect(all[0]?.service_ids).toEqual([s.id]);

    await t.client.deleteAuthorization(second.id);
    const after = await t.client.listAllAuthorizations({
      start_at_from: isoDay(0),
      start_at_to: isoDay(365),
      client_id: c.id,
    });
    expect(after.map((a) => a.id)).toEqual([created.id, third.id]);
    const gone = await t.client.updateAuthorization(second.id, { notes: "x" }).catch((e: unknown) => e);
    expect(gone).toMatchObject({
      status: 404,
      code: "400",
      accloudMessage: "Authorization not found.",
      retryable: false,
      retry: "repeat",
    });
  });
});

describe("referrals", () => {
  it("creates a referral with a revision block and snapshots", async () => {
    const { clientId, serviceId, authorizationId, referral } = await build.chain(t.client);
    expect(referral.referral).toMatchObject({ status: "assigned", care_type: "nursing", referral_type: "service" });
    expect(referral.supply).toEqual({ id: GEM_CITY_SUPPLIER_ID, name: "Gem City Home Care" });
    expect(referral.revision).toMatchObject({ revision_number: 1, is_latest_revision: true, revision_reasons: [] });
    expect(referral.client.outbox_id).toBe(String(clientId));
    expect(referral.service.outbox_id).toBe(String(serviceId));
    expect(referral.alayacare?.authorizations).toEqual([
      expect.objectContaining({ id: authorizationId, start_date: isoDay(7), end_date: isoDay(36) }),
    ]);
    expect(referral.case_manager).toMatchObject({ name: "Jane Smith" });
  });

  it("updates into a new revision, lists revisions, cancels, and sees agency actions", async () => {
    const { serviceId, authorizationId, referral } = await build.chain(t.client);
    const groupId = referral.revision!.revision_group_id;
    await t.client.updateAuthorization(authorizationId, { end_at: isoDay(50) });
    const updated = await t.client.updateReferral(serviceId, referral.referral.id, {
      authorization_ids: [authorizationId],
      start_at: chicagoMidnight(isoDay(7)),
      end_at: chicagoMidnight(isoDay(50)),
      comment: "",
      revision: { reasons: ["Updated authorization end date"], comment: "" },
    });
    expect(updated.referral.id).not.toBe(referral.referral.id);
    expect(updated.revision).toMatchObject({
      revision_group_id: groupId,
      revision_number: 2,
      is_latest_revision: true,
    });
    expect(updated.alayacare?.authorizations).toEqual([expect.objectContaining({ end_date: isoDay(50) })]);

    const latest = await t.client.listAllReferrals({ revision_group_id: groupId });
    expect(latest.map((r) => r.referral.id)).toEqual([updated.referral.id]);
    const all = await t.client.listAllReferrals({
      revision_group_id: groupId,
      revisions: "all",
      sort_by: "revision_number",
      sort_order: "asc",
      items_per_page: 1,
    });
    expect(all.map((r) => [r.revision.revision_number, r.revision.is_latest_revision])).toEqual([
      [1, false],
      [2, true],
    ]);
    const archived = await t.client.listReferrals({ revision_group_id: groupId, revisions: "archived" });
    expect(archived).toMatchObject({ total_items: 1, items: [{ referral: { id: referral.referral.id } }] });
    expect(archived.items[0]?.alayacare?.has_authorization).toBe(true);

    await t.control.markProcessed(updated.referral.id);
    const processed = await t.client.listReferrals({ revision_group_id: groupId });
    expect(processed.items[0]?.referral.status).toBe("processed");

    await t.client.cancelReferral(updated.referral.id, {
      reason_code: "processing_error",
      comment: "sent to the wrong agency",
    });
    const cancelled = await t.client.listReferrals({ revision_group_id: groupId });
    expect(cancelled.items[0]?.referral).toMatchObject({
      status: "cancelled",
      reason_code: "processing_error",
      cancellation_comment: "sent to the wrong agency",
    });
  });

  it("finds the referrals of one service (how a lost create answer is recovered)", async () => {
    const { clientId, serviceId, referral } = await build.chain(t.client);
    const otherService = await t.client.createService(build.service(clientId));
    await t.client.createReferral(otherService.id, build.referral([], { authorization_ids: null }));
    const found = await t.client.listReferralsForService(clientId, serviceId);
    expect(found.map((r) => r.referral.id)).toEqual([referral.referral.id]);
    expect(await t.client.listReferralsForService(clientId, 999_999)).toEqual([]);
  });

  it("sees an agency-side cancel", async () => {
    const { referral } = await build.chain(t.client);
    await t.control.agencyCancel(referral.referral.id, { reason_code: "client_refused_service" });
    const listed = await t.client.listReferrals({ revision_group_id: referral.revision!.revision_group_id });
    expect(listed.items[0]?.referral).toMatchObject({ status: "cancelled", reason_code: "client_refused_service" });
    const state = await t.control.state();
    expect(state.referrals.find((r) => r.id === referral.referral.id)?.cancelled_by).toBe("supply");
  });
});

describe("attachments", () => {
  it("uploads from memory, a file path and a stream (multipart part `file`, 201 {filepath})", async () => {
    const { referral } = await build.chain(t.client);
    const id = referral.referral.id;
    const pdf = Buffer.from("%PDF-1.4\n% test document\n");
    const fromMemory = await t.client.uploadClientAttachment(id, {
      filename: "physician_order_form.pdf",
      contentType: "application/pdf",
      data: pdf,
    });
    expect(fromMemory.filepath).toMatch(/physician_order_form\.pdf$/);

    const dir = mkdtempSync(path.join(os.tmpdir(), "accloud-attach-"));
    try {
      const file = path.join(dir, "insurance card.png");
      writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
      await t.client.uploadClientAttachment(id, {
        filename: "insurance card.png",
        contentType: "image/png",
        path: file,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const streamed = Buffer.alloc(3 * 1024 * 1024, 7);
    await t.client.uploadClientAttachment(id, {
      filename: "notes.txt",
      stream: Readable.from([streamed.subarray(0, 1_000_000), streamed.subarray(1_000_000)]),
      size: streamed.length,
    });

    const state = await t.control.state();
    const mine = state.attachments.filter((a) => a.referral_id === id);
    expect(mine.map((a) => [a.filename, a.size])).toEqual([
      ["physician_order_form.pdf", pdf.length],
      ["insurance card.png", 7],
      ["notes.txt", streamed.length],
    ]);
    const content = await t.control.attachmentContent(mine[0]!.id);
    expect(Buffer.compare(content, pdf)).toBe(0);
  });

  it("refuses a file over the limit before sending anything", async () => {
    const { referral } = await build.chain(t.client);
    await t.control.clearCalls();
    const err = await t.client
      .uploadClientAttachment(referral.referral.id, {
        filename: "big.pdf",
        stream: Readable.from([]),
        size: 50_000_001,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "invalid_request", retryable: false });
    expect(await t.control.calls()).toEqual([]);
  });

  it("checks a file on disk against the limit before sending, and sends one at the limit whole", async () => {
    const { referral } = await build.chain(t.client);
    const dir = mkdtempSync(path.join(os.tmpdir(), "accloud-attach-"));
    try {
      const over = path.join(dir, "over.pdf");
      writeFileSync(over, "");
      truncateSync(over, 50_000_001);
      await t.control.clearCalls();
      const err = (await t.client
        .uploadClientAttachment(referral.referral.id, { filename: "over.pdf", path: over })
        .catch((e: unknown) => e)) as AccloudError;
      expect(err).toMatchObject({ kind: "invalid_request", retryable: false });
      expect(err.issues).toEqual(["file: 50000001 bytes is over the 50000000-byte limit"]);
      expect(await t.control.calls()).toEqual([]);

      const atLimit = path.join(dir, "scan.pdf");
      writeFileSync(atLimit, "%PDF-1.4\n");
      truncateSync(atLimit, 50_000_000);
      await t.client.uploadClientAttachment(referral.referral.id, {
        filename: "scan.pdf",
        contentType: "application/pdf",
        path: atLimit,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const stored = (await t.control.state()).attachments.filter((a) => a.referral_id === referral.referral.id);
    expect(stored.map((a) => [a.filename, a.size])).toEqual([["scan.pdf", 50_000_000]]);
  });

  it("refuses a stream shorter or longer than its declared size, sending nothing", async () => {
    const { referral } = await build.chain(t.client);
    await t.control.clearCalls();
    const bytes = Buffer.alloc(1000, 1);
    for (const size of [1001, 999]) {
      const err = (await t.client
        .uploadClientAttachment(referral.referral.id, {
          filename: "notes.txt",
          stream: Readable.from([bytes.subarray(0, 600), bytes.subarray(600)]),
          size,
        })
        .catch((e: unknown) => e)) as AccloudError;
      expect(err).toMatchObject({ kind: "invalid_request", retryable: false });
      expect(err.issues).toEqual([
        `size: the stream is ${size > bytes.length ? "shorter" : "longer"} than the ${size} bytes declared`,
      ]);
    }
    expect(await t.control.calls()).toEqual([]);
  });
});

describe("client behaviour", () => {
  it("refuses invalid requests before sending, naming fields but never values", async () => {
    await t.control.clearCalls();
    const bad = build.client({ demographics: { first_name: "Frank", last_name: "" } });
    const err = (await t.client.createClient(bad).catch((e: unknown) => e)) as AccloudError;
    expect(err).toMatchObject({ kind: "invalid_request", retryable: false, path: "/ext/api/v2/patients/clients" });
    expect(err.issues.join(" ")).toContain("demographics.last_name");
    expect(err.message).not.toContain("Frank");

    const both = (await t.client
      .createAuthorization(build.authorization(1, 1, { rule_daily: 2 }))
      .catch((e: unknown) => e)) as AccloudError;
    expect(both.issues.join(" ")).toContain("rule_daily cannot be combined");

    // Path parameters are checked too, and the issue names the parameter.
    await expect(t.client.getClient(0)).rejects.toMatchObject({
      kind: "invalid_request",
      path: "/ext/api/v2/patients/clients/{client_id}",
      issues: ["client_id: must be a positive integer"],
    });
    await expect(t.client.getServiceByExternalId(" ")).rejects.toMatchObject({
      issues: ["service_id: must be a non-empty string"],
    });
    await expect(t.client.cancelReferral("not-a-uuid", { reason_code: "other" })).rejects.toMatchObject({
      issues: ["referral_id: must be a UUID"],
    });
    await expect(t.client.listReferralsForService(1, -1)).rejects.toMatchObject({
      issues: ["service_id: must be a positive integer"],
    });
    expect(await t.control.calls()).toEqual([]);
  });

  it("logs method, path template, status and duration, and no body or id", async () => {
    const entries: AccloudCallLog[] = [];
    const logged = testClient(t.url, { log: (e) => entries.push(e) });
    const body = build.client();
    const c = await logged.createClient(body);
    await logged.getClient(c.id);
    await logged.getClient(999_999).catch(() => {});
    expect(entries.map((e) => [e.method, e.path, e.status, e.outcome])).toEqual([
      ["POST", "/ext/api/v2/patients/clients", 201, "ok"],
      ["GET", "/ext/api/v2/patients/clients/{client_id}", 200, "ok"],
      ["GET", "/ext/api/v2/patients/clients/{client_id}", 404, "http_error"],
    ]);
    expect(entries.every((e) => typeof e.durationMs === "number")).toBe(true);
    const text = JSON.stringify(entries);
    expect(text).not.toContain("Frank");
    expect(text).not.toContain(String(c.id));
  });

  it("rejects wrong credentials with a non-retryable 401", async () => {
    const wrong = testClient(t.url, { apiSecret: "nope" });
    await expect(wrong.listGroups()).rejects.toMatchObject({
      status: 401,
      code: 401,
      accloudMessage: "Authorization required.",
      retryable: false,
    });
    await expect(wrong.listAuthorizations({ start_at_from: isoDay(0), start_at_to: isoDay(1) })).rejects.toMatchObject({
      status: 401,
      code: "401",
      accloudMessage: "Please verify your access level for this url.",
    });
  });

  it("refuses an invalid configuration", () => {
    expect(() => createAccloudClient({ baseUrl: "not a url", apiKey: "k", apiSecret: "s", timeoutMs: 1000 })).toThrow(
      /baseUrl/,
    );
  });

  it("reads the referral detail with the internal-spec alayacare.authorization object too", async () => {
    await withTestSandbox(
      {
        options: {
          alayacareAuthorizationShape: "authorization",
          cancelSuccessStatus: 200,
          alayamarketErrorBody: "message",
        },
      },
      async (other) => {
        const { referral } = await build.chain(other.client);
        expect(referral.alayacare?.authorization).toMatchObject({ start_date: isoDay(7) });
        await other.client.cancelReferral(referral.referral.id, { reason_code: "other" });
        const err = await other.client
          .cancelReferral(referral.referral.id, { reason_code: "other" })
          .catch((e: unknown) => e);
        expect(err).toMatchObject({
          status: 409,
          accloudMessage: "Referral in status 'cancelled' cannot be cancelled.",
        });
      },
    );
  });

  it("creates a referral without authorizations (authorization_ids: null)", async () => {
    const r = await t.client.createReferral(
      (await t.client.createService(build.service((await t.client.createClient(build.client())).id))).id,
      build.referral([], { authorization_ids: null }),
    );
    expect(r.supply.id).toBe(GEM_CITY_SUPPLIER_ID);
  });
});
