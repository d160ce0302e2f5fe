/**
 * Contract §11, rule by rule: a request that breaks it and the exact status and body that come
 * back. Raw fetch is used wherever the typed client would refuse to send the bad request.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CANCEL_REASON_CODES } from "../schemas";
import { OVERLAP_MESSAGE } from "./routes-authorizations";
import { CSI_GROUP_ID, GEM_CITY_SUPPLIER_ID, MIAMI_VALLEY_SUPPLIER_ID } from "./seed";
import { type RawResponse, testSandboxForFile, withTestSandbox } from "../../../test/support/sandbox";
import * as build from "../../../test/support/accloud-examples";
import { chicagoMidnight, isoDay } from "../../../test/support/dates";

const t = testSandboxForFile();

const CLIENTS = "/ext/api/v2/patients/clients";
const SERVICES = "/ext/api/v2/scheduler/services";
const AUTHS = "/ext/api/v2/scheduler/authorizations";
const REFERRALS = "/api/v1/alayamarket/outbox/referrals";

const ext = (status: number, message: string) => ({ status, body: { code: status, message } });
const auth = (status: number, message: string, code = String(status)) => ({ status, body: { code, message } });
const market = (status: number, detail: string) => ({ status, body: expect.objectContaining({ status, detail }) });

function omit<T extends object>(obj: T, key: keyof T): Partial<T> {
  const copy = { ...obj };
  delete copy[key];
  return copy;
}

function expectAnswer(res: RawResponse, expected: { status: number; body: unknown }) {
  expect({ status: res.status, body: res.body }).toEqual(expected);
}

async function newClient(over = {}) {
  return t.client.createClient(build.client(over));
}
async function newService(clientId: number) {
  return t.client.createService(build.service(clientId));
}

describe("auth and transport", () => {
  it("requires Basic auth on every API, with the per-API 401 body", async () => {
    expectAnswer(
      await t.raw("GET", "/ext/api/v2/patients/groups", undefined, { auth: null }),
      ext(401, "Authorization required."),
    );
    expectAnswer(
      await t.raw("GET", `${AUTHS}?start_at_from=${isoDay(0)}&start_at_to=${isoDay(1)}`, undefined, {
        auth: "Basic " + Buffer.from("test-key:wrong").toString("base64"),
      }),
      auth(401, "Please verify your access level for this url."),
    );
    const res = await t.raw("GET", `${REFERRALS}`, undefined, { auth: null });
    expectAnswer(res, market(401, "Authorization required."));
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expectAnswer(await t.raw("GET", "/__sandbox/state", undefined, { headers: { "x-sandbox-key": "wrong" } }), {
      status: 401,
      body: { error: "missing or wrong x-sandbox-key" },
    });
  });

  it("answers unknown paths and methods in the API's own error shape", async () => {
    expectAnswer(await t.raw("GET", "/ext/api/v2/patients/nothing"), ext(404, "Not found."));
    expectAnswer(await t.raw("DELETE", CLIENTS), ext(405, "Method not allowed."));
  });
});

describe("id families and lookups", () => {
  it("keeps clients, services and authorizations in separate id spaces", async () => {
    const c = await newClient();
    const s = await newService(c.id);
    expect(s.id).not.toBe(c.id);
    expectAnswer(await t.raw("GET", `${SERVICES}/${c.id}`), ext(404, "Service not found"));
    expectAnswer(await t.raw("GET", `${CLIENTS}/${s.id}`), ext(404, "Client not found."));
    expectAnswer(
      await t.raw("GET", `${CLIENTS}/by_id/${encodeURIComponent(String(c.id))}`),
      ext(404, "Client not found."),
    );
  });

  it("409 on a duplicate client external_id, at create and at update", async () => {
    const body = build.client();
    await t.client.createClient(body);
    expectAnswer(
      await t.raw("POST", CLIENTS, { ...body }),
      ext(409, `Client already exists with external ID: ${body.external_id}`),
    );
    const other = await newClient();
    expectAnswer(
      await t.raw("PUT", `${CLIENTS}/${other.id}`, { external_id: body.external_id }),
      ext(409, `Client already exists with external ID: ${body.external_id}`),
    );
  });

  it("409 Multiple clients found when by_id is ambiguous (seeded)", async () => {
    const ext_id = `dup-${randomUUID()}`;
    await t.control.insertClient({ external_id: ext_id });
    await t.control.insertClient({ external_id: ext_id });
    expectAnswer(await t.raw("GET", `${CLIENTS}/by_id/${ext_id}`), ext(409, "Multiple clients found"));
    expectAnswer(
      await t.raw("PUT", `${CLIENTS}/by_id/${ext_id}`, { timezone: "UTC" }),
      ext(409, "Multiple clients found"),
    );
  });

  it("duplicate external service_id: 409 by default (§12.1), configurable to create or upsert", async () => {
    const c = await newClient();
    const body = build.service(c.id);
    const first = await t.client.createService(body);
    expectAnswer(
      await t.raw("POST", SERVICES, body),
      ext(409, `Service already exists with external ID: ${body.service_id}`),
    );
    try {
      await t.control.setRules({ duplicateServiceExternalId: "upsert" });
      const again = await t.raw("POST", SERVICES, { ...body, name: "Infusion Nursing" });
      expectAnswer(again, { status: 200, body: { id: first.id, external_id: body.service_id } });
      expect((await t.client.getService(first.id)).service_name).toBe("Infusion Nursing");
      await t.control.setRules({ duplicateServiceExternalId: "create" });
      const second = await t.raw("POST", SERVICES, body);
      expect(second.status).toBe(200);
      expect((second.body as { id: number }).id).not.toBe(first.id);
      expectAnswer(await t.raw("GET", `${SERVICES}/by_id/${body.service_id}`), ext(409, "Multiple services found"));
    } finally {
      await t.control.setRules({ duplicateServiceExternalId: "reject" });
    }
  });
});

describe("clients", () => {
  it("requires first_name and last_name", async () => {
    const body = build.client();
    expectAnswer(
      await t.raw("POST", CLIENTS, { ...body, demographics: omit(body.demographics, "first_name") }),
      ext(400, "Field first_name is required in demographics."),
    );
    expectAnswer(
      await t.raw("POST", CLIENTS, { ...body, demographics: { ...body.demographics, last_name: " " } }),
      ext(400, "Field last_name is required in demographics."),
    );
  });

  it("rejects profile_id together with demographics", async () => {
    expectAnswer(
      await t.raw("POST", CLIENTS, { ...build.client(), profile_id: 100 }),
      ext(400, "Only one of profile_id or demographics can be specified."),
    );
  });

  it("validates gender and the language code (names are converted)", async () => {
    const body = build.client();
    expectAnswer(
      await t.raw("POST", CLIENTS, { ...body, demographics: { ...body.demographics, gender: "female" } }),
      ext(400, "Field gender must be one of M, F, O."),
    );
    expectAnswer(await t.raw("POST", CLIENTS, { ...body, language: "xx" }), ext(400, "Invalid language code."));
    const converted = await t.raw("POST", CLIENTS, { ...body, language: "English" });
    expect(converted.status).toBe(201);
    expect((await t.client.getClient((converted.body as { id: number }).id)).language).toBe("en");
  });

  it("creates clients as pending and ignores a status sent on update", async () => {
    const c = await newClient();
    const res = await t.raw("PUT", `${CLIENTS}/${c.id}`, { status: "active" });
    expect(res.status).toBe(200);
    expect((await t.client.getClient(c.id)).status).toBe("pending");
  });

  it("rejects a client without the CSI group (default), or flags it", async () => {
    expectAnswer(
      await t.raw("POST", CLIENTS, build.client({ groups: [{ id: 1009 }] })),
      ext(400, "Client must belong to the CSI group."),
    );
    expectAnswer(
      await t.raw("POST", CLIENTS, build.client({ groups: [{ id: 4242 }] })),
      ext(400, "Group ID not found: 4242."),
    );
    try {
      await t.control.setRules({ missingCsiGroup: "flag" });
      const res = await t.raw("POST", CLIENTS, build.client({ groups: [{ id: 1009 }] }));
      expect(res.status).toBe(201);
      const state = await t.control.state();
      expect(state.clients.find((c) => c.id === (res.body as { id: number }).id)?.missing_csi_group).toBe(true);
    } finally {
      await t.control.setRules({ missingCsiGroup: "reject" });
    }
  });
});

describe("services", () => {
  it("needs exactly one of alayacare_client_id / client_id (the CSI example sends both, §10 #4)", async () => {
    const body = build.client();
    const c = await t.client.createClient(body);
    const message = "Invalid request: client needs exactly one of alayacare_client_id or client_id.";
    expectAnswer(
      await t.raw("POST", SERVICES, {
        ...build.service(c.id),
        client: { alayacare_client_id: c.id, client_id: body.external_id },
      }),
      ext(400, message),
    );
    expectAnswer(await t.raw("POST", SERVICES, { ...build.service(c.id), client: {} }), ext(400, message));
    expectAnswer(
      await t.raw("POST", SERVICES, { ...build.service(c.id), client: { alayacare_client_id: 999_999 } }),
      ext(400, "Client not found."),
    );
    expectAnswer(
      await t.raw("POST", SERVICES, { ...build.service(c.id), client: { client_id: "nobody" } }),
      ext(400, "Client not found."),
    );
  });

  it("needs exactly one existing service code, a known funding methodology and existing funders", async () => {
    const c = await newClient();
    const base = build.service(c.id) as Record<string, unknown>;
    const oneCode = "Invalid request: exactly one of service_code_id or service_code_name is required.";
    expectAnswer(await t.raw("POST", SERVICES, { ...base, service_code_name: "Skilled Nursing" }), ext(400, oneCode));
    expectAnswer(await t.raw("POST", SERVICES, { ...base, service_code_id: undefined }), ext(400, oneCode));
    expectAnswer(
      await t.raw("POST", SERVICES, { ...base, service_code_id: 4848 }),
      ext(400, "Service code not found."),
    );
    expect(
      (
        await t.raw("POST", SERVICES, {
          ...base,
          service_id: randomUUID(),
          service_code_id: undefined,
          service_code_name: "PT",
        })
      ).status,
    ).toBe(200);
    expectAnswer(
      await t.raw("POST", SERVICES, { ...base, funding_methodology: "self_pay" }),
      ext(
        400,
        "Invalid request: funding_methodology must be one of cluster_billing, cob, co_contribution, co-pay, ltci, medicaid, payor_invoicing, single_funder, single_payor, split_funders, split_percentage.",
      ),
    );
    expectAnswer(
      await t.raw("POST", SERVICES, {
        ...base,
        guid_funder_breakdowns: [{ funder_id: 999, is_primary: 1, percentage: 100 }],
      }),
      ext(400, "Funder not found: 999."),
    );
    expectAnswer(
      await t.raw("POST", SERVICES, { ...base, guid_funder_breakdowns: [] }),
      ext(400, "Invalid request: guid_funder_breakdowns is required."),
    );
  });

  it("answers 200 (not 201) with {id, external_id}, and accepts the CSI boolean is_primary", async () => {
    const c = await newClient();
    const body = {
      ...build.service(c.id),
      guid_funder_breakdowns: [{ funder_id: 9, is_primary: true, percentage: 100 }],
    };
    const res = await t.raw("POST", SERVICES, body);
    expectAnswer(res, { status: 200, body: { id: expect.any(Number), external_id: body.service_id } });
  });
});

describe("authorizations", () => {
  let clientId: number;
  let serviceId: number;
  beforeAll(async () => {
    clientId = (await newClient()).id;
    serviceId = (await newService(clientId)).id;
  });
  const body = (over: Record<string, unknown> = {}) => ({ ...build.authorization(clientId, serviceId), ...over });
  /** The weekday counts build.authorization sets, unset: a daily rule only. */
  const noWeekdays = {
    rule_monday: null,
    rule_tuesday: null,
    rule_wednesday: null,
    rule_thursday: null,
    rule_friday: null,
  };

  it("requires client_id, start_at, rule_type, methodology, first_day_of_week", async () => {
    expectAnswer(
      await t.raw("POST", AUTHS, { notes: "" }),
      auth(
        400,
        "The following parameters are required: start_at, rule_type, client_id, methodology and first_day_of_week.",
      ),
    );
    expectAnswer(await t.raw("POST", AUTHS, body({ client_id: 999_999 })), auth(400, "Client ID not found."));
  });

  it("checks the enums", async () => {
    expectAnswer(
      await t.raw("POST", AUTHS, body({ rule_type: "RATE" })),
      auth(400, "RATE is not a valid choice for field `rule_type`."),
    );
    expectAnswer(
      await t.raw("POST", AUTHS, body({ methodology: "SERVICE" })),
      auth(400, "SERVICE is not a valid choice for field `methodology`."),
    );
    expectAnswer(
      await t.raw("POST", AUTHS, body({ first_day_of_week: 7 })),
      auth(400, "`first_day_of_week` must be an integer from 0 to 6."),
    );
    expectAnswer(
      await t.raw("POST", AUTHS, body({ payor_id_type: "PERSON", payor_id: 9 })),
      auth(400, "PERSON is not a valid choice for field `payor_id_type`."),
    );
  });

  it("requires payor_id and payor_id_type for payor methodologies", async () => {
    expectAnswer(
      await t.raw("POST", AUTHS, body({ methodology: "payor_service" })),
      auth(
        400,
        "`payor_id` and `payor_id_type` is required when `methodology` is `payor`, payor_bill_code, payor_service.",
      ),
    );
  });

  it("requires services that exist and belong to the client", async () => {
    const otherClient = await newClient();
    const otherService = await newService(otherClient.id);
    expectAnswer(
      await t.raw("POST", AUTHS, body({ service_ids: [otherService.id] })),
      auth(400, `Service(s) IDs do not belong to Client ID ${clientId}.`),
    );
    expectAnswer(await t.raw("POST", AUTHS, body({ service_ids: [999_999] })), auth(400, "Service(s) ID not found."));
  });

  it("end_at on or after start_at; start_at at most 1 year in the past; plain dates only", async () => {
    expectAnswer(
      await t.raw("POST", AUTHS, body({ start_at: isoDay(10), end_at: isoDay(9) })),
      auth(400, "`end_at` should be the same or after `start_at`"),
    );
    expect(
      (await t.raw("POST", AUTHS, body({ start_at: isoDay(200), end_at: isoDay(200), rule_monday: null }))).status,
    ).toBe(201);
    expectAnswer(
      await t.raw("POST", AUTHS, body({ start_at: isoDay(-400), end_at: isoDay(5) })),
      auth(400, "`start_at` cannot be more than 1 year in the past."),
    );
    expect((await t.raw("POST", AUTHS, body({ start_at: isoDay(-300), end_at: isoDay(-250) }))).status).toBe(201);
    expectAnswer(
      await t.raw("POST", AUTHS, body({ start_at: `${isoDay(3)}T00:00:00-05:00` })),
      auth(400, "`start_at` must be a date (YYYY-MM-DD)."),
    );
  });

  it("rule_daily never with a rule_<weekday> (0 counts as set by default, §12.4)", async () => {
    const msg = "`rule_daily` cannot be used with any `rule_<day>` fields.";
    // The CSI Step 3 example as written sets both (§10 #6).
    expectAnswer(await t.raw("POST", AUTHS, body({ rule_daily: 2 })), auth(400, msg));
    expectAnswer(
      await t.raw(
        "POST",
        AUTHS,
        body({ ...noWeekdays, rule_daily: 2, rule_sunday: 0, start_at: isoDay(300), end_at: isoDay(301) }),
      ),
      auth(400, msg),
    );
    expect(
      (await t.raw("POST", AUTHS, body({ ...noWeekdays, rule_daily: 2, start_at: isoDay(302), end_at: isoDay(303) })))
        .status,
    ).toBe(201);
    try {
      await t.control.setRules({ zeroRuleCountsAsSet: false });
      expect(
        (
          await t.raw(
            "POST",
            AUTHS,
            body({ ...noWeekdays, rule_daily: 2, rule_sunday: 0, start_at: isoDay(304), end_at: isoDay(305) }),
          )
        ).status,
      ).toBe(201);
    } finally {
      await t.control.setRules({ zeroRuleCountsAsSet: true });
    }
  });

  it("rule_daily ≤ rule_monthly (and, strictly, daily ≤ weekly ≤ monthly)", async () => {
    expectAnswer(
      await t.raw("POST", AUTHS, body({ ...noWeekdays, rule_daily: 50, rule_weekly: null, rule_monthly: 40 })),
      auth(400, "`rule_daily` must be lower than or equal `rule_monthly`."),
    );
    expectAnswer(
      await t.raw("POST", AUTHS, body({ ...noWeekdays, rule_daily: 12, rule_weekly: 10 })),
      auth(400, "`rule_daily` must be lower than or equal `rule_weekly`."),
    );
    expectAnswer(
      await t.raw("POST", AUTHS, body({ rule_weekly: 50, rule_monthly: 40 })),
      auth(400, "`rule_weekly` must be lower than or equal `rule_monthly`."),
    );
  });

  it("409 when overlapping the same payor with a different service combination", async () => {
    const c = await newClient();
    const s1 = await newService(c.id);
    const s2 = await newService(c.id);
    await t.client.createAuthorization(build.authorization(c.id, s1.id));
    expectAnswer(
      await t.raw("POST", AUTHS, { ...build.authorization(c.id, s1.id), service_ids: [s1.id, s2.id] }),
      auth(409, OVERLAP_MESSAGE),
    );
    expect((await t.raw("POST", AUTHS, build.authorization(c.id, s1.id))).status).toBe(201);
  });

  it("PUT accepts only the mutable fields; start_at/rule_type/rule_* changes are rejected (strict, §12.5)", async () => {
    const a = await t.client.createAuthorization(
      build.authorization(clientId, serviceId, { start_at: isoDay(400 - 365), end_at: isoDay(40) }),
    );
    const path = `${AUTHS}/${a.id}`;
    const recreate = "cannot be changed; delete and recreate the authorization.";
    expectAnswer(await t.raw("PUT", path, { start_at: isoDay(36) }), auth(400, `\`start_at\` ${recreate}`));
    expectAnswer(await t.raw("PUT", path, { start_date: isoDay(36) }), auth(400, `\`start_at\` ${recreate}`));
    expectAnswer(await t.raw("PUT", path, { rule_type: "VISITS" }), auth(400, `\`rule_type\` ${recreate}`));
    expectAnswer(await t.raw("PUT", path, { rule_weekly: 12 }), auth(400, `\`rule_weekly\` ${recreate}`));
    expectAnswer(await t.raw("PUT", path, { client_id: 1 }), auth(400, "Field `client_id` cannot be updated."));
    expect((await t.raw("PUT", path, { start_at: a.start_at, rule_type: "HOURS", notes: "same start" })).status).toBe(
      200,
    );
    expectAnswer(
      await t.raw("PUT", path, { end_at: isoDay(1) }),
      auth(400, "`end_at` should be the same or after `start_at`."),
    );
    expectAnswer(await t.raw("PUT", `${AUTHS}/999999`, { notes: "" }), auth(404, "Authorization not found.", "400"));
    try {
      await t.control.setRules({ authorizationImmutableFields: "ignore" });
      const res = await t.raw("PUT", path, { start_at: isoDay(36), rule_type: "VISITS", notes: "lenient" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ start_at: a.start_at, rule_type: "HOURS", notes: "lenient" });
    } finally {
      await t.control.setRules({ authorizationImmutableFields: "reject" });
    }
  });

  it("DELETE answers 204, and 403 while a live referral carries the authorization (§12.6)", async () => {
    const chain = await build.chain(t.client);
    expectAnswer(
      await t.raw("DELETE", `${AUTHS}/${chain.authorizationId}`),
      auth(403, "Authorization can not be deleted."),
    );
    await t.client.cancelReferral(chain.referral.referral.id, { reason_code: "processing_error" });
    const res = await t.raw("DELETE", `${AUTHS}/${chain.authorizationId}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expectAnswer(
      await t.raw("DELETE", `${AUTHS}/${chain.authorizationId}`),
      auth(404, "Authorization not found.", "400"),
    );
  });

  it("the list requires start_at_from and start_at_to and checks enums", async () => {
    expectAnswer(
      await t.raw("GET", AUTHS),
      auth(400, "The following parameters are required: start_at_from and start_at_to."),
    );
    expectAnswer(
      await t.raw("GET", `${AUTHS}?start_at_from=${isoDay(0)}&start_at_to=${isoDay(9)}&authorization_status=OLD`),
      auth(400, "OLD is not a valid choice for field `authorization_status`."),
    );
  });
});

describe("referral create", () => {
  let clientId: number;
  let serviceId: number;
  let authId: number;
  beforeAll(async () => {
    clientId = (await newClient()).id;
    serviceId = (await newService(clientId)).id;
    authId = (await t.client.createAuthorization(build.authorization(clientId, serviceId))).id;
  });
  const url = () => `${REFERRALS}/from_service/${serviceId}`;
  const body = (over: Record<string, unknown> = {}) => ({ ...build.referral([authId]), ...over });

  it("needs an existing internal service id in the path", async () => {
    expectAnswer(
      await t.raw("POST", `${REFERRALS}/from_service/${clientId}`, body()),
      market(404, "Service not found."),
    );
  });

  it("validates the body: required fields, enums, date-times with offset, uuid, no unknown fields", async () => {
    expectAnswer(
      await t.raw("POST", url(), omit(body(), "care_type")),
      market(400, "'care_type' is a required property"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ care_type: "therapy" })),
      market(400, "'care_type' is not one of ['psw', 'nursing']"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ referral_type: "shift" })),
      market(400, "'referral_type' is not one of ['visit', 'service']"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ start_at: isoDay(7) })),
      market(400, "'start_at' is not a 'date-time' with an offset"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ end_at: `${isoDay(36)}T05:00:00` })),
      market(400, "'end_at' is not a 'date-time' with an offset"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ supply_persona_id: "gem-city" })),
      market(400, "'supply_persona_id' is not a 'uuid'"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ price: { rate: 30 } })),
      market(400, "Additional properties are not allowed ('price' was unexpected)"),
    );
    expectAnswer(
      await t.raw("POST", url(), body({ start_at: chicagoMidnight(isoDay(36)), end_at: chicagoMidnight(isoDay(7)) })),
      market(400, "'end_at' must be on or after 'start_at'"),
    );
  });

  it("requires the supplier to be in the trusted network", async () => {
    expectAnswer(
      await t.raw("POST", url(), body({ supply_persona_id: randomUUID() })),
      market(400, "Supplier is not in the trusted network."),
    );
  });

  it("authorization dates must equal the date parts of start_at/end_at as written (§12.3)", async () => {
    const msg = `Authorization ${authId} start and end dates must equal the date parts of the referral start_at and end_at.`;
    // The CSI examples run together: authorization 10-01..10-30 vs referral 04-01..04-30 (§10 #6).
    expectAnswer(await t.raw("POST", url(), body({ end_at: chicagoMidnight(isoDay(35)) })), market(400, msg));
    expectAnswer(await t.raw("POST", url(), body({ start_at: chicagoMidnight(isoDay(8)) })), market(400, msg));
    // 23:00 at -06:00 is the next day in UTC: as written it matches, in UTC it would not.
    const lateEvening = { start_at: `${isoDay(7)}T23:00:00-06:00`, end_at: `${isoDay(36)}T23:00:00-06:00` };
    try {
      await t.control.setRules({ referralDateMatchTimezone: "UTC" });
      expectAnswer(await t.raw("POST", url(), body(lateEvening)), market(400, msg));
    } finally {
      await t.control.setRules({ referralDateMatchTimezone: "as_written" });
    }
    const ok = await t.raw("POST", url(), body(lateEvening));
    expect(ok.status).toBe(201);
    await t.client.cancelReferral((ok.body as { referral: { id: string } }).referral.id, {
      reason_code: "processing_error",
    });
  });

  it("authorizations must exist, belong to the service's client and have an end_at", async () => {
    expectAnswer(
      await t.raw("POST", url(), body({ authorization_ids: [999_999] })),
      market(400, "Authorization 999999 not found."),
    );
    const other = await build.chain(t.client);
    expectAnswer(
      await t.raw("POST", url(), body({ authorization_ids: [other.authorizationId] })),
      market(400, `Authorization ${other.authorizationId} does not belong to the service's client.`),
    );
    const openEnded = (await t.raw("POST", AUTHS, { ...build.authorization(clientId, serviceId), end_at: undefined }))
      .body as { id: number };
    expectAnswer(
      await t.raw("POST", url(), body({ authorization_ids: [openEnded.id] })),
      market(
        400,
        `Authorization ${openEnded.id} start and end dates must equal the date parts of the referral start_at and end_at.`,
      ),
    );
  });

  it("one live referral per service (§12.7)", async () => {
    const chain = await build.chain(t.client);
    expectAnswer(
      await t.raw("POST", `${REFERRALS}/from_service/${chain.serviceId}`, build.referral([chain.authorizationId])),
      market(409, "A live referral already exists for this service."),
    );
    await t.client.cancelReferral(chain.referral.referral.id, { reason_code: "datetime_change" });
    expect(
      (await t.raw("POST", `${REFERRALS}/from_service/${chain.serviceId}`, build.referral([chain.authorizationId])))
        .status,
    ).toBe(201);
  });
});

describe("referral update", () => {
  const update = (authId: number, over: Record<string, unknown> = {}) => ({
    authorization_ids: [authId],
    start_at: chicagoMidnight(isoDay(7)),
    end_at: chicagoMidnight(isoDay(36)),
    revision: { reasons: ["Updated authorization end date"], comment: "" },
    ...over,
  });

  it("validates the body and the supplier (§12.11)", async () => {
    const { serviceId, authorizationId, referral } = await build.chain(t.client);
    const url = `${REFERRALS}/from_service/${serviceId}/update/${referral.referral.id}`;
    expectAnswer(
      await t.raw("POST", url, omit(update(authorizationId), "revision")),
      market(400, "'revision' is a required property"),
    );
    expectAnswer(
      await t.raw("POST", url, update(authorizationId, { revision: { comment: "" } })),
      market(400, "'reasons' is a required property"),
    );
    expectAnswer(
      await t.raw("POST", url, update(authorizationId, { revision: { reasons: [] } })),
      market(400, "'revision.reasons' should be non-empty"),
    );
    expectAnswer(
      await t.raw("POST", url, update(authorizationId, { supply_persona_id: MIAMI_VALLEY_SUPPLIER_ID })),
      market(400, "'supply_persona_id' cannot be changed on update."),
    );
    expectAnswer(
      await t.raw("POST", url, update(authorizationId, { end_at: chicagoMidnight(isoDay(37)) })),
      market(
        400,
        `Authorization ${authorizationId} start and end dates must equal the date parts of the referral start_at and end_at.`,
      ),
    );
    expectAnswer(
      await t.raw(
        "POST",
        `${REFERRALS}/from_service/${serviceId + 1}/update/${referral.referral.id}`,
        update(authorizationId),
      ),
      market(404, "Service not found."),
    );
    // The CSI 4.1 example sends the unchanged supply_persona_id (§10 #13): accepted.
    const ok = await t.raw("POST", url, update(authorizationId, { supply_persona_id: GEM_CITY_SUPPLIER_ID }));
    expect(ok.status).toBe(201);
  });

  it("only the latest revision, only type service, only from assigned/processed", async () => {
    const { serviceId, authorizationId, referral } = await build.chain(t.client);
    const first = referral.referral.id;
    const second = await t.client.updateReferral(serviceId, first, update(authorizationId) as never);
    expect(second.revision).toMatchObject({
      revision_group_id: referral.revision!.revision_group_id,
      revision_number: 2,
    });
    expectAnswer(
      await t.raw("POST", `${REFERRALS}/from_service/${serviceId}/update/${first}`, update(authorizationId)),
      market(409, "Referral is not the latest revision."),
    );
    expectAnswer(
      await t.raw("POST", `${REFERRALS}/${first}/cancel`, { reason_code: "other" }),
      market(409, "Referral is not the latest revision."),
    );

    await t.control.markProcessed(second.referral.id);
    const third = await t.client.updateReferral(serviceId, second.referral.id, update(authorizationId) as never);
    expect(third.referral.status).toBe("assigned");
    await t.client.cancelReferral(third.referral.id, { reason_code: "client_request" });
    expectAnswer(
      await t.raw(
        "POST",
        `${REFERRALS}/from_service/${serviceId}/update/${third.referral.id}`,
        update(authorizationId),
      ),
      market(409, "Referral in status 'cancelled' cannot be updated."),
    );

    const c = await newClient();
    const s = await newService(c.id);
    const visit = await t.client.createReferral(
      s.id,
      build.referral([], { authorization_ids: null, referral_type: "visit" }),
    );
    expectAnswer(
      await t.raw("POST", `${REFERRALS}/from_service/${s.id}/update/${visit.referral.id}`, {
        ...update(0),
        authorization_ids: null,
      }),
      market(409, "Only referrals of type 'service' can be updated."),
    );
  });
});

describe("referral cancel", () => {
  it("requires one of the 7 reason codes and a comment of at most 1000 characters", async () => {
    const { referral } = await build.chain(t.client);
    const url = `${REFERRALS}/${referral.referral.id}/cancel`;
    expectAnswer(await t.raw("POST", url, {}), market(400, "'reason_code' is a required property"));
    expectAnswer(
      await t.raw("POST", url, { reason_code: "duplicate" }),
      market(400, `'reason_code' is not one of [${CANCEL_REASON_CODES.map((c) => `'${c}'`).join(", ")}]`),
    );
    expectAnswer(
      await t.raw("POST", url, { reason_code: "other", comment: "x".repeat(1001) }),
      market(400, "'comment' is too long (maximum 1000 characters)"),
    );
    const ok = await t.raw("POST", url, { reason_code: "other", comment: "x".repeat(1000) });
    expect(ok.status).toBe(204);
    expect(ok.text).toBe("");
    expectAnswer(
      await t.raw("POST", url, { reason_code: "other" }),
      market(409, "Referral in status 'cancelled' cannot be cancelled."),
    );
    expectAnswer(
      await t.raw("POST", `${REFERRALS}/${randomUUID()}/cancel`, { reason_code: "other" }),
      market(404, "Referral not found."),
    );
  });

  it("accepts each of the 7 reason codes", async () => {
    for (const reason of CANCEL_REASON_CODES) {
      const { referral } = await build.chain(t.client);
      await t.client.cancelReferral(referral.referral.id, { reason_code: reason });
    }
    const state = await t.control.state();
    expect(new Set(state.referrals.filter((r) => r.status === "cancelled").map((r) => r.reason_code))).toEqual(
      new Set(CANCEL_REASON_CODES),
    );
  });
});

describe("referral list", () => {
  it("validates revisions, sort and pagination (Style B)", async () => {
    expectAnswer(
      await t.raw("GET", `${REFERRALS}?revisions=newest`),
      market(400, "'revisions' is not one of ['all', 'latest', 'archived']"),
    );
    expectAnswer(
      await t.raw("GET", `${REFERRALS}?sort_by=created_at`),
      market(400, "'sort_by' is not one of ['last_modified', 'revision_number']"),
    );
    expectAnswer(
      await t.raw("GET", `${REFERRALS}?items_per_page=0`),
      market(400, "'items_per_page' must be an integer ≥ 1"),
    );
    const page = await t.raw("GET", `${REFERRALS}?items_per_page=1&page=1`);
    expect(Object.keys(page.body as object).sort()).toEqual([
      "items",
      "items_per_page",
      "page",
      "total_items",
      "total_pages",
    ]);
  });
});

describe("attachments", () => {
  async function upload(referralId: string, parts: { name: string; value: Blob | string; filename?: string }[]) {
    const form = new FormData();
    for (const p of parts) {
      if (typeof p.value === "string") form.append(p.name, p.value);
      else form.append(p.name, p.value, p.filename);
    }
    const res = await fetch(`${t.url}${REFERRALS}/${referralId}/client_attachment`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from("test-key:test-secret").toString("base64")}` },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }
  const pdf = (bytes = "%PDF-1.4 x") => new Blob([bytes], { type: "application/pdf" });

  it("needs the part `file` with a filename; 201 {filepath}; any revision of the group", async () => {
    const { serviceId, authorizationId, referral } = await build.chain(t.client);
    expect(await upload(referral.referral.id, [{ name: "document", value: pdf(), filename: "a.pdf" }])).toEqual(
      market(400, "Missing required part 'file'."),
    );
    expect(await upload(referral.referral.id, [{ name: "file", value: "plain text field" }])).toEqual(
      market(400, "The 'file' part must carry a filename."),
    );
    const res = await fetch(`${t.url}${REFERRALS}/${referral.referral.id}/client_attachment`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("test-key:test-secret").toString("base64")}`,
        "content-type": "application/pdf",
      },
      body: "%PDF",
    });
    expect({ status: res.status, body: await res.json() }).toEqual(
      market(400, "Request must be multipart/form-data with a 'file' part."),
    );
    expect(await upload(randomUUID(), [{ name: "file", value: pdf(), filename: "a.pdf" }])).toEqual(
      market(404, "Referral not found."),
    );

    await t.client.updateReferral(serviceId, referral.referral.id, {
      authorization_ids: [authorizationId],
      start_at: chicagoMidnight(isoDay(7)),
      end_at: chicagoMidnight(isoDay(36)),
      revision: { reasons: ["Added documents"] },
    });
    const archivedTarget = await upload(referral.referral.id, [
      { name: "file", value: pdf(), filename: "physician_order_form.pdf" },
    ]);
    expect(archivedTarget).toEqual({
      status: 201,
      body: { filepath: expect.stringMatching(/physician_order_form\.pdf$/) },
    });
  });

  it("rejects an empty file, a disallowed type, the same file twice and uploads to a cancelled referral (§12.13)", async () => {
    const { referral } = await build.chain(t.client);
    const id = referral.referral.id;
    expect(await upload(id, [{ name: "file", value: new Blob([]), filename: "empty.pdf" }])).toEqual(
      market(400, "File is empty."),
    );
    expect(await upload(id, [{ name: "file", value: new Blob(["MZ"]), filename: "setup.exe" }])).toEqual(
      market(415, "File type is not allowed."),
    );
    expect((await upload(id, [{ name: "file", value: pdf("same"), filename: "one.pdf" }])).status).toBe(201);
    expect(await upload(id, [{ name: "file", value: pdf("same"), filename: "two.pdf" }])).toEqual(
      market(409, "This file was already uploaded for this referral."),
    );
    await t.client.cancelReferral(id, { reason_code: "other" });
    expect(await upload(id, [{ name: "file", value: pdf("late"), filename: "late.pdf" }])).toEqual(
      market(409, "Referral is cancelled."),
    );
  });

  it("enforces the size limit exactly (configured small here)", async () => {
    await withTestSandbox({ options: { attachmentMaxBytes: 1000 } }, async (small) => {
      const { referral } = await build.chain(small.client);
      await expect(
        small.client.uploadClientAttachment(referral.referral.id, { filename: "a.pdf", data: Buffer.alloc(1000, 1) }),
      ).resolves.toBeTruthy();
      const err = await small.raw("GET", "/__sandbox/rules", undefined, {
        headers: { "x-sandbox-key": "test-control" },
      });
      expect((err.body as { attachmentMaxBytes: number }).attachmentMaxBytes).toBe(1000);
      const form = new FormData();
      form.append("file", new Blob([Buffer.alloc(1001, 2)]), "b.pdf");
      const res = await fetch(`${small.url}${REFERRALS}/${referral.referral.id}/client_attachment`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from("test-key:test-secret").toString("base64")}` },
        body: form,
      });
      expect({ status: res.status, body: await res.json() }).toEqual(market(413, "File exceeds the 0.001 MB limit."));
    });
  });

  it("413 over 50 MB (50,000,000 bytes, §12.2)", async () => {
    const { referral } = await build.chain(t.client);
    const big = await upload(referral.referral.id, [
      { name: "file", value: new Blob([Buffer.alloc(50_000_001, 1)]), filename: "scan.pdf" },
    ]);
    expect(big).toEqual(market(413, "File exceeds the 50 MB limit."));
    const state = await t.control.state();
    expect(state.attachments.filter((a) => a.referral_id === referral.referral.id)).toEqual([]);
  });
});

describe("pagination and reference data", () => {
  it("Style A on ext v2 lists, page size capped, bad page refused with the int-code body", async () => {
    const res = await t.raw("GET", "/ext/api/v2/patients/groups?count=1000");
    expect(res.body).toMatchObject({ count: 6, page: 1, total_pages: 1 });
    expectAnswer(await t.raw("GET", "/ext/api/v2/patients/groups?page=0"), ext(400, "Invalid value for page."));
    expectAnswer(
      await t.raw("GET", "/ext/api/v2/accounting/funders?funder_id=a&alayacare_funder_id=9"),
      ext(400, "funder_id and alayacare_funder_id are mutually exclusive"),
    );
    expectAnswer(await t.raw("GET", "/ext/api/v2/accounting/funders/999"), ext(404, "Funder not found"));
    expectAnswer(
      await t.raw("GET", "/ext/api/v2/scheduler/service_codes?client_id=1&alayacare_client_id=x"),
      ext(400, "client_id and alayacare_client_id are mutually exclusive"),
    );
  });

  it("is seeded with the UAT ids", async () => {
    const groups = await t.client.listAllGroups();
    expect(groups.find((g) => g.id === CSI_GROUP_ID)?.name).toBe("CSI");
    expect((await t.raw("GET", "/ext/api/v2/accounting/funders/9")).status).toBe(200);
    expect((await t.client.listAllServiceCodes()).find((c) => c.id === 48)?.name).toBe("Skilled Nursing");
    expect((await t.client.listAllTrustedNetwork()).find((s) => s.id === GEM_CITY_SUPPLIER_ID)?.name).toBe(
      "Gem City Home Care",
    );
  });
});
