/**
 * The client's real requests (and the sandbox's answers) checked against the published OpenAPI
 * files in reference/, where those files are consistent. Each contract §10 contradiction
 * met here is listed in SPEC_DEVIATIONS with the side the client follows.
 */
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { referenceFile } from "../demo/reference-payload";
import { createAccloudClient } from "./client";
import { PATHS } from "./endpoints";
import { TEST_API_KEY, TEST_API_SECRET, testSandboxForFile } from "../../test/support/sandbox";
import * as build from "../../test/support/accloud-examples";
import { chicagoMidnight, isoDay } from "../../test/support/dates";
import { GEM_CITY_SUPPLIER_ID } from "./sandbox/seed";
import { CREATE_STRING_FIELDS, UPDATE_STRING_FIELDS } from "./sandbox/routes-authorizations";
import { authorizationPutBody } from "../approval/plan";
import { ZApproval } from "../approval/schema";
import { toAccloudAuthorization } from "../approval/to-accloud";
import { approvalInput } from "../../test/support/fixtures";

/**
 * Where the published files contradict each other or the CSI docs (contract §10), and which side
 * the client and sandbox follow. Each is applied as an explicit patch below, never silently.
 */
const SPEC_DEVIATIONS = {
  "§10 #4":
    "CSI README sends both client ids on POST /services; the client sends only alayacare_client_id (the services spec: mutually exclusive).",
  "§10 #5 required":
    "ServiceCreateSchema.required names a non-existent `funder`; ignored (guid_funder_breakdowns is what is sent).",
  "§10 #5 is_primary":
    "CSI sends is_primary: true; the client follows the spec (integer 0/1). The sandbox accepts both.",
  "§10 #8":
    "CSI notes call the authorization dates start_date/end_date; the client follows the v2 spec (start_at/end_at).",
  "§10 #9":
    "BaseAuthorization.methodology (read model) lacks `service` though create accepts it; the response check adds it.",
  "§10 #11": "POST /services answers 200 (spec) where other creates answer 201; the client accepts 200 (and 201).",
  "§10 #12": "CSI says revisions=all gives the latest; the client follows Marketplace (latest is the default).",
  "§10 #13": "CSI's update example sends supply_persona_id; the client follows the internal update schema (not sent).",
  "§10 #15":
    "The internal referral response lacks revision/sequence_id and has alayacare.authorization; the sandbox answers the Marketplace shape (authorizations[], revision) and both schemas are checked loosely.",
  "ServiceDetails.alayacare_service_id":
    "typed string in ServiceDetails, integer in Service; the sandbox answers an integer and the client reads both.",
  "service_codes parameters":
    "GET /service_codes declares no query parameters; page/count/branch_id are the ext v2 Style A ones (contract §3.3).",
  "nulls in answers":
    "the specs rarely mark optional members nullable; null is accepted for optional members of responses (never of requests).",
} as const;

type Json = Record<string, unknown>;
type Spec = { doc: Json; base: string; file: string };

function loadSpec(file: string, base: string): Spec {
  const text = readFileSync(referenceFile(file), "utf8");
  const doc = (file.endsWith(".json") ? JSON.parse(text) : load(text)) as Json;
  return { doc, base, file };
}

// ---------------------------------------------------------------- a small OpenAPI 3.0 schema checker

type CheckOptions = { strict: boolean; response: boolean };

function resolve(doc: Json, schema: Json): Json {
  let s = schema;
  for (let i = 0; i < 20 && typeof s.$ref === "string"; i++) {
    const parts = (s.$ref as string).replace(/^#\//, "").split("/");
    s = parts.reduce<unknown>((node, key) => (node as Json)[key], doc) as Json;
  }
  return s;
}

function propertiesOf(doc: Json, schema: Json): Set<string> | null {
  const s = resolve(doc, schema);
  // Free key/value maps (client demographics, service profile) take any key.
  if (typeof s.description === "string" && /^Collection of key\/value pairs/.test(s.description)) return null;
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) return null;
  const names = new Set<string>(Object.keys((s.properties as Json | undefined) ?? {}));
  let constrained = s.properties !== undefined;
  for (const part of [...((s.allOf as Json[] | undefined) ?? [])]) {
    const inner = propertiesOf(doc, part);
    if (inner === null) return null;
    if (inner.size) constrained = true;
    inner.forEach((n) => names.add(n));
  }
  return constrained ? names : null;
}

function check(
  doc: Json,
  schemaIn: Json,
  value: unknown,
  where: string,
  opts: CheckOptions,
  required = true,
): string[] {
  const schema = resolve(doc, schemaIn);
  const errors: string[] = [];
  if (value === null) {
    if (schema.nullable || schema["x-nullable"] || (opts.response && !required)) return [];
    return [`${where}: null not allowed`];
  }
  for (const part of (schema.allOf as Json[] | undefined) ?? [])
    errors.push(...check(doc, part, value, where, { ...opts, strict: false }, required));
  const alternatives = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (alternatives && !alternatives.some((alt) => check(doc, alt, value, where, opts, required).length === 0)) {
    errors.push(`${where}: matches none of the alternatives`);
  }
  const type = (schema.type as string | undefined) ?? (schema.properties || schema.required ? "object" : undefined);
  const actual = Array.isArray(value) ? "array" : typeof value;
  if (type === "integer" && !(typeof value === "number" && Number.isInteger(value)))
    return [...errors, `${where}: expected integer`];
  if (type === "number" && typeof value !== "number") return [...errors, `${where}: expected number`];
  if (type && !["integer", "number"].includes(type) && type !== actual)
    return [...errors, `${where}: expected ${type}, got ${actual}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    errors.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === "string") {
    const format = String(schema.format ?? "").toLowerCase();
    if (format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push(`${where}: not a date`);
    if (format === "date-time" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value))
      errors.push(`${where}: not a date-time`);
    if (format === "uuid" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
      errors.push(`${where}: not a uuid`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength) errors.push(`${where}: too short`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) errors.push(`${where}: too long`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${where}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${where}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${where}: too few items`);
    if (schema.items)
      value.forEach((item, i) => errors.push(...check(doc, schema.items as Json, item, `${where}[${i}]`, opts)));
  }
  if (actual === "object" && !Array.isArray(value)) {
    const obj = value as Json;
    const requiredKeys = (schema.required as string[] | undefined) ?? [];
    for (const key of requiredKeys) if (obj[key] === undefined) errors.push(`${where}.${key}: required`);
    const props = (schema.properties as Json | undefined) ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (props[key])
        errors.push(...check(doc, props[key] as Json, v, `${where}.${key}`, opts, requiredKeys.includes(key)));
    }
    if (opts.strict) {
      const allowed = propertiesOf(doc, schemaIn);
      if (allowed)
        for (const key of Object.keys(obj))
          if (obj[key] !== undefined && !allowed.has(key)) errors.push(`${where}.${key}: not in the spec`);
    }
  }
  return errors;
}

/** Requests are strict (no member the spec lacks); answers may carry extra members. */
const checkRequest = (doc: Json, schema: Json, value: unknown, where: string) =>
  check(doc, schema, value, where, { strict: true, response: false });
const checkResponse = (doc: Json, schema: Json, value: unknown, where: string) =>
  check(doc, schema, value, where, { strict: false, response: true });

// ---------------------------------------------------------------- recording the client's traffic

type Exchange = {
  method: string;
  url: URL;
  contentType: string | null;
  body: Buffer;
  status: number;
  responseBody: unknown;
};

const t = testSandboxForFile();
const exchanges: Exchange[] = [];
let specs: {
  client: Spec;
  services: Spec;
  accounting: Spec;
  auth: Spec;
  internal: Spec;
  offers: Spec;
  organizations: Spec;
};

beforeAll(async () => {
  specs = {
    client: loadSpec("alayacare-client-openapi.yml", "/ext/api/v2/patients"),
    services: loadSpec("alayacare-services-openapi.yml", "/ext/api/v2/scheduler"),
    accounting: loadSpec("alayacare-accounting-openapi.yml", "/ext/api/v2/accounting"),
    auth: loadSpec("jentic-oak_authorizations-external-api_1.1.1/openapi.json", "/ext/api/v2/scheduler"),
    internal: loadSpec("internal.referral_approval.spec.yaml", "/api/v1/alayamarket"),
    // Marketplace paths stand in for the ACCloud passthroughs the internal spec lacks (§7.3, §7.4, §3.4).
    offers: loadSpec("openapi.offers.yaml", "/api/v1/alayamarket"),
    organizations: loadSpec("openapi.organizations.yaml", "/api/v1/alayamarket/outbox/organizations"),
  };
  patchKnownContradictions();
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input as string, init);
    const body = Buffer.from(await request.clone().arrayBuffer());
    const response = await fetch(request);
    const text = await response.clone().text();
    exchanges.push({
      method: request.method,
      url: new URL(request.url),
      contentType: request.headers.get("content-type"),
      body,
      status: response.status,
      responseBody: text ? (JSON.parse(text) as unknown) : null,
    });
    return response;
  };
  const client = createAccloudClient({
    baseUrl: t.url,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    timeoutMs: 5_000,
    fetch: recording,
  });
  await exerciseEveryEndpoint(client);
});

function patchKnownContradictions(): void {
  const svc = specs.services.doc as { components: { schemas: Record<string, Json> } };
  // §10 #5: `funder` is not a property.
  const create = svc.components.schemas.ServiceCreateSchema!;
  create.required = (create.required as string[]).filter((k) => k !== "funder");
  // ServiceDetails types the internal id string, Service integer.
  const details = svc.components.schemas.ServiceDetails as { properties: Record<string, Json> };
  details.properties.alayacare_service_id = { type: "integer" };
  // §10 #9: the read model's methodology enum lacks "service".
  const auth = specs.auth.doc as { components: { schemas: Record<string, { properties: Record<string, Json> }> } };
  const methodology = auth.components.schemas.BaseAuthorization!.properties.methodology!;
  methodology.enum = [...(methodology.enum as string[]), "service"];
}

async function exerciseEveryEndpoint(client: ReturnType<typeof createAccloudClient>) {
  await client.listAllGroups({ count: 2, branch_id: 1000 });
  await client.listAllFunders({ search: "a" });
  await client.listAllServiceCodes({ branch_id: 1000 });
  await client.listAllTrustedNetwork({ name: "a", items_per_page: 2 });
  const body = build.client();
  const c = await client.createClient(body);
  await client.getClient(c.id);
  await client.getClientByExternalId(body.external_id);
  await client.updateClient(c.id, {
    demographics: { phone_main: "515-000-0000" },
    language: "es",
    groups: [{ id: 1008 }],
    timezone: "America/Chicago",
  });
  await client.updateClientByExternalId(body.external_id, { timezone: "America/New_York" });
  const sBody = build.service(c.id);
  const s = await client.createService(sBody);
  await client.getService(s.id);
  await client.getServiceByExternalId(sBody.service_id);
  const a = await client.createAuthorization(build.authorization(c.id, s.id));
  await client.updateAuthorization(a.id, { end_at: isoDay(40), notes: "n" });
  // The app's own bodies (lib/approval/to-accloud.ts, plan.ts): created with every optional string
  // empty, then an update that sets them all, then one that clears them all again.
  const ids = { clientId: c.id, serviceId: s.id };
  appCalls.from = exchanges.length;
  const appCreated = await client.createAuthorization(toAccloudAuthorization(APP_APPROVALS.empty(), 0, ids));
  const [empty, full] = [
    toAccloudAuthorization(APP_APPROVALS.empty(), 0, ids),
    toAccloudAuthorization(APP_APPROVALS.full(), 0, ids),
  ];
  await client.updateAuthorization(appCreated.id, authorizationPutBody(full, empty));
  await client.updateAuthorization(appCreated.id, authorizationPutBody(empty, full));
  appCalls.to = exchanges.length;
  await client.listAllAuthorizations({
    start_at_from: isoDay(0),
    start_at_to: isoDay(400),
    client_id: c.id,
    service_id: [s.id],
    authorization_status: ["NEW"],
  });
  const caseManager = { name: "Jane Smith", phone_number: "515-111-2233", fax_number: null, email: "jane@example.com" };
  const r = await client.createReferral(
    s.id,
    build.referral([a.id], { end_at: chicagoMidnight(isoDay(40)), case_manager: caseManager }),
  );
  const u = await client.updateReferral(s.id, r.referral.id, {
    authorization_ids: [a.id],
    start_at: chicagoMidnight(isoDay(7)),
    end_at: chicagoMidnight(isoDay(40)),
    comment: "",
    case_manager: caseManager,
    revision: { reasons: ["Updated authorization end date"], comment: "" },
  });
  await client.listAllReferrals({
    revision_group_id: u.revision!.revision_group_id,
    revisions: "all",
    sort_by: "revision_number",
    sort_order: "asc",
  });
  await client.uploadClientAttachment(u.referral.id, {
    filename: "physician_order_form.pdf",
    contentType: "application/pdf",
    data: Buffer.from("%PDF-1.4"),
  });
  await client.cancelReferral(u.referral.id, { reason_code: "processing_error", comment: "test" });
  const other = await build.chain(client);
  await client.cancelReferral(other.referral.referral.id, { reason_code: "other" });
  await client.deleteAuthorization(other.authorizationId);
  // Two documented error answers.
  await client.createClient(body).catch(() => {});
  await client.updateAuthorization(999_999, { notes: "" }).catch(() => {});
}

/** Where the app's own authorization calls are among the exchanges. */
const appCalls = { from: 0, to: 0 };

/** An approval as the editor makes it, with its optional strings all empty or all set. */
const APP_APPROVALS = {
  empty: () =>
    ZApproval.parse(approvalInput({ startDate: isoDay(7), endDate: isoDay(36), caseManager: { name: "Jane Smith" } })),
  full: () =>
    ZApproval.parse(
      approvalInput({
        startDate: isoDay(7),
        endDate: isoDay(36),
        caseManager: {
          name: "Jane Smith",
          phone: "515-111-2222",
          fax: "515-111-3333",
          email: "jane.smith@example.com",
        },
        authorizations: [
          {
            ruleType: "VISITS",
            ruleMode: "weekdays",
            weekdays: { monday: 1 },
            firstDayOfWeek: 6,
            authorizationNumber: "123-456",
            memberNumber: "123-456",
            programId: "123-456",
            notes: "Ring twice",
          },
        ],
      }),
    ),
};

type Operation = { spec: Spec; template: string; op: Json; pathItem: Json };

function findOperation(method: string, pathname: string): Operation | null {
  const candidates: Spec[] = pathname.startsWith("/ext/api/v2/patients")
    ? [specs.client]
    : pathname.startsWith("/ext/api/v2/accounting")
      ? [specs.accounting]
      : pathname.startsWith("/ext/api/v2/scheduler/authorizations")
        ? [specs.auth]
        : pathname.startsWith("/ext/api/v2/scheduler")
          ? [specs.services]
          : pathname.includes("/organizations/")
            ? [specs.organizations]
            : [specs.internal, specs.offers];
  for (const spec of candidates) {
    let rest = pathname.slice(spec.base.length);
    if (spec === specs.offers) rest = `/v1${rest}`;
    if (spec === specs.organizations && rest === "/trusted_network") rest = "/v1/demand_persona/trusted_network";
    if (spec === specs.auth) rest = rest.replace(/^\/authorizations/, "/authorizations");
    for (const [template, item] of Object.entries((spec.doc.paths as Json) ?? {})) {
      const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      const op = (item as Json)[method.toLowerCase()];
      if (regex.test(rest) && op) return { spec, template, op: op as Json, pathItem: item as Json };
    }
  }
  return null;
}

function parametersOf(o: Operation): Json[] {
  return [
    ...(((o.pathItem.parameters as Json[]) ?? []) as Json[]),
    ...(((o.op.parameters as Json[]) ?? []) as Json[]),
  ].map((p) => resolve(o.spec.doc, p));
}

const UNDECLARED_QUERY_OK: Record<string, string[]> = { "/service_codes": ["page", "count", "branch_id"] };

describe("requests conform to the published specs", () => {
  it("covers every client endpoint", () => {
    const used = new Set(
      exchanges.map(
        (e) =>
          `${e.method} ${e.url.pathname.replace(/\/[0-9a-f-]{36}|\/\d+|\/by_id\/[^/]+/g, (m) => (m.startsWith("/by_id") ? "/by_id/{x}" : "/{x}"))}`,
      ),
    );
    const templates = Object.values(PATHS).map((p) => p.replace(/\{[^}]+\}/g, "{x}"));
    const missing = templates.filter((tpl) => ![...used].some((u) => u.endsWith(` ${tpl}`)));
    expect(missing).toEqual([]);
  });

  it("every request maps to a documented operation with declared path and query parameters", () => {
    const problems: string[] = [];
    for (const e of exchanges) {
      const o = findOperation(e.method, e.url.pathname);
      if (!o) {
        problems.push(`${e.method} ${e.url.pathname}: no operation in the specs`);
        continue;
      }
      const params = parametersOf(o);
      for (const [name, value] of e.url.searchParams) {
        const p = params.find((x) => x.in === "query" && (x.name === name || x.name === `${name}[]`));
        if (!p) {
          if (!UNDECLARED_QUERY_OK[o.template]?.includes(name))
            problems.push(`${o.spec.file} ${o.template}: query ${name} not declared`);
          continue;
        }
        const schema = resolve(o.spec.doc, p.schema as Json);
        const itemSchema = schema.type === "array" ? resolve(o.spec.doc, schema.items as Json) : schema;
        const typed = itemSchema.type === "integer" || itemSchema.type === "number" ? Number(value) : value;
        problems.push(...checkRequest(o.spec.doc, itemSchema, typed, `${o.template}?${name}`));
      }
      for (const p of params.filter((x) => x.in === "query" && x.required)) {
        if (!e.url.searchParams.has(p.name as string))
          problems.push(`${o.template}: required query ${p.name as string} missing`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("JSON bodies match the request schemas, with no member the spec lacks", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const e of exchanges.filter((x) => x.contentType === "application/json")) {
      const o = findOperation(e.method, e.url.pathname)!;
      const content = ((resolve(o.spec.doc, (o.op.requestBody as Json) ?? {}).content as Json) ?? {})[
        "application/json"
      ] as Json | undefined;
      if (!content) {
        problems.push(`${o.template}: sends JSON but the spec has no JSON body`);
        continue;
      }
      checked++;
      problems.push(
        ...checkRequest(
          o.spec.doc,
          content.schema as Json,
          JSON.parse(e.body.toString("utf8")),
          `${e.method} ${o.template}`,
        ),
      );
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("the attachment is multipart/form-data with the single part `file` carrying a filename", () => {
    const e = exchanges.find((x) => x.url.pathname.endsWith("/client_attachment"))!;
    const o = findOperation(e.method, e.url.pathname)!;
    const content = (resolve(o.spec.doc, o.op.requestBody as Json).content as Json)["multipart/form-data"] as Json;
    const schema = resolve(o.spec.doc, content.schema as Json);
    expect(schema.required).toEqual(["file"]);
    expect(e.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const text = e.body.toString("latin1");
    expect(text.match(/Content-Disposition: form-data; name="([^"]+)"/g)).toEqual([
      'Content-Disposition: form-data; name="file"',
    ]);
    expect(text).toContain('filename="physician_order_form.pdf"');
  });
});

describe("the deviations are real", () => {
  it("each §10 deviation is a row of the contract's §10 that speaks of what the deviation names", () => {
    const contract = readFileSync(referenceFile("accloud-contract.md"), "utf8");
    const section = contract.slice(contract.indexOf("\n## 10."), contract.indexOf("\n## 11."));
    const rows = new Map([...section.matchAll(/^\| (\d+) \|(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(rows.size).toBeGreaterThanOrEqual(15);
    const cited = Object.entries(SPEC_DEVIATIONS).filter(([key]) => key.startsWith("§10 #"));
    expect(cited.length).toBeGreaterThanOrEqual(9);
    const problems: string[] = [];
    for (const [key, text] of cited) {
      const row = rows.get(/^§10 #(\d+)/.exec(key)![1]!);
      if (!row) {
        problems.push(`${key}: no such row in §10`);
        continue;
      }
      // The row's `code` and **bold** terms: the deviation must name one of them.
      const terms = [...row.matchAll(/`([^`]+)`|\*\*([^*]+)\*\*/g)].map((m) => (m[1] ?? m[2])!);
      if (!terms.some((term) => text.includes(term))) problems.push(`${key}: names none of ${terms.join(", ")}`);
    }
    expect(problems).toEqual([]);
  });

  it("each patch applied to the specs fixes a contradiction the unpatched files really contain", () => {
    type Schemas = Record<
      string,
      { required?: string[]; properties?: Record<string, { type?: string; enum?: string[] }> }
    >;
    const services = (loadSpec("alayacare-services-openapi.yml", "").doc.components as { schemas: Schemas }).schemas;
    expect(services.ServiceCreateSchema!.required).toContain("funder");
    expect(Object.keys(services.ServiceCreateSchema!.properties!)).not.toContain("funder");
    expect(services.ServiceDetails!.properties!.alayacare_service_id!.type).toBe("string");
    expect(services.Service!.properties!.alayacare_service_id!.type).toBe("integer");
    const auth = (
      loadSpec("jentic-oak_authorizations-external-api_1.1.1/openapi.json", "").doc.components as { schemas: Schemas }
    ).schemas;
    expect(auth.CreateAuthorization!.properties!.methodology!.enum).toContain("service");
    expect(auth.BaseAuthorization!.properties!.methodology!.enum).not.toContain("service");
  });
});

describe("the checker itself", () => {
  it("flags the CSI examples where §10 says they break the specs", () => {
    const svc = specs.services.doc;
    const createService = ((svc.components as Json).schemas as Json).ServiceCreateSchema as Json;
    const csiStep2 = {
      service_id: "service_external_id_1",
      name: "Skilled Nursing",
      client: { alayacare_client_id: 1060, client_id: "client_external_id_1" },
      funding_methodology: "single_funder",
      guid_funder_breakdowns: [{ funder_id: 9, is_primary: true, percentage: 100 }],
      service_code_id: 48,
    };
    expect(checkRequest(svc, createService, csiStep2, "step2")).toEqual([
      "step2.guid_funder_breakdowns[0].is_primary: expected integer",
    ]);

    const internal = specs.internal.doc;
    const update = ((internal.components as Json).schemas as Json).OutboxReferralUpdateFromServiceRequest as Json;
    const csiStep41 = {
      authorization_ids: [8],
      supply_persona_id: GEM_CITY_SUPPLIER_ID,
      start_at: "2023-04-01T05:00:00+00:00",
      end_at: "2023-04-30T05:00:00+00:00",
      revision: { reasons: ["Updated authorization end date"], comment: "" },
    };
    expect(checkRequest(internal, update, csiStep41, "step4.1")).toEqual([
      "step4.1.supply_persona_id: not in the spec",
    ]);
    expect(
      checkRequest(internal, update, { ...csiStep41, supply_persona_id: undefined, revision: { reasons: [] } }, "u"),
    ).toEqual(["u.revision.reasons: too few items"]);
  });
});

describe("the sandbox's answers conform to the published specs", () => {
  it("statuses are declared and success bodies match the response schemas", () => {
    const problems: string[] = [];
    for (const e of exchanges) {
      const o = findOperation(e.method, e.url.pathname)!;
      const responses = o.op.responses as Json;
      const declared = (responses[String(e.status)] ?? responses.default) as Json | undefined;
      if (!declared) {
        problems.push(
          `${e.method} ${o.template}: status ${e.status} not declared (${Object.keys(responses).join(", ")})`,
        );
        continue;
      }
      const content = (resolve(o.spec.doc, declared).content as Json | undefined)?.["application/json"] as
        Json | undefined;
      if (!content?.schema || e.responseBody === null) continue;
      problems.push(
        ...checkResponse(o.spec.doc, content.schema as Json, e.responseBody, `${e.method} ${o.template} ${e.status}`),
      );
    }
    expect(problems).toEqual([]);
  });

  it("referral create/update answers also match the Marketplace detail shape (revision, sequence_id)", () => {
    const offers = specs.offers.doc;
    const detail = ((offers.components as Json).schemas as Json).OutboxReferralDetailResponse as Json;
    const problems: string[] = [];
    for (const e of exchanges.filter(
      (x) => x.method === "POST" && x.url.pathname.includes("/from_service/") && x.status === 201,
    )) {
      problems.push(...checkResponse(offers, detail, e.responseBody, e.url.pathname));
      expect((e.responseBody as { referral: Json }).referral.sequence_id).toEqual(expect.any(String));
    }
    expect(problems).toEqual([]);
  });

  it('the documented error bodies: 409 duplicate client (int code), 404 authorization (string code "400")', () => {
    const dup = exchanges.find((x) => x.status === 409)!;
    expect(dup.responseBody).toEqual({
      code: 409,
      message: expect.stringMatching(/^Client already exists with external ID: /),
    });
    const missing = exchanges.find((x) => x.status === 404 && x.url.pathname.includes("/authorizations/"))!;
    expect(missing.responseBody).toEqual({ code: "400", message: "Authorization not found." });
    const o = findOperation("PUT", missing.url.pathname)!;
    const schema = (
      (resolve(o.spec.doc, (o.op.responses as Json)["404"] as Json).content as Json)["application/json"] as Json
    ).schema as Json;
    expect(checkResponse(o.spec.doc, schema, missing.responseBody, "404")).toEqual([]);
  });
});

describe("authorizations: null where the published schema types a string", () => {
  type Props = Record<string, { type?: string; nullable?: boolean }>;
  const stringMembers = (schema: string) => {
    const props = ((specs.auth.doc.components as Json).schemas as Record<string, { properties: Props }>)[schema]!
      .properties;
    return Object.entries(props)
      .filter(([, p]) => p.type === "string" && !p.nullable)
      .map(([k]) => k)
      .sort();
  };

  it("the sandbox's lists are exactly the string members of CreateAuthorization and UpdateAuthorization (none nullable)", () => {
    expect([...CREATE_STRING_FIELDS].sort()).toEqual(stringMembers("CreateAuthorization"));
    expect([...UPDATE_STRING_FIELDS].sort()).toEqual(stringMembers("UpdateAuthorization"));
  });

  it("the sandbox answers null in each of them with 400 naming the member, as a strict tenant does", async () => {
    const c = await t.client.createClient(build.client());
    const s = await t.client.createService(build.service(c.id));
    const created = await t.client.createAuthorization(build.authorization(c.id, s.id));
    const problems: string[] = [];
    for (const key of stringMembers("CreateAuthorization")) {
      const res = await t.raw("POST", "/ext/api/v2/scheduler/authorizations", {
        ...build.authorization(c.id, s.id),
        [key]: null,
      });
      if (res.status !== 400 || (res.body as { message?: string }).message !== `\`${key}\` may not be null.`)
        problems.push(`POST ${key}: ${res.status} ${res.text}`);
    }
    for (const key of stringMembers("UpdateAuthorization")) {
      const res = await t.raw("PUT", `/ext/api/v2/scheduler/authorizations/${created.id}`, { [key]: null });
      if (res.status !== 400 || (res.body as { message?: string }).message !== `\`${key}\` may not be null.`)
        problems.push(`PUT ${key}: ${res.status} ${res.text}`);
    }
    expect(problems).toEqual([]);
    // A null rule is still "unset" (contract §11), and "" is a string.
    expect(
      (await t.raw("PUT", `/ext/api/v2/scheduler/authorizations/${created.id}`, { notes: "", case_manager_phone: "" }))
        .status,
    ).toBe(200);
  });

  it('the app\'s create and update bodies send what is set, "" for what an update clears, and never null', () => {
    const calls = exchanges.slice(appCalls.from, appCalls.to);
    expect(calls.map((e) => e.method)).toEqual(["POST", "PUT", "PUT"]);
    const [create, setAll, clearAll] = calls.map((e) => JSON.parse(e.body.toString("utf8")) as Json);
    const optional = [
      "authorization_number",
      "member_number",
      "program_id",
      "notes",
      "case_manager_phone",
      "case_manager_fax",
      "case_manager_email",
    ];
    for (const k of optional) expect(create).not.toHaveProperty(k);
    expect(setAll).toMatchObject({
      notes: "Ring twice",
      program_id: "123-456",
      case_manager_phone: "515-111-2222",
      case_manager_email: "jane.smith@example.com",
    });
    expect(Object.fromEntries(optional.map((k) => [k, clearAll![k]]))).toEqual(
      Object.fromEntries(optional.map((k) => [k, ""])),
    );
    expect(calls.map((e) => e.status)).toEqual([201, 200, 200]);
    expect(
      calls.flatMap((e) => Object.entries(JSON.parse(e.body.toString("utf8")) as Json).filter(([, v]) => v === null)),
    ).toEqual([]);
  });
});
