/** ext v2 authorizations (string error codes, contract §6). */
import type pg from "pg";
import {
  authorizationDate,
  authorizationUpdateViolation,
  bodyServiceIds,
  existingAuthorizationViolation,
  firstAuthorizationViolation,
  OVERLAP_MESSAGE,
  RULE_FIELDS,
  type AuthorizationViolation,
  type ExistingAuthorization,
  type RuleContext,
  type RuleStage,
} from "../../authorization-rules";
import { AUTHORIZATION_METHODOLOGIES, ZAuthorizationUpdate } from "../schemas";
import { familyRoutes, intParam, pageQueryA, pathInt, styleA, type Ctx } from "./context";
import { isIsoDate, isPositiveInt, type Reply } from "./http";
import { withTx } from "./store";

/** The text members (authorization_number … notes): the update's, but for its date (the contract in lib/accloud/schemas.ts). */
const STRING_FIELDS = Object.keys(ZAuthorizationUpdate.shape).filter((k) => k !== "end_at");
const CREATE_FIELDS = new Set<string>([
  "client_id",
  "service_ids",
  "billcode_ids",
  "start_at",
  "end_at",
  "methodology",
  "payor_id",
  "payor_id_type",
  "rule_type",
  "first_day_of_week",
  "custom_number_of_days",
  "include_non_visit_items",
  ...RULE_FIELDS,
  ...STRING_FIELDS,
]);
const UPDATE_FIELDS = new Set<string>(["end_at", ...STRING_FIELDS]);
/**
 * The members the published CreateAuthorization / UpdateAuthorization type as strings (dates and
 * enums included), none of them nullable: a strict tenant answers null with 400 "may not be null",
 * so this sandbox does too (lib/accloud/conformance.test.ts checks the list against the files).
 * The rule_* numbers are left as they were: the contract reads a null rule as unset (§11).
 */
export const CREATE_STRING_FIELDS = [
  "start_at",
  "end_at",
  "methodology",
  "rule_type",
  "payor_id_type",
  ...STRING_FIELDS,
] as const;
export const UPDATE_STRING_FIELDS = ["end_at", ...STRING_FIELDS] as const;

function refuseNulls(ctx: Ctx, body: Record<string, unknown>, fields: readonly string[]): void {
  for (const key of fields) if (body[key] === null) ctx.fail(400, `\`${key}\` may not be null.`);
}

export { OVERLAP_MESSAGE };

type AuthRow = {
  id: number;
  client_id: number;
  service_ids: number[];
  start_at: string;
  end_at: string | null;
  methodology: string;
  payor_id: number | null;
  rule_type: string;
  data: Record<string, unknown>;
  deleted_at: Date | null;
};

const AUTH_COLUMNS =
  "id, client_id, service_ids, start_at::text as start_at, end_at::text as end_at, methodology, payor_id, rule_type, data, deleted_at";

export function authorizationBody(row: AuthRow, withLinks = false) {
  const base = { id: row.id, client_id: row.client_id, start_at: row.start_at, end_at: row.end_at, ...row.data };
  if (!withLinks) return base;
  return { ...base, service_ids: row.service_ids, billcode_ids: [] as number[] };
}

const joinAnd = (items: string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
const shown = (v: unknown) => String(v).slice(0, 40);

/** The shared authorization rules, under this sandbox's switches and clock. */
const ruleContext = (ctx: Ctx): RuleContext => ({ options: ctx.rules, now: ctx.now() });

function failOn(ctx: Ctx, violation: AuthorizationViolation | undefined): void {
  if (violation) ctx.fail(violation.status, violation.message);
}

function checkStage(ctx: Ctx, body: Record<string, unknown>, stage: RuleStage): void {
  failOn(ctx, firstAuthorizationViolation(body, ruleContext(ctx), stage));
}

function checkDate(ctx: Ctx, name: string, v: unknown): string {
  return authorizationDate(v, ctx.rules) ?? ctx.fail(400, `\`${name}\` must be a date (YYYY-MM-DD).`);
}

function checkStrings(ctx: Ctx, body: Record<string, unknown>): void {
  for (const key of STRING_FIELDS) {
    const v = body[key];
    if (v !== undefined && v !== null && typeof v !== "string") ctx.fail(400, `\`${key}\` must be a string.`);
  }
}

async function createAuthorization(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  const unknown = Object.keys(body).filter((k) => !CREATE_FIELDS.has(k));
  if (unknown.length) ctx.fail(400, `Unknown field(s): ${joinAnd(unknown.map((k) => `\`${shown(k)}\``))}.`);
  refuseNulls(ctx, body, CREATE_STRING_FIELDS);
  const required = ["start_at", "rule_type", "client_id", "methodology", "first_day_of_week"];
  const missing = required.filter((k) => body[k] === undefined || body[k] === null);
  if (missing.length) ctx.fail(400, `The following parameters are required: ${joinAnd(missing)}.`);

  if (!isPositiveInt(body.client_id)) ctx.fail(400, "`client_id` must be an integer.");
  if (!["HOURS", "VISITS"].includes(body.rule_type as string))
    ctx.fail(400, `${shown(body.rule_type)} is not a valid choice for field \`rule_type\`.`);
  if (!(AUTHORIZATION_METHODOLOGIES as readonly unknown[]).includes(body.methodology)) {
    ctx.fail(400, `${shown(body.methodology)} is not a valid choice for field \`methodology\`.`);
  }
  if (
    body.payor_id_type !== undefined &&
    body.payor_id_type !== null &&
    !["FUNDER", "CONTACT"].includes(body.payor_id_type as string)
  ) {
    ctx.fail(400, `${shown(body.payor_id_type)} is not a valid choice for field \`payor_id_type\`.`);
  }
  if (!(
    Number.isInteger(body.first_day_of_week) &&
    (body.first_day_of_week as number) >= 0 &&
    (body.first_day_of_week as number) <= 6
  )) {
    ctx.fail(400, "`first_day_of_week` must be an integer from 0 to 6.");
  }
  // Dates are dates, rules are numbers ≥ 0.
  checkStage(ctx, body, "format");
  const startAt = checkDate(ctx, "start_at", body.start_at);
  const endAt = body.end_at === undefined || body.end_at === null ? null : checkDate(ctx, "end_at", body.end_at);
  const days = body.custom_number_of_days;
  if (days !== undefined && days !== null && !(Number.isInteger(days) && (days as number) >= 0))
    ctx.fail(400, "`custom_number_of_days` must be an integer.");
  checkStrings(ctx, body);
  if (body.include_non_visit_items !== undefined && typeof body.include_non_visit_items !== "boolean") {
    ctx.fail(400, "`include_non_visit_items` must be a boolean.");
  }
  for (const key of ["service_ids", "billcode_ids"]) {
    const v = body[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.every(isPositiveInt)))
      ctx.fail(400, `\`${key}\` must be a list of integers.`);
  }
  const serviceIds = bodyServiceIds(body);
  const methodology = body.methodology as string;
  if (
    methodology.startsWith("payor") &&
    (body.payor_id === undefined || body.payor_id === null || !body.payor_id_type)
  ) {
    ctx.fail(
      400,
      "`payor_id` and `payor_id_type` is required when `methodology` is `payor`, payor_bill_code, payor_service.",
    );
  }
  if (body.payor_id !== undefined && body.payor_id !== null && !isPositiveInt(body.payor_id))
    ctx.fail(400, "`payor_id` must be an integer.");

  return withTx(ctx.pool, async (db) => {
    const client = await db.query("select 1 from clients where id = $1 for share", [body.client_id]);
    if (!client.rowCount) ctx.fail(400, "Client ID not found.");
    if (Array.isArray(body.billcode_ids) && body.billcode_ids.length) ctx.fail(400, "Bill Code(s) ID not found.");
    if (serviceIds.length) {
      const found = await db.query<{ id: number; client_id: number }>(
        "select id, client_id from services where id = any($1)",
        [serviceIds],
      );
      if (found.rowCount !== serviceIds.length) ctx.fail(400, "Service(s) ID not found.");
      if (ctx.rules.authorizationServicesMustBelongToClient && found.rows.some((s) => s.client_id !== body.client_id)) {
        ctx.fail(400, `Service(s) IDs do not belong to Client ID ${body.client_id as number}.`);
      }
    }
    // Start within a year, end on or after start, rule_daily alone, daily ≤ weekly ≤ monthly.
    checkStage(ctx, body, "consistency");
    const payorId = (body.payor_id as number | undefined) ?? null;
    if (ctx.rules.rejectOverlappingAuthorizations && serviceIds.length) {
      // Serialised per client, so two concurrent creates cannot both miss each other.
      await db.query("select pg_advisory_xact_lock(hashtext($1))", [`authorizations:${body.client_id as number}`]);
      // Narrowed to those sharing a service (the only ones that can conflict); the rule decides.
      const others = await db.query<ExistingAuthorization>(
        `select id, service_ids, payor_id, start_at::text as start_at, end_at::text as end_at
         from authorizations where client_id = $1 and deleted_at is null and service_ids && $2`,
        [body.client_id, serviceIds],
      );
      failOn(ctx, existingAuthorizationViolation(body, others.rows, ruleContext(ctx)));
    }

    const data: Record<string, unknown> = {
      rule_type: body.rule_type,
      methodology,
      payor_id: payorId,
      payor_id_type: body.payor_id_type ?? null,
      first_day_of_week: body.first_day_of_week,
      authorization_status: "NEW",
      state_type_id: null,
      calculated_priority: null,
      import_id: null,
      is_over_utilized: false,
      include_non_visit_items: body.include_non_visit_items ?? false,
      custom_number_of_days: body.custom_number_of_days ?? null,
    };
    for (const key of RULE_FIELDS) data[key] = body[key] ?? null;
    for (const key of STRING_FIELDS) data[key] = body[key] ?? null;
    const inserted = await db.query<AuthRow>(
      `insert into authorizations (client_id, service_ids, start_at, end_at, methodology, payor_id, rule_type, data)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${AUTH_COLUMNS}`,
      [body.client_id, serviceIds, startAt, endAt, methodology, payorId, body.rule_type, data],
    );
    return { status: 201, body: authorizationBody(inserted.rows[0]!) };
  });
}

async function findAuthorization(ctx: Ctx, db: pg.PoolClient): Promise<AuthRow> {
  const id = pathInt(ctx.params.authorization_id);
  const row = id
    ? (
        await db.query<AuthRow>(
          `select ${AUTH_COLUMNS} from authorizations where id = $1 and deleted_at is null for update`,
          [id],
        )
      ).rows[0]
    : undefined;
  // The documented 404 body really carries code "400" (§6.2, §10 #9).
  if (!row) return ctx.fail(404, "Authorization not found.", "400");
  return row;
}

async function updateAuthorization(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  return withTx(ctx.pool, async (db) => {
    const row = await findAuthorization(ctx, db);
    refuseNulls(ctx, body, UPDATE_STRING_FIELDS);
    if (ctx.rules.authorizationImmutableFields === "reject") {
      for (const [key, value] of Object.entries(body)) {
        if (UPDATE_FIELDS.has(key)) continue;
        if (key === "start_at" || key === "start_date") {
          if (value !== row.start_at)
            ctx.fail(400, "`start_at` cannot be changed; delete and recreate the authorization.");
        } else if (key === "rule_type") {
          if (value !== row.rule_type)
            ctx.fail(400, "`rule_type` cannot be changed; delete and recreate the authorization.");
        } else if ((RULE_FIELDS as readonly string[]).includes(key) || key === "custom_number_of_days") {
          if ((value ?? null) !== (row.data[key] ?? null))
            ctx.fail(400, `\`${key}\` cannot be changed; delete and recreate the authorization.`);
        } else {
          ctx.fail(400, `Field \`${shown(key)}\` cannot be updated.`);
        }
      }
    }
    checkStrings(ctx, body);
    let endAt = row.end_at;
    if (body.end_at !== undefined) endAt = checkDate(ctx, "end_at", body.end_at);
    failOn(ctx, authorizationUpdateViolation(row, endAt));
    const data = { ...row.data };
    for (const key of STRING_FIELDS) if (body[key] !== undefined) data[key] = body[key];
    const updated = await db.query<AuthRow>(
      `update authorizations set end_at = $2, data = $3, updated_at = now() where id = $1 returning ${AUTH_COLUMNS}`,
      [row.id, endAt, data],
    );
    return { status: 200, body: authorizationBody(updated.rows[0]!) };
  });
}

async function deleteAuthorization(ctx: Ctx): Promise<Reply> {
  return withTx(ctx.pool, async (db) => {
    const row = await findAuthorization(ctx, db);
    if (ctx.rules.deleteAuthorizationOnLiveReferral === "forbid") {
      const live = await db.query(
        "select 1 from referrals where is_latest and status <> 'cancelled' and $1 = any(coalesce(authorization_ids, '{}'))",
        [row.id],
      );
      if (live.rowCount) ctx.fail(403, "Authorization can not be deleted.");
    }
    await db.query("update authorizations set deleted_at = now(), updated_at = now() where id = $1", [row.id]);
    return { status: 204 };
  });
}

function listValues(ctx: Ctx, name: string): string[] {
  return [...ctx.query.getAll(name), ...ctx.query.getAll(`${name}[]`)];
}

async function listAuthorizations(ctx: Ctx): Promise<Reply> {
  const q = ctx.query;
  const missing = ["start_at_from", "start_at_to"].filter((k) => !q.get(k));
  if (missing.length) ctx.fail(400, `The following parameters are required: ${joinAnd(missing)}.`);
  const conds = ["deleted_at is null"];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    conds.push(sql.replace("?", `$${args.length}`));
  };
  const dateParam = (name: string, sql: string) => {
    const v = q.get(name);
    if (v === null) return;
    if (!isIsoDate(v)) ctx.fail(400, `\`${name}\` must be a date (YYYY-MM-DD).`);
    add(sql, v);
  };
  dateParam("start_at_from", "start_at >= ?::date");
  dateParam("start_at_to", "start_at <= ?::date");
  dateParam("end_at_from", "end_at >= ?::date");
  dateParam("end_at_to", "end_at <= ?::date");
  const clientId = intParam(ctx, "client_id");
  if (clientId) add("client_id = ?", clientId);
  const number = q.get("authorization_number");
  if (number) add("data->>'authorization_number' ilike '%' || ? || '%'", number);
  const methodology = q.get("methodology");
  // The list's enum lacks "service" (§10 #9), so filtering on it is refused as the spec says.
  if (methodology !== null) {
    if (!["payor", "payor_bill_code", "payor_service"].includes(methodology)) {
      ctx.fail(400, `${shown(methodology)} is not a valid choice for field \`methodology\`.`);
    }
    add("methodology = ?", methodology);
  }
  const statuses = listValues(ctx, "authorization_status");
  for (const s of statuses)
    if (!["NEW", "PENDING", "PROCESSED"].includes(s))
      ctx.fail(400, `${shown(s)} is not a valid choice for field \`authorization_status\`.`);
  if (statuses.length) add("data->>'authorization_status' = any(?)", statuses);
  const payorType = q.get("payor_id_type");
  if (payorType !== null) {
    if (!["FUNDER", "CONTACT"].includes(payorType))
      ctx.fail(400, `${shown(payorType)} is not a valid choice for field \`payor_id_type\`.`);
    add("data->>'payor_id_type' = ?", payorType);
  }
  const serviceIds = listValues(ctx, "service_id");
  if (serviceIds.some((s) => !/^\d+$/.test(s))) ctx.fail(400, "`service_id` must be a list of integers.");
  if (serviceIds.length) add("service_ids && ?::int[]", serviceIds.map(Number));
  const payorIds = listValues(ctx, "payor_id");
  if (payorIds.some((s) => !/^\d+$/.test(s))) ctx.fail(400, "`payor_id` must be a list of integers.");
  if (payorIds.length) add("payor_id = any(?::int[])", payorIds.map(Number));
  const fdow = q.get("first_day_of_week");
  if (fdow !== null) {
    if (!/^[0-6]$/.test(fdow)) ctx.fail(400, "`first_day_of_week` must be an integer from 0 to 6.");
    add("(data->>'first_day_of_week')::int = ?", Number(fdow));
  }
  const { page, count, offset } = pageQueryA(ctx);
  const where = conds.join(" and ");
  const total = await ctx.pool.query<{ n: number }>(
    `select count(*)::int as n from authorizations where ${where}`,
    args,
  );
  const rows = await ctx.pool.query<AuthRow>(
    `select ${AUTH_COLUMNS} from authorizations where ${where} order by id limit ${count} offset ${offset}`,
    args,
  );
  return {
    status: 200,
    body: styleA(
      rows.rows.map((r) => authorizationBody(r, true)),
      total.rows[0]?.n ?? 0,
      page,
      count,
    ),
  };
}

export const authorizationRoutes = familyRoutes("auth", {
  "/ext/api/v2/scheduler/authorizations": { GET: listAuthorizations, POST: createAuthorization },
  "/ext/api/v2/scheduler/authorizations/{authorization_id}": { PUT: updateAuthorization, DELETE: deleteAuthorization },
});

export type { AuthRow };
export { AUTH_COLUMNS };
