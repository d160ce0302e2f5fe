/** /api/v1/alayamarket: trusted network, referral approvals (create, update, cancel, list), attachments. */
import { createHash, randomUUID } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import type pg from "pg";
import { CANCEL_REASON_CODES } from "../schemas";
import { RULE_FIELDS } from "../../authorization-rules";
import { familyRoutes, pageQueryB, pathInt, styleB, type Ctx } from "./context";
import { drain, isIsoDateTimeWithOffset, isPlainObject, isPositiveInt, UUID, type Reply } from "./http";
import type { SandboxRules } from "./rules";
import { AUTH_COLUMNS, type AuthRow } from "./routes-authorizations";
import type { ClientRow, ServiceRow } from "./routes-ext";
import { withTx } from "./store";

export type ReferralRow = {
  id: string;
  revision_group_id: string;
  revision_number: number;
  is_latest: boolean;
  sequence_id: string;
  service_id: number;
  client_id: number;
  supply_persona_id: string;
  care_type: string;
  referral_type: string;
  status: "assigned" | "processed" | "cancelled";
  start_at: string;
  end_at: string;
  comment: string | null;
  case_manager: Record<string, string | null> | null;
  authorization_ids: number[] | null;
  revision_reasons: string[];
  revision_comment: string | null;
  reason_code: string | null;
  cancellation_comment: string | null;
  cancelled_by: string | null;
  snapshot: {
    client: Record<string, unknown>;
    service: Record<string, unknown>;
    authorizations: Record<string, unknown>[];
  };
  created_at: Date;
  updated_at: Date | null;
};

const CASE_MANAGER_KEYS = ["name", "phone_number", "fax_number", "email"];
const CREATE_KEYS = [
  "care_type",
  "referral_type",
  "start_at",
  "end_at",
  "supply_persona_id",
  "authorization_ids",
  "comment",
  "case_manager",
];
const UPDATE_KEYS = ["start_at", "end_at", "revision", "comment", "authorization_ids", "case_manager"];

/** Drops null/undefined: Marketplace types these members non-nullable, the internal spec nullable. */
function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

function referralCore(r: ReferralRow) {
  return compact({
    id: r.id,
    sequence_id: r.sequence_id,
    offer_id: null,
    shift_id: null,
    care_type: r.care_type,
    referral_type: r.referral_type,
    comment: r.comment,
    status: r.status,
    start_at: r.start_at,
    end_at: r.end_at,
    demand_labels: null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at?.toISOString() ?? null,
    reason_code: r.reason_code,
    cancellation_comment: r.cancellation_comment,
  });
}

function revisionOf(r: ReferralRow) {
  return compact({
    revision_group_id: r.revision_group_id,
    revision_number: r.revision_number,
    revision_reasons: r.revision_reasons,
    revision_comment: r.revision_comment,
    is_latest_revision: r.is_latest,
  });
}

async function supplierName(db: pg.Pool | pg.PoolClient, id: string): Promise<string> {
  const row = await db.query<{ name: string }>("select name from suppliers where id = $1", [id]);
  return row.rows[0]?.name ?? "Unknown supplier";
}

export async function referralDetail(db: pg.Pool | pg.PoolClient, r: ReferralRow, rules: SandboxRules) {
  const auths = r.snapshot.authorizations;
  return {
    referral: referralCore(r),
    supply: { id: r.supply_persona_id, name: await supplierName(db, r.supply_persona_id) },
    alayacare:
      rules.alayacareAuthorizationShape === "authorizations"
        ? { authorizations: auths }
        : { authorization: auths[0] ?? {} },
    case_manager: r.case_manager ?? { name: null, phone_number: null, fax_number: null, email: null },
    // Required by the spec though nothing in the request sets it (§12.8).
    price: { rate: 0, unit: "per_visit" },
    client: r.snapshot.client,
    service: r.snapshot.service,
    visits: null,
    revision: revisionOf(r),
  };
}

async function referralListItem(db: pg.Pool, r: ReferralRow) {
  const demographics = (r.snapshot.client.demographics ?? {}) as Record<string, unknown>;
  return {
    referral: referralCore(r),
    supply: { id: r.supply_persona_id, name: await supplierName(db, r.supply_persona_id) },
    alayacare: { has_authorization: (r.authorization_ids ?? []).length > 0 },
    client: {
      id: r.snapshot.client.id,
      outbox_id: r.snapshot.client.outbox_id,
      demographics: compact({ first_name: demographics.first_name, last_name: demographics.last_name }),
    },
    service: { id: r.snapshot.service.id, outbox_id: r.snapshot.service.outbox_id, name: r.snapshot.service.name },
    revision: revisionOf(r),
  };
}

/**
 * The spec's AddressSchema needs every line plus coordinates; the sandbox does not geocode, so it
 * derives stable coordinates in the continental US from the address text. Incomplete: omitted.
 */
function snapshotAddress(d: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);
  const lines = {
    address: str(d.address),
    city: str(d.city),
    state: str(d.state),
    zip: str(d.zip),
    country: str(d.country),
  };
  if (Object.values(lines).some((v) => v === null)) return undefined;
  const hash = createHash("sha256").update(Object.values(lines).join("|")).digest();
  return compact({
    name: "Home",
    ...lines,
    address_suite: str(d.address_suite),
    latitude: 25 + (hash.readUInt16BE(0) / 65_535) * 24,
    longitude: -124 + (hash.readUInt16BE(2) / 65_535) * 57,
  });
}

/** What ACCloud "aggregates" at send time: client, service and authorizations as they are now. */
async function snapshot(
  db: pg.PoolClient,
  service: ServiceRow & { uuid: string },
  auths: AuthRow[],
  referral: { start_at: string; end_at: string },
) {
  const client = (await db.query<ClientRow>("select * from clients where id = $1", [service.client_id])).rows[0]!;
  const d = client.demographics;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const address = snapshotAddress(d);
  return {
    client: {
      id: client.uuid,
      outbox_id: String(client.id),
      ...(address ? { address } : {}),
      contacts: [],
      demographics: compact({
        first_name: str(d.first_name),
        last_name: str(d.last_name),
        email: str(d.email),
        phone_number: str(d.phone_main),
        date_of_birth: str(d.birthday),
        gender: str(d.gender),
        language: client.language,
      }),
      allergies: [],
      risks: [],
      diagnoses: [],
      surgeries: [],
      custom_fields: [],
    },
    service: compact({
      id: service.uuid,
      outbox_id: String(service.id),
      use_client_address: service.use_client_address ?? undefined,
      address: service.use_client_address ? address : undefined,
      name: service.name,
      start_at: referral.start_at,
      end_at: referral.end_at,
      instructions: service.service_instructions,
      notes: service.notes,
      skills: [],
      custom_fields: Object.entries(service.profile).map(([name, value]) => ({
        name,
        type: "string",
        value: String(value),
      })),
    }),
    authorizations: auths.map((a) =>
      compact({
        id: a.id,
        authorization_number: a.data.authorization_number,
        authorization_status: a.data.authorization_status ?? "NEW",
        start_date: a.start_at,
        end_date: a.end_at,
        first_day_of_week: a.data.first_day_of_week,
        member_number: a.data.member_number,
        notes: a.data.notes,
        program_id: a.data.program_id,
        rule_type: a.rule_type,
        custom_number_of_days: a.data.custom_number_of_days,
        import_id: a.data.import_id,
        ...Object.fromEntries(RULE_FIELDS.map((k) => [k, a.data[k]])),
      }),
    ),
  };
}

function datePart(iso: string, tz: string): string {
  if (tz === "as_written") return iso.slice(0, 10);
  const at = new Date(iso);
  if (tz === "UTC") return at.toISOString().slice(0, 10);
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    at,
  );
}

// ---------------------------------------------------------------- body validation (connexion-style wording)

function rejectUnknown(ctx: Ctx, body: Record<string, unknown>, allowed: string[]): void {
  if (!ctx.rules.rejectUnknownReferralFields) return;
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length)
    ctx.fail(
      400,
      `Additional properties are not allowed (${extra.map((k) => `'${k.slice(0, 40)}'`).join(", ")} ${extra.length > 1 ? "were" : "was"} unexpected)`,
    );
}

function requireKeys(ctx: Ctx, body: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (body[k] === undefined) ctx.fail(400, `'${k}' is a required property`);
}

function checkEnum(ctx: Ctx, name: string, v: unknown, values: readonly string[]): void {
  if (!values.includes(v as string))
    ctx.fail(400, `'${name}' is not one of [${values.map((x) => `'${x}'`).join(", ")}]`);
}

function checkDateTime(ctx: Ctx, name: string, v: unknown): string {
  if (!isIsoDateTimeWithOffset(v)) return ctx.fail(400, `'${name}' is not a 'date-time' with an offset`);
  return v;
}

function checkAuthorizationIds(ctx: Ctx, v: unknown): number[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v) || !v.every(isPositiveInt))
    return ctx.fail(400, "'authorization_ids' is not of type 'array' of integers");
  return [...new Set(v as number[])];
}

function checkNullableString(ctx: Ctx, name: string, v: unknown, nullable: boolean): void {
  if (v === undefined || (nullable && v === null)) return;
  if (typeof v !== "string") ctx.fail(400, `'${name}' is not of type 'string'`);
}

function checkCaseManager(ctx: Ctx, v: unknown, nullable: boolean): Record<string, string | null> | null | undefined {
  if (v === undefined) return undefined;
  if (v === null && nullable) return null;
  if (!isPlainObject(v)) return ctx.fail(400, "'case_manager' is not of type 'object'");
  const out: Record<string, string | null> = {};
  for (const [k, value] of Object.entries(v)) {
    if (!CASE_MANAGER_KEYS.includes(k)) {
      if (ctx.rules.rejectUnknownReferralFields)
        ctx.fail(400, `Additional properties are not allowed ('case_manager.${k.slice(0, 40)}' was unexpected)`);
      continue;
    }
    if (value !== null && typeof value !== "string") ctx.fail(400, `'case_manager.${k}' is not of type 'string'`);
    out[k] = value as string | null;
  }
  for (const k of CASE_MANAGER_KEYS) out[k] ??= null;
  return out;
}

async function findService(ctx: Ctx, db: pg.PoolClient): Promise<ServiceRow & { uuid: string }> {
  const id = pathInt(ctx.params.service_id);
  const row = id
    ? (await db.query<ServiceRow & { uuid: string }>("select * from services where id = $1 for update", [id])).rows[0]
    : undefined;
  if (!row) return ctx.fail(404, "Service not found.");
  return row;
}

async function findReferral(ctx: Ctx, db: pg.Pool | pg.PoolClient, id: string | undefined): Promise<ReferralRow> {
  const row =
    id && UUID.test(id)
      ? (await db.query<ReferralRow>("select * from referrals where id = $1", [id])).rows[0]
      : undefined;
  if (!row) return ctx.fail(404, "Referral not found.");
  return row;
}

/** The latest row of the group, locked: updates and cancels of one group are serialized. */
async function lockLatest(db: pg.PoolClient, groupId: string): Promise<ReferralRow> {
  const rows = await db.query<ReferralRow>(
    "select * from referrals where revision_group_id = $1 and is_latest for update",
    [groupId],
  );
  return rows.rows[0]!;
}

async function checkAuthorizations(
  ctx: Ctx,
  db: pg.PoolClient,
  ids: number[] | null,
  service: ServiceRow,
  startAt: string,
  endAt: string,
  matchDates: boolean,
): Promise<AuthRow[]> {
  if (!ids || ids.length === 0) return [];
  const rows = (
    await db.query<AuthRow>(`select ${AUTH_COLUMNS} from authorizations where id = any($1) and deleted_at is null`, [
      ids,
    ])
  ).rows;
  const tz = ctx.rules.referralDateMatchTimezone;
  const start = datePart(startAt, tz);
  const end = datePart(endAt, tz);
  const ordered: AuthRow[] = [];
  for (const id of ids) {
    const a = rows.find((r) => r.id === id);
    if (!a) return ctx.fail(400, `Authorization ${id} not found.`);
    if (a.client_id !== service.client_id)
      ctx.fail(400, `Authorization ${id} does not belong to the service's client.`);
    if (a.service_ids.length && !a.service_ids.includes(service.id))
      ctx.fail(400, `Authorization ${id} is not linked to service ${service.id}.`);
    if (matchDates) {
      const endMismatch = a.end_at === null ? ctx.rules.authorizationWithoutEndAtFailsDateMatch : a.end_at !== end;
      if (a.start_at !== start || endMismatch) {
        ctx.fail(
          400,
          `Authorization ${id} start and end dates must equal the date parts of the referral start_at and end_at.`,
        );
      }
    }
    ordered.push(a);
  }
  return ordered;
}

function stateConflict(ctx: Ctx, message: string): never {
  return ctx.fail(ctx.rules.referralStateConflictStatus, message);
}

// ---------------------------------------------------------------- handlers

async function createReferral(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  return withTx(ctx.pool, async (db) => {
    const service = await findService(ctx, db);
    rejectUnknown(ctx, body, CREATE_KEYS);
    requireKeys(ctx, body, ["care_type", "referral_type", "start_at", "end_at", "supply_persona_id"]);
    checkEnum(ctx, "care_type", body.care_type, ["psw", "nursing"]);
    checkEnum(ctx, "referral_type", body.referral_type, ["visit", "service"]);
    const startAt = checkDateTime(ctx, "start_at", body.start_at);
    const endAt = checkDateTime(ctx, "end_at", body.end_at);
    if (typeof body.supply_persona_id !== "string" || !UUID.test(body.supply_persona_id))
      ctx.fail(400, "'supply_persona_id' is not a 'uuid'");
    const authIds = checkAuthorizationIds(ctx, body.authorization_ids);
    checkNullableString(ctx, "comment", body.comment, false);
    const caseManager = checkCaseManager(ctx, body.case_manager, false);
    if (Date.parse(endAt) < Date.parse(startAt)) ctx.fail(400, "'end_at' must be on or after 'start_at'");

    const supplyId = (body.supply_persona_id as string).toLowerCase();
    const trusted = await db.query("select 1 from suppliers where id = $1 and trusted", [supplyId]);
    if (!trusted.rowCount) ctx.fail(400, "Supplier is not in the trusted network.");
    const auths = await checkAuthorizations(ctx, db, authIds, service, startAt, endAt, true);
    if (ctx.rules.oneLiveReferralPerService) {
      const live = await db.query(
        "select 1 from referrals where service_id = $1 and is_latest and status <> 'cancelled'",
        [service.id],
      );
      if (live.rowCount) ctx.fail(409, "A live referral already exists for this service.");
    }
    const snap = await snapshot(db, service, auths, { start_at: startAt, end_at: endAt });
    const inserted = await db.query<ReferralRow>(
      `insert into referrals (id, revision_group_id, revision_number, is_latest, sequence_id, service_id, client_id,
        supply_persona_id, care_type, referral_type, status, start_at, end_at, comment, case_manager, authorization_ids, snapshot)
       values ($1, $2, 1, true, $3, $4, $5, $6, $7, $8, 'assigned', $9, $10, $11, $12, $13, $14) returning *`,
      [
        randomUUID(),
        randomUUID(),
        randomUUID(),
        service.id,
        service.client_id,
        supplyId,
        body.care_type,
        body.referral_type,
        startAt,
        endAt,
        (body.comment as string | undefined) ?? null,
        caseManager ?? null,
        authIds,
        snap,
      ],
    );
    return { status: 201, body: await referralDetail(db, inserted.rows[0]!, ctx.rules) };
  });
}

async function updateReferral(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  return withTx(ctx.pool, async (db) => {
    const service = await findService(ctx, db);
    const target = await findReferral(ctx, db, ctx.params.referral_id);
    if (target.service_id !== service.id) ctx.fail(404, "Referral not found for this service.");

    const supplyRule = ctx.rules.supplyPersonaOnUpdate;
    const allowed = supplyRule === "reject_any" ? UPDATE_KEYS : [...UPDATE_KEYS, "supply_persona_id"];
    rejectUnknown(ctx, body, allowed);
    requireKeys(ctx, body, ["start_at", "end_at", "revision"]);
    const startAt = checkDateTime(ctx, "start_at", body.start_at);
    const endAt = checkDateTime(ctx, "end_at", body.end_at);
    const revision = body.revision;
    if (!isPlainObject(revision)) return ctx.fail(400, "'revision' is not of type 'object'");
    if (revision.reasons === undefined) ctx.fail(400, "'reasons' is a required property");
    if (!Array.isArray(revision.reasons) || revision.reasons.length < 1)
      ctx.fail(400, "'revision.reasons' should be non-empty");
    if (!(revision.reasons as unknown[]).every((x) => typeof x === "string" && x.trim() !== "")) {
      ctx.fail(400, "'revision.reasons' items must be non-empty strings");
    }
    checkNullableString(ctx, "revision.comment", revision.comment, true);
    if (ctx.rules.rejectUnknownReferralFields) {
      const extra = Object.keys(revision).filter((k) => k !== "reasons" && k !== "comment");
      if (extra.length)
        ctx.fail(400, `Additional properties are not allowed ('revision.${extra[0]!.slice(0, 40)}' was unexpected)`);
    }
    checkNullableString(ctx, "comment", body.comment, true);
    const authIds =
      body.authorization_ids === undefined
        ? target.authorization_ids
        : checkAuthorizationIds(ctx, body.authorization_ids);
    const caseManager = checkCaseManager(ctx, body.case_manager, true);
    if (body.supply_persona_id !== undefined && supplyRule === "reject_change") {
      if (
        typeof body.supply_persona_id !== "string" ||
        body.supply_persona_id.toLowerCase() !== target.supply_persona_id
      ) {
        ctx.fail(400, "'supply_persona_id' cannot be changed on update.");
      }
    }

    const latest = await lockLatest(db, target.revision_group_id);
    if (latest.id !== target.id) stateConflict(ctx, "Referral is not the latest revision.");
    if (latest.referral_type !== "service") stateConflict(ctx, "Only referrals of type 'service' can be updated.");
    if (latest.status !== "assigned" && latest.status !== "processed")
      stateConflict(ctx, `Referral in status '${latest.status}' cannot be updated.`);
    if (Date.parse(endAt) < Date.parse(startAt)) ctx.fail(400, "'end_at' must be on or after 'start_at'");
    const auths = await checkAuthorizations(
      ctx,
      db,
      authIds,
      service,
      startAt,
      endAt,
      ctx.rules.referralDateMatchOnUpdate,
    );

    const snap = await snapshot(db, service, auths, { start_at: startAt, end_at: endAt });
    await db.query("update referrals set is_latest = false, updated_at = clock_timestamp() where id = $1", [latest.id]);
    const inserted = await db.query<ReferralRow>(
      `insert into referrals (id, revision_group_id, revision_number, is_latest, sequence_id, service_id, client_id,
        supply_persona_id, care_type, referral_type, status, start_at, end_at, comment, case_manager, authorization_ids,
        revision_reasons, revision_comment, snapshot)
       values ($1, $2, $3, true, $4, $5, $6, $7, $8, $9, 'assigned', $10, $11, $12, $13, $14, $15, $16, $17) returning *`,
      [
        randomUUID(),
        latest.revision_group_id,
        latest.revision_number + 1,
        latest.sequence_id,
        service.id,
        service.client_id,
        latest.supply_persona_id,
        latest.care_type,
        latest.referral_type,
        startAt,
        endAt,
        body.comment === undefined ? latest.comment : body.comment,
        caseManager === undefined ? latest.case_manager : caseManager,
        authIds,
        JSON.stringify(revision.reasons),
        (revision.comment as string | null | undefined) ?? null,
        snap,
      ],
    );
    return { status: 201, body: await referralDetail(db, inserted.rows[0]!, ctx.rules) };
  });
}

async function cancelReferral(ctx: Ctx): Promise<Reply> {
  const body = await ctx.jsonObject();
  return withTx(ctx.pool, async (db) => {
    const target = await findReferral(ctx, db, ctx.params.referral_id);
    rejectUnknown(ctx, body, ["reason_code", "comment"]);
    requireKeys(ctx, body, ["reason_code"]);
    checkEnum(ctx, "reason_code", body.reason_code, CANCEL_REASON_CODES);
    checkNullableString(ctx, "comment", body.comment, false);
    if (typeof body.comment === "string" && body.comment.length > 1000)
      ctx.fail(400, "'comment' is too long (maximum 1000 characters)");
    const latest = await lockLatest(db, target.revision_group_id);
    if (latest.id !== target.id) stateConflict(ctx, "Referral is not the latest revision.");
    if (latest.status !== "assigned" && latest.status !== "processed")
      stateConflict(ctx, `Referral in status '${latest.status}' cannot be cancelled.`);
    const updated = await db.query<ReferralRow>(
      `update referrals set status = 'cancelled', reason_code = $2, cancellation_comment = $3, cancelled_by = 'demand',
       updated_at = clock_timestamp() where id = $1 returning *`,
      [latest.id, body.reason_code, (body.comment as string | undefined) ?? null],
    );
    if (ctx.rules.cancelSuccessStatus === 204) return { status: 204 };
    return { status: 200, body: await referralDetail(db, updated.rows[0]!, ctx.rules) };
  });
}

async function listReferrals(ctx: Ctx): Promise<Reply> {
  const q = ctx.query;
  const conds: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    conds.push(sql.replace("?", `$${args.length}`));
  };
  const revisions = q.get("revisions") ?? "latest";
  checkEnum(ctx, "revisions", revisions, ["all", "latest", "archived"]);
  if (revisions === "latest") conds.push("is_latest");
  if (revisions === "archived") conds.push("not is_latest");
  for (const key of ["revision_group_id", "supply_persona_id", "sequence_id"]) {
    const v = q.get(key);
    if (v === null) continue;
    if (!UUID.test(v)) ctx.fail(400, `'${key}' is not a 'uuid'`);
    add(`${key} = ?::uuid`, v);
  }
  const enums: [string, readonly string[]][] = [
    ["status", ["assigned", "processed", "cancelled"]],
    ["care_type", ["psw", "nursing"]],
    ["referral_type", ["visit", "service"]],
  ];
  for (const [key, values] of enums) {
    const v = q.get(key);
    if (v === null) continue;
    checkEnum(ctx, key, v, values);
    add(`${key} = ?`, v);
  }
  const clientOutboxId = q.get("client_outbox_id");
  if (clientOutboxId !== null) add("client_id::text = ?", clientOutboxId);
  const hasAuth = q.get("has_alayacare_authorization");
  if (hasAuth !== null) {
    if (hasAuth !== "true" && hasAuth !== "false")
      ctx.fail(400, "'has_alayacare_authorization' is not of type 'boolean'");
    conds.push(
      hasAuth === "true"
        ? "cardinality(coalesce(authorization_ids, '{}')) > 0"
        : "cardinality(coalesce(authorization_ids, '{}')) = 0",
    );
  }
  const sortBy = q.get("sort_by") ?? "last_modified";
  checkEnum(ctx, "sort_by", sortBy, ["last_modified", "revision_number"]);
  const sortOrder = q.get("sort_order") ?? "desc";
  checkEnum(ctx, "sort_order", sortOrder, ["asc", "desc"]);
  const { page, perPage, offset } = pageQueryB(ctx);
  const where = conds.length ? `where ${conds.join(" and ")}` : "";
  const key = sortBy === "revision_number" ? "revision_number" : "coalesce(updated_at, created_at)";
  const total = await ctx.pool.query<{ n: number }>(`select count(*)::int as n from referrals ${where}`, args);
  const rows = await ctx.pool.query<ReferralRow>(
    `select * from referrals ${where} order by ${key} ${sortOrder}, created_at ${sortOrder}, id limit ${perPage} offset ${offset}`,
    args,
  );
  const items = [];
  for (const r of rows.rows) items.push(await referralListItem(ctx.pool, r));
  return { status: 200, body: styleB(items, total.rows[0]?.n ?? 0, page, perPage) };
}

async function trustedNetwork(ctx: Ctx): Promise<Reply> {
  const q = ctx.query;
  const conds = ["trusted"];
  const args: unknown[] = [];
  const name = q.get("name");
  if (name) {
    args.push(name);
    conds.push(`name ilike '%' || $${args.length} || '%'`);
  }
  const ids = [...q.getAll("supply_persona_id"), ...q.getAll("supply_persona_id[]")];
  if (ids.some((v) => !UUID.test(v))) ctx.fail(400, "'supply_persona_id' is not a 'uuid'");
  if (ids.length) {
    args.push(ids.map((v) => v.toLowerCase()));
    conds.push(`id = any($${args.length}::uuid[])`);
  }
  const sortBy = q.get("sort_by") ?? "name";
  checkEnum(ctx, "sort_by", sortBy, ["name"]);
  const sortOrder = q.get("sort_order") ?? "asc";
  checkEnum(ctx, "sort_order", sortOrder, ["asc", "desc"]);
  const { page, perPage, offset } = pageQueryB(ctx);
  const where = conds.join(" and ");
  const total = await ctx.pool.query<{ n: number }>(`select count(*)::int as n from suppliers where ${where}`, args);
  const rows = await ctx.pool.query(
    `select id, name from suppliers where ${where} order by name ${sortOrder}, id limit ${perPage} offset ${offset}`,
    args,
  );
  return { status: 200, body: styleB(rows.rows, total.rows[0]?.n ?? 0, page, perPage) };
}

// ---------------------------------------------------------------- attachments

/** Multipart framing around the file is small; anything this far past the limit is refused unread. */
const MULTIPART_SLACK = 1024 * 1024;

async function uploadAttachment(ctx: Ctx): Promise<Reply> {
  const { req, rules } = ctx;
  const target = await findReferral(ctx, ctx.pool, ctx.params.referral_id);
  const latest = (
    await ctx.pool.query<ReferralRow>("select * from referrals where revision_group_id = $1 and is_latest", [
      target.revision_group_id,
    ])
  ).rows[0]!;
  if (rules.attachmentRevision === "latest" && latest.id !== target.id)
    stateConflict(ctx, "Referral is not the latest revision.");
  if (rules.attachmentOnCancelledReferral === "reject" && latest.status === "cancelled")
    stateConflict(ctx, "Referral is cancelled.");

  const contentType = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data;.*boundary=/i.test(contentType))
    ctx.fail(400, "Request must be multipart/form-data with a 'file' part.");
  const mb = rules.attachmentMaxBytes / 1_000_000;
  const tooLarge = () => ctx.fail(rules.attachmentTooLargeStatus, `File exceeds the ${mb} MB limit.`);
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > rules.attachmentMaxBytes + MULTIPART_SLACK) tooLarge();

  const limited = new PassThrough();
  let received = 0;
  let overflow = false;
  req.on("data", (chunk: Buffer) => {
    if (overflow) return;
    received += chunk.length;
    if (received > rules.attachmentMaxBytes + MULTIPART_SLACK) {
      overflow = true;
      limited.destroy(new Error("too large"));
      return;
    }
    if (!limited.write(chunk)) {
      req.pause();
      limited.once("drain", () => req.resume());
    }
  });
  req.on("end", () => limited.end());
  req.on("error", (err) => limited.destroy(err));

  let form: FormData;
  try {
    const request = new Request("http://sandbox.local/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: Readable.toWeb(limited) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    form = await request.formData();
  } catch {
    req.resume();
    await drain(req);
    if (overflow) tooLarge();
    return ctx.fail(400, "Malformed multipart body.");
  }
  const part = form.get("file");
  if (part === null) ctx.fail(400, "Missing required part 'file'.");
  if (typeof part === "string" || !part!.name) ctx.fail(400, "The 'file' part must carry a filename.");
  const file = part as File;
  if (file.size > rules.attachmentMaxBytes) tooLarge();
  if (file.size === 0) ctx.fail(400, "File is empty.");
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  if (rules.attachmentAllowedExtensions && (!extension || !rules.attachmentAllowedExtensions.includes(extension))) {
    ctx.fail(415, "File type is not allowed.");
  }
  const data = Buffer.from(await file.arrayBuffer());
  const sha256 = createHash("sha256").update(data).digest("hex");

  return withTx(ctx.pool, async (db) => {
    await lockLatest(db, target.revision_group_id);
    if (rules.duplicateAttachment === "reject") {
      const dup = await db.query("select 1 from attachments where revision_group_id = $1 and sha256 = $2", [
        target.revision_group_id,
        sha256,
      ]);
      if (dup.rowCount) ctx.fail(409, "This file was already uploaded for this referral.");
    }
    const safeName = file.name.replace(/[^\w.-]+/g, "_").slice(-120);
    const filepath = `clients/${target.client_id}/attachments/marketplace_documents/${randomUUID()}/${safeName}`;
    await db.query(
      `insert into attachments (referral_id, revision_group_id, client_id, filename, content_type, size, sha256, filepath, content)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        target.id,
        target.revision_group_id,
        target.client_id,
        file.name,
        file.type || "application/octet-stream",
        data.length,
        sha256,
        filepath,
        data,
      ],
    );
    return { status: 201, body: { filepath } };
  });
}

export const marketRoutes = familyRoutes("market", {
  "/api/v1/alayamarket/outbox/organizations/trusted_network": { GET: trustedNetwork },
  "/api/v1/alayamarket/outbox/referrals": { GET: listReferrals },
  "/api/v1/alayamarket/outbox/referrals/from_service/{service_id}": { POST: createReferral },
  "/api/v1/alayamarket/outbox/referrals/from_service/{service_id}/update/{referral_id}": { POST: updateReferral },
  "/api/v1/alayamarket/outbox/referrals/{referral_id}/cancel": { POST: cancelReferral },
  "/api/v1/alayamarket/outbox/referrals/{referral_id}/client_attachment": { POST: uploadAttachment },
});
