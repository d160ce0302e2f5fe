/** ext v2: groups, funders, scheduler service codes, clients, services (int error codes). */
import type pg from "pg";
import { LANGUAGE_CODES, FUNDING_METHODOLOGIES } from "../schemas";
import { familyRoutes, intParam, pageQueryA, pathInt, styleA, type Ctx } from "./context";
import { isIsoDate, isIsoDateTimeWithOffset, isPlainObject, isPositiveInt, isValidTimeZone, type Reply } from "./http";
import { withTx } from "./store";

const LANGUAGE_NAMES: Record<string, string> = {
  english: "en",
  french: "fr",
  spanish: "es",
  german: "de",
  italian: "it",
  portuguese: "pt",
  chinese: "zh",
  arabic: "ar",
  russian: "ru",
  vietnamese: "vi",
  tagalog: "tl",
  somali: "so",
  nepali: "ne",
};

type ClientRow = {
  id: number;
  uuid: string;
  external_id: string | null;
  branch_id: number;
  status: string;
  demographics: Record<string, unknown>;
  language: string | null;
  group_ids: number[];
  timezone: string | null;
  missing_csi_group: boolean;
};

type ServiceRow = {
  id: number;
  uuid: string;
  external_id: string | null;
  name: string;
  client_id: number;
  service_code_id: number;
  funding_methodology: string;
  funders: { funder_id: number; is_primary: number; percentage: number | null; contact_id?: number }[];
  start_date: string | null;
  projected_end_date: string | null;
  service_instructions: string | null;
  notes: string | null;
  use_client_address: boolean | null;
  profile: Record<string, unknown>;
  status: string;
};

// ---------------------------------------------------------------- reference lists

async function listGroups(ctx: Ctx): Promise<Reply> {
  return branchPage(ctx, "groups", "t.id, t.name, t.description, t.is_disabled");
}

/** A page of a reference list (`t`), of one branch when branch_id is given; each row with its branch. */
async function branchPage(ctx: Ctx, table: "groups" | "service_codes", columns: string): Promise<Reply> {
  const { page, count, offset } = pageQueryA(ctx);
  const branchId = intParam(ctx, "branch_id");
  const where = branchId ? "where t.branch_id = $1" : "";
  const args = branchId ? [branchId] : [];
  const total = await ctx.pool.query<{ n: number }>(`select count(*)::int as n from ${table} t ${where}`, args);
  const rows = await ctx.pool.query(
    `select ${columns}, json_build_object('id', b.id, 'name', b.name) as branch
     from ${table} t join branches b on b.id = t.branch_id ${where} order by t.id limit ${count} offset ${offset}`,
    args,
  );
  return { status: 200, body: styleA(rows.rows, total.rows[0]?.n ?? 0, page, count) };
}

const FUNDER_SELECT = `select f.id, f.external_id, f.name, f.code, f.type, f.status, f.organization, f.organization_code,
  json_build_object('id', b.id, 'name', b.name) as branch from funders f join branches b on b.id = f.branch_id`;

async function listFunders(ctx: Ctx): Promise<Reply> {
  const q = ctx.query;
  if (q.has("funder_id") && q.has("alayacare_funder_id")) {
    ctx.fail(400, "funder_id and alayacare_funder_id are mutually exclusive");
  }
  const invoicing = q.get("invoicing_model");
  if (
    invoicing !== null &&
    !["batched", "funder_individual", "individual_invoices", "ccac", "medicaid", "hcp", "ndis"].includes(invoicing)
  ) {
    ctx.fail(400, "Invalid value for invoicing_model.");
  }
  const status = q.get("status");
  if (status !== null && !["enabled", "disabled"].includes(status)) ctx.fail(400, "Invalid value for status.");
  const { page, count, offset } = pageQueryA(ctx);
  const conds: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    conds.push(sql.replace("?", `$${args.length}`));
  };
  if (q.has("funder_id")) add("f.external_id = ?", q.get("funder_id"));
  if (q.has("alayacare_funder_id")) add("f.id::text = ?", q.get("alayacare_funder_id"));
  if (q.has("funder_name")) add("f.name ilike '%' || ? || '%'", q.get("funder_name"));
  if (q.has("funder_code")) add("f.code ilike '%' || ? || '%'", q.get("funder_code"));
  if (q.has("search")) add("(f.name || ' ' || coalesce(f.code, '')) ilike '%' || ? || '%'", q.get("search"));
  if (status) add("f.status = ?", status);
  const branchId = intParam(ctx, "branch_id");
  if (branchId) add("f.branch_id = ?", branchId);
  const where = conds.length ? `where ${conds.join(" and ")}` : "";
  const total = await ctx.pool.query<{ n: number }>(`select count(*)::int as n from funders f ${where}`, args);
  const rows = await ctx.pool.query(`${FUNDER_SELECT} ${where} order by f.id limit ${count} offset ${offset}`, args);
  return { status: 200, body: styleA(rows.rows, total.rows[0]?.n ?? 0, page, count) };
}

async function getFunder(ctx: Ctx): Promise<Reply> {
  const id = pathInt(ctx.params.funder_id);
  const row = id ? (await ctx.pool.query(`${FUNDER_SELECT} where f.id = $1`, [id])).rows[0] : undefined;
  if (!row) ctx.fail(404, "Funder not found");
  return { status: 200, body: row };
}

async function listServiceCodes(ctx: Ctx): Promise<Reply> {
  const q = ctx.query;
  // The spec names client_id the int and alayacare_client_id the external string (§10 #10); only exclusivity matters here.
  if (q.has("client_id") && q.has("alayacare_client_id"))
    ctx.fail(400, "client_id and alayacare_client_id are mutually exclusive");
  if (q.has("funder_id") && q.has("alayacare_funder_id"))
    ctx.fail(400, "funder_id and alayacare_funder_id are mutually exclusive");
  if ((q.has("funder_id") || q.has("alayacare_funder_id")) && !(q.has("client_id") || q.has("alayacare_client_id"))) {
    ctx.fail(400, "client_id must be specified along with funder_id");
  }
  return branchPage(ctx, "service_codes", "t.id, t.name");
}

// ---------------------------------------------------------------- clients

async function clientDetails(db: pg.Pool | pg.PoolClient, row: ClientRow) {
  const groups = await db.query<{ id: number; name: string }>(
    "select id, name from groups where id = any($1) order by id",
    [row.group_ids],
  );
  const branch = await db.query<{ timezone: string }>("select timezone from branches where id = $1", [row.branch_id]);
  const d = row.demographics;
  return {
    id: row.id,
    ac_id: `AC${String(row.id).padStart(9, "0")}`,
    external_id: row.external_id,
    profile_id: row.id + 500_000,
    branch_id: row.branch_id,
    status: row.status,
    demographics: { ...d, location: { lat: null, lon: null, zip: typeof d.zip === "string" ? d.zip : null } },
    contacts: [],
    care_team: [],
    language: row.language,
    groups: groups.rows,
    cost_centre: null,
    tags: [],
    timezone: row.timezone ?? branch.rows[0]?.timezone ?? null,
  };
}

/** Validates the demographics map; `partial` for updates (names may be absent, never blank). */
function checkDemographics(ctx: Ctx, d: unknown, partial: boolean): Record<string, unknown> {
  if (!isPlainObject(d)) return ctx.fail(400, "Field demographics must be an object.");
  for (const key of ["first_name", "last_name"]) {
    const v = d[key];
    if (partial && v === undefined) continue;
    if (typeof v !== "string" || v.trim() === "") ctx.fail(400, `Field ${key} is required in demographics.`);
  }
  if (d.gender !== undefined && d.gender !== null && !["M", "F", "O"].includes(d.gender as string)) {
    ctx.fail(400, "Field gender must be one of M, F, O.");
  }
  if (d.birthday !== undefined && d.birthday !== null && !isIsoDate(d.birthday)) {
    ctx.fail(400, "Field birthday must be a date (YYYY-MM-DD).");
  }
  for (const [key, v] of Object.entries(d)) {
    if (v !== null && !["string", "number", "boolean"].includes(typeof v))
      ctx.fail(400, `Field ${key} in demographics must be a scalar.`);
  }
  return d;
}

function checkLanguage(ctx: Ctx, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") return ctx.fail(400, "Invalid language code.");
  if ((LANGUAGE_CODES as readonly string[]).includes(v)) return v;
  const converted = LANGUAGE_NAMES[v.toLowerCase()];
  if (converted) return converted;
  return ctx.fail(400, "Invalid language code.");
}

async function checkGroups(ctx: Ctx, db: pg.PoolClient, v: unknown): Promise<{ ids: number[]; missingCsi: boolean }> {
  if (!Array.isArray(v)) return ctx.fail(400, "Field groups must be a list of {id}.");
  const ids: number[] = [];
  for (const g of v) {
    if (!isPlainObject(g) || !isPositiveInt(g.id)) ctx.fail(400, "Field groups must be a list of {id}.");
    ids.push((g as { id: number }).id);
  }
  const found = await db.query<{ id: number; name: string }>("select id, name from groups where id = any($1)", [ids]);
  const missing = ids.filter((id) => !found.rows.some((r) => r.id === id));
  if (missing.length) ctx.fail(400, `Group ID not found: ${missing.join(", ")}.`);
  const missingCsi = !found.rows.some((r) => r.name === ctx.rules.csiGroupName);
  if (missingCsi && ctx.rules.missingCsiGroup === "reject") {
    ctx.fail(400, `Client must belong to the ${ctx.rules.csiGroupName} group.`);
  }
  return { ids: [...new Set(ids)], missingCsi: missingCsi && ctx.rules.missingCsiGroup === "flag" };
}

function checkTimezone(ctx: Ctx, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || !isValidTimeZone(v)) return ctx.fail(400, "Invalid timezone.");
  return v;
}

function checkExternalId(ctx: Ctx, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || v.trim() === "") return ctx.fail(400, "Field external_id must be a non-empty string.");
  return v;
}

async function lockExternalId(db: pg.PoolClient, kind: string, externalId: string): Promise<void> {
  await db.query("select pg_advisory_xact_lock(hashtext($1))", [`${kind}:${externalId}`]);
}

async function createClient(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  if (body.profile_id !== undefined && body.demographics !== undefined) {
    ctx.fail(400, "Only one of profile_id or demographics can be specified.");
  }
  if (body.profile_id !== undefined) ctx.fail(400, "Profile ID not found.");
  if (body.demographics === undefined) ctx.fail(400, "Field first_name is required in demographics.");
  const demographics = checkDemographics(ctx, body.demographics, false);
  const externalId = checkExternalId(ctx, body.external_id);
  const language = checkLanguage(ctx, body.language);
  const timezone = checkTimezone(ctx, body.timezone);
  if (
    body.correspondence_method !== undefined &&
    body.correspondence_method !== null &&
    !["email", "mail"].includes(body.correspondence_method as string)
  ) {
    ctx.fail(400, "Field correspondence_method must be one of email, mail.");
  }
  const branchId = body.branch_id ?? 1000;
  if (!isPositiveInt(branchId)) ctx.fail(400, "Field branch_id must be an integer.");

  return withTx(ctx.pool, async (db) => {
    const branch = await db.query("select 1 from branches where id = $1", [branchId]);
    if (!branch.rowCount) ctx.fail(400, "Branch not found.");
    const groups = await checkGroups(ctx, db, body.groups ?? []);
    if (externalId) {
      await lockExternalId(db, "client", externalId);
      const dup = await db.query("select 1 from clients where external_id = $1", [externalId]);
      if (dup.rowCount) ctx.fail(409, `Client already exists with external ID: ${externalId}`);
    }
    const inserted = await db.query<{ id: number; external_id: string | null }>(
      `insert into clients (external_id, branch_id, demographics, language, group_ids, timezone, missing_csi_group)
       values ($1, $2, $3, $4, $5, $6, $7) returning id, external_id`,
      [externalId, branchId, demographics, language, groups.ids, timezone, groups.missingCsi],
    );
    const row = inserted.rows[0]!;
    return { status: 201, body: { id: row.id, external_id: row.external_id } };
  });
}

async function findClient(ctx: Ctx, db: pg.Pool | pg.PoolClient, forUpdate = false): Promise<ClientRow> {
  const lock = forUpdate ? " for update" : "";
  if (ctx.params.client_id !== undefined) {
    const id = pathInt(ctx.params.client_id);
    const row = id
      ? (await db.query<ClientRow>(`select * from clients where id = $1${lock}`, [id])).rows[0]
      : undefined;
    if (!row) return ctx.fail(404, "Client not found.");
    return row;
  }
  const rows = (
    await db.query<ClientRow>(`select * from clients where external_id = $1${lock}`, [ctx.params.external_client_id])
  ).rows;
  if (rows.length === 0) return ctx.fail(404, "Client not found.");
  if (rows.length > 1) return ctx.fail(409, "Multiple clients found");
  return rows[0]!;
}

async function getClient(ctx: Ctx): Promise<Reply> {
  const row = await findClient(ctx, ctx.pool);
  return { status: 200, body: await clientDetails(ctx.pool, row) };
}

async function updateClient(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  return withTx(ctx.pool, async (db) => {
    const row = await findClient(ctx, db, true);
    const demographics =
      body.demographics === undefined
        ? row.demographics
        : { ...row.demographics, ...checkDemographics(ctx, body.demographics, true) };
    const externalId = body.external_id === undefined ? row.external_id : checkExternalId(ctx, body.external_id);
    if (externalId && externalId !== row.external_id) {
      await lockExternalId(db, "client", externalId);
      const taken = await db.query("select 1 from clients where external_id = $1 and id <> $2", [externalId, row.id]);
      if (taken.rowCount) ctx.fail(409, `Client already exists with external ID: ${externalId}`);
    }
    const language = body.language === undefined ? row.language : checkLanguage(ctx, body.language);
    const timezone = body.timezone === undefined ? row.timezone : checkTimezone(ctx, body.timezone);
    const groups =
      body.groups === undefined
        ? { ids: row.group_ids, missingCsi: row.missing_csi_group }
        : await checkGroups(ctx, db, body.groups);
    // Any status sent is ignored (§4.2).
    await db.query(
      `update clients set demographics = $2, external_id = $3, language = $4, timezone = $5, group_ids = $6,
       missing_csi_group = $7, updated_at = now() where id = $1`,
      [row.id, demographics, externalId, language, timezone, groups.ids, groups.missingCsi],
    );
    return { status: 200, body: { id: row.id, external_id: externalId } };
  });
}

// ---------------------------------------------------------------- services

async function resolveServiceClient(ctx: Ctx, db: pg.PoolClient, client: unknown): Promise<ClientRow> {
  if (!isPlainObject(client)) return ctx.fail(400, "Invalid request: client is required.");
  const hasInternal = client.alayacare_client_id !== undefined && client.alayacare_client_id !== null;
  const hasExternal = client.client_id !== undefined && client.client_id !== null;
  if (hasInternal === hasExternal) {
    return ctx.fail(400, "Invalid request: client needs exactly one of alayacare_client_id or client_id.");
  }
  if (hasInternal) {
    if (!isPositiveInt(client.alayacare_client_id))
      return ctx.fail(400, "Invalid request: client.alayacare_client_id must be an integer.");
    const row = (await db.query<ClientRow>("select * from clients where id = $1", [client.alayacare_client_id]))
      .rows[0];
    if (!row) return ctx.fail(400, "Client not found.");
    return row;
  }
  if (typeof client.client_id !== "string" || client.client_id.trim() === "") {
    return ctx.fail(400, "Invalid request: client.client_id must be a string.");
  }
  const rows = (await db.query<ClientRow>("select * from clients where external_id = $1", [client.client_id])).rows;
  if (rows.length === 0) return ctx.fail(400, "Client not found.");
  if (rows.length > 1) return ctx.fail(409, "Multiple clients found");
  return rows[0]!;
}

function checkServiceDate(ctx: Ctx, name: string, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  // The description demands timezone-bearing ISO dates, the examples are plain dates (§10 #11): both pass.
  if (!isIsoDate(v) && !isIsoDateTimeWithOffset(v))
    return ctx.fail(400, `Invalid request: ${name} must be an ISO-8601 date.`);
  return v;
}

async function createService(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  if (typeof body.name !== "string" || body.name.trim() === "") ctx.fail(400, "Invalid request: name is required.");
  const hasCodeId = body.service_code_id !== undefined && body.service_code_id !== null;
  const hasCodeName = body.service_code_name !== undefined && body.service_code_name !== null;
  if (hasCodeId === hasCodeName)
    ctx.fail(400, "Invalid request: exactly one of service_code_id or service_code_name is required.");
  if (!(FUNDING_METHODOLOGIES as readonly unknown[]).includes(body.funding_methodology)) {
    ctx.fail(400, `Invalid request: funding_methodology must be one of ${FUNDING_METHODOLOGIES.join(", ")}.`);
  }
  const breakdowns = body.guid_funder_breakdowns;
  if (!Array.isArray(breakdowns) || breakdowns.length === 0)
    ctx.fail(400, "Invalid request: guid_funder_breakdowns is required.");
  const funders: ServiceRow["funders"] = [];
  for (const b of breakdowns as unknown[]) {
    if (!isPlainObject(b) || !isPositiveInt(b.funder_id))
      ctx.fail(400, "Invalid request: guid_funder_breakdowns[].funder_id must be an integer.");
    const fb = b as Record<string, unknown>;
    // The spec says integer 0/1; CSI sends a boolean (§10 #5): both are read.
    const primary = fb.is_primary;
    if (primary !== undefined && ![0, 1, true, false].includes(primary as number | boolean)) {
      ctx.fail(400, "Invalid request: guid_funder_breakdowns[].is_primary must be 0 or 1.");
    }
    const pct = fb.percentage;
    if (
      pct !== undefined &&
      pct !== null &&
      !(Number.isInteger(pct) && (pct as number) >= 0 && (pct as number) <= 100)
    ) {
      ctx.fail(400, "Invalid request: guid_funder_breakdowns[].percentage must be an integer 0..100.");
    }
    funders.push({
      funder_id: fb.funder_id as number,
      is_primary: primary === true || primary === 1 ? 1 : 0,
      percentage: (pct as number | undefined) ?? null,
    });
  }
  if (body.profile !== undefined && !isPlainObject(body.profile))
    ctx.fail(400, "Invalid request: profile must be an object.");
  const startDate = checkServiceDate(ctx, "start_date", body.start_date);
  const endDate = checkServiceDate(ctx, "projected_end_date", body.projected_end_date);
  const externalId = body.service_id === undefined || body.service_id === null ? null : body.service_id;
  if (externalId !== null && (typeof externalId !== "string" || externalId.trim() === "")) {
    ctx.fail(400, "Invalid request: service_id must be a non-empty string.");
  }

  return withTx(ctx.pool, async (db) => {
    const client = await resolveServiceClient(ctx, db, body.client);
    const code = hasCodeId
      ? (await db.query<{ id: number }>("select id from service_codes where id = $1", [body.service_code_id])).rows[0]
      : (await db.query<{ id: number }>("select id from service_codes where name = $1", [body.service_code_name]))
          .rows[0];
    if (!code) ctx.fail(400, "Service code not found.");
    const known = await db.query<{ id: number }>("select id from funders where id = any($1)", [
      funders.map((f) => f.funder_id),
    ]);
    const unknown = funders.filter((f) => !known.rows.some((r) => r.id === f.funder_id)).map((f) => f.funder_id);
    if (unknown.length) ctx.fail(400, `Funder not found: ${unknown.join(", ")}.`);

    const values = [
      externalId,
      (body.name as string).trim(),
      client.id,
      code!.id,
      body.funding_methodology,
      JSON.stringify(funders),
      startDate,
      endDate,
      typeof body.service_instructions === "string" ? body.service_instructions : null,
      typeof body.notes === "string" ? body.notes : null,
      typeof body.use_client_address === "boolean" ? body.use_client_address : null,
      body.profile ?? {},
    ];
    if (externalId) {
      await lockExternalId(db, "service", externalId as string);
      const existing = await db.query<{ id: number }>("select id from services where external_id = $1 order by id", [
        externalId,
      ]);
      const first = existing.rows[0];
      if (first && ctx.rules.duplicateServiceExternalId === "reject") {
        ctx.fail(409, `Service already exists with external ID: ${externalId as string}`);
      }
      if (first && ctx.rules.duplicateServiceExternalId === "upsert") {
        await db.query(
          `update services set external_id = $1, name = $2, client_id = $3, service_code_id = $4, funding_methodology = $5,
           funders = $6, start_date = $7, projected_end_date = $8, service_instructions = $9, notes = $10,
           use_client_address = $11, profile = $12, updated_at = now() where id = $13`,
          [...values, first.id],
        );
        return { status: 200, body: { id: first.id, external_id: externalId } };
      }
    }
    const inserted = await db.query<{ id: number }>(
      `insert into services (external_id, name, client_id, service_code_id, funding_methodology, funders, start_date,
       projected_end_date, service_instructions, notes, use_client_address, profile)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      values,
    );
    // 200, not 201: the published behaviour (§5.1, §10 #11).
    return { status: 200, body: { id: inserted.rows[0]!.id, external_id: externalId } };
  });
}

export async function serviceDetails(db: pg.Pool | pg.PoolClient, row: ServiceRow) {
  const code = await db.query<{ name: string }>("select name from service_codes where id = $1", [row.service_code_id]);
  const client = (await db.query<ClientRow>("select * from clients where id = $1", [row.client_id])).rows[0]!;
  const funderRows = await db.query<{ id: number; external_id: string | null; name: string; code: string | null }>(
    "select id, external_id, name, code from funders where id = any($1)",
    [row.funders.map((f) => f.funder_id)],
  );
  const d = client.demographics;
  return {
    alayacare_service_id: row.id,
    service_id: row.external_id,
    service_name: row.name,
    service_status: row.status,
    alayacare_service_code_id: row.service_code_id,
    service_code_name: code.rows[0]?.name ?? null,
    start_date: row.start_date,
    service_start_date: row.start_date,
    service_instructions: row.service_instructions,
    use_client_address: row.use_client_address,
    funders: row.funders.map((f) => {
      const info = funderRows.rows.find((r) => r.id === f.funder_id);
      return {
        id: f.funder_id,
        external_id: info?.external_id ?? null,
        name: info?.name ?? null,
        code: info?.code ?? null,
        percentage: f.percentage,
        billing_contact: null,
      };
    }),
    patient: {
      id: client.id,
      external_id: client.external_id,
      full_name: [d.first_name, d.last_name].filter((x) => typeof x === "string").join(" "),
      timezone: client.timezone,
    },
    profile: row.profile,
    provider_details: {},
  };
}

/** PUT /services/{id}: profile, instructions and the external id change; status, code, funders and dates do not (§5.2). */
async function updateService(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  const allowed = new Set([
    "profile",
    "provider_details",
    "service_id",
    "service_instructions",
    "primary_employee_id",
    "reports",
    "service_accounting",
    "status",
  ]);
  const unknown = Object.keys(body).filter((k) => !allowed.has(k));
  if (unknown.length)
    ctx.fail(400, `Invalid request: ${unknown.map((k) => String(k).slice(0, 40)).join(", ")} cannot be updated.`);
  if (body.profile !== undefined && !isPlainObject(body.profile))
    ctx.fail(400, "Invalid request: profile must be an object.");
  if (body.service_instructions !== undefined && typeof body.service_instructions !== "string")
    ctx.fail(400, "Invalid request: service_instructions must be a string.");
  const id = pathInt(ctx.params.alayacare_service_id);
  return withTx(ctx.pool, async (db) => {
    const row = id
      ? (await db.query<ServiceRow>("select * from services where id = $1 for update", [id])).rows[0]
      : undefined;
    if (!row) return ctx.fail(404, "Service not found");
    const externalId = body.service_id === undefined ? row.external_id : body.service_id;
    if (externalId !== null && (typeof externalId !== "string" || externalId.trim() === ""))
      ctx.fail(400, "Invalid request: service_id must be a non-empty string.");
    // Any status sent is ignored: it cannot be changed here (§5.2).
    const updated = await db.query<ServiceRow>(
      `update services set profile = $2, service_instructions = $3, external_id = $4, updated_at = now() where id = $1 returning *`,
      [
        row.id,
        body.profile === undefined ? row.profile : { ...row.profile, ...(body.profile as Record<string, unknown>) },
        body.service_instructions ?? row.service_instructions,
        externalId,
      ],
    );
    return { status: 200, body: await serviceDetails(db, updated.rows[0]!) };
  });
}

async function getService(ctx: Ctx): Promise<Reply> {
  let row: ServiceRow | undefined;
  if (ctx.params.alayacare_service_id !== undefined) {
    const id = pathInt(ctx.params.alayacare_service_id);
    row = id ? (await ctx.pool.query<ServiceRow>("select * from services where id = $1", [id])).rows[0] : undefined;
  } else {
    const rows = (
      await ctx.pool.query<ServiceRow>("select * from services where external_id = $1", [ctx.params.service_id])
    ).rows;
    if (rows.length > 1) ctx.fail(409, "Multiple services found");
    row = rows[0];
  }
  if (!row) return ctx.fail(404, "Service not found");
  return { status: 200, body: await serviceDetails(ctx.pool, row) };
}

export const extRoutes = familyRoutes("ext", {
  "/ext/api/v2/patients/groups": { GET: listGroups },
  "/ext/api/v2/patients/clients": { POST: createClient },
  "/ext/api/v2/patients/clients/by_id/{external_client_id}": { GET: getClient, PUT: updateClient },
  "/ext/api/v2/patients/clients/{client_id}": { GET: getClient, PUT: updateClient },
  "/ext/api/v2/accounting/funders": { GET: listFunders },
  "/ext/api/v2/accounting/funders/{funder_id}": { GET: getFunder },
  "/ext/api/v2/scheduler/service_codes": { GET: listServiceCodes },
  "/ext/api/v2/scheduler/services": { POST: createService },
  "/ext/api/v2/scheduler/services/by_id/{service_id}": { GET: getService },
  "/ext/api/v2/scheduler/services/{alayacare_service_id}": { GET: getService, PUT: updateService },
});

export type { ClientRow, ServiceRow };
