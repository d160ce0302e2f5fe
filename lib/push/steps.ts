/**
 * The steps of a push, one ACCloud call (or a few) each. Every ACCloud id is saved in
 * accloud_links the moment it returns. Before creating anything on a retry, a step looks for its
 * earlier work, so a crash, a timeout or an answer lost after ACCloud applied the call never
 * creates a second entity (the README's "Push design" explains each lookup).
 *
 *   approve:   client → service → authorizations → referral (create) → attachments
 *   update:    client (PUT if changed) → service (PUT if changed) → authorizations (keep, PUT, or
 *              create the replacement) → referral (update: a new revision) → attachments →
 *              cleanup (delete the replaced authorizations, once no live revision carries them)
 *   cancel:    cancel
 *   documents: attachments
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import {
  accloudReferralRevisions,
  approvalRevisions,
  referralFiles,
  type PushInput,
  type PushKind,
  type ReferralStatus,
  type referralRequests,
} from "../../db/schema";
import { type PushStepName } from "../approval/push-steps";
import type { AccloudClient } from "../accloud/client";
import { isAccloudError } from "../accloud/errors";
import type { TAuthorization, TAuthorizationCreate, TReferralDetail, TReferralListItem } from "../accloud/schemas";
import { authorizationPutBody, planAuthorizations } from "../approval/plan";
import type { TApproval } from "../approval/schema";
import { WEEKDAYS } from "../approval/constants";
import { toAccloudAuthorization } from "../approval/to-accloud";
import type { Db } from "../db";
import { getEnv } from "../env";
import type { TReferralRequest } from "../intake/schema";
import { canonical } from "../json/canonical";
import { clientExternalId, differentPersonReason, identityDifferences, identityOf } from "../form/identity";
import type { SentState } from "../approval/sent-state";
import { personOfSubmission } from "../workflow/different-person";
import { localMidnightIso } from "./time";

export class PushStoppedError extends Error {
  override readonly name = "PushStoppedError";
}

/**
 * The referral or the push changed under a running push (the agency sync cancelled it, the sweeper
 * ended the push): the push makes no further ACCloud call (lib/push/run.ts stops it and says so).
 */
export class PushInterruptedError extends Error {
  override readonly name = "PushInterruptedError";
  constructor(
    readonly referralStatus: string | null,
    readonly pushStatus: string | null,
  ) {
    super(`the referral is ${referralStatus ?? "gone"} and the push ${pushStatus ?? "gone"}`);
  }
}

/** What a push re-reads before its next ACCloud call: its referral's status and its own. */
export type PushWatch = { referral_status: string | null; push_status: string | null };

/** Why the push may not go on (its referral left the statuses it runs under, or the push no longer runs), or null. */
export function interruption(ctx: Pick<Ctx, "runsUnder">, found: PushWatch | undefined): PushInterruptedError | null {
  const referralStatus = found?.referral_status ?? null;
  const pushStatus = found?.push_status ?? null;
  if (pushStatus === "running" && referralStatus && ctx.runsUnder.includes(referralStatus as ReferralStatus))
    return null;
  return new PushInterruptedError(referralStatus, pushStatus);
}

/** What ACCloud holds now: the approval the last successful approve or update sent. */

export type Ctx = {
  db: Db;
  client: AccloudClient;
  pushId: string;
  kind: PushKind;
  referralId: string;
  requestId: string;
  referral: typeof referralRequests.$inferSelect;
  approval: TApproval;
  revision: { id: string; revision: number; reasons: string[]; revisionComment: string | null };
  payload: TReferralRequest;
  submissionId: string;
  /** updates compare against it; null for a first approval */
  sent: SentState | null;
  input: PushInput;
  links: Map<string, string>;
  linkMeta: Map<string, Record<string, unknown>>;
  /** links returned by ACCloud and not written yet: written before the next ACCloud call, or with the step's own record */
  pendingLinks: PendingLink[];
  /** the other records of what ACCloud answered (its revisions), written in the same statement as the pending links */
  pendingWrites: SQL[];
  /** the authorization ids this push leaves on the referral (from its authorizations step) */
  authorizationIds: number[];
  /** true on a step's first attempt: no earlier call of this push can have applied it */
  fresh: boolean;
  /** what the steps read of ACCloud's reference data (the CSI group, the service codes), read once per run */
  ref: () => Promise<PushReference>;
  /** the referral statuses this push runs under: re-read with every write before an ACCloud call, anything else stops it */
  runsUnder: readonly ReferralStatus[];
};

export type PushReference = { csiGroup: { id: number } | null; serviceCodes: Array<{ id: number; name: string }> };

/**
 * The reference data a push reads, in one statement: the CSI group of the last successful
 * refresh (as getReferenceData finds it) and the service codes' names. getReferenceData's six
 * reads, each a round trip, were a tenth of a push's statements.
 */
export async function pushReference(db: Db): Promise<PushReference> {
  const res = await db.execute<{ csi_group_id: number | null; service_codes: Array<{ id: number; name: string }> }>(sql`
    select
      (select g.id from accloud_groups g where g.id = (select r.csi_group_id from accloud_reference_refreshes r where r.status = 'ok' order by r.id desc limit 1)) as csi_group_id,
      (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name)), '[]'::json) from accloud_service_codes c) as service_codes`);
  const row = res.rows[0];
  return {
    csiGroup: row?.csi_group_id == null ? null : { id: row.csi_group_id },
    serviceCodes: row?.service_codes ?? [],
  };
}

export type StepResult = Array<string | number>;
type Step = (ctx: Ctx) => Promise<StepResult>;

export const linkKey = (kind: string, localKey: string) => `${kind}:${localKey}`;
type LinkKind = "client" | "service" | "authorization" | "referral" | "attachment";

/** The agency's client id, namespaced by agency: two agencies' client 1094 never collide. */

export type PendingLink = {
  kind: LinkKind;
  localKey: string;
  accloudId: string;
  meta: Record<string, unknown>;
  referralFileId: string | null;
};

/**
 * Keeps an ACCloud id for the push. It is written before this push makes its next ACCloud call
 * (withLinksSaved) or, when the step makes none, in the same statement as the step's record
 * (lib/push/run.ts): either way before anything could create a second entity, and in one round
 * trip fewer than an insert of its own.
 */
function saveLink(
  ctx: Ctx,
  kind: LinkKind,
  localKey: string,
  accloudId: string | number,
  meta: Record<string, unknown> = {},
  referralFileId?: string,
) {
  const key = linkKey(kind, localKey);
  ctx.pendingLinks = ctx.pendingLinks.filter((l) => linkKey(l.kind, l.localKey) !== key);
  ctx.pendingLinks.push({ kind, localKey, accloudId: String(accloudId), meta, referralFileId: referralFileId ?? null });
  ctx.links.set(key, String(accloudId));
  ctx.linkMeta.set(key, meta);
}

/** The pending links as one statement's rows (jsonb_to_recordset); the caller empties ctx.pendingLinks once they are written. */
export function pendingLinkRows(ctx: Ctx): string {
  return JSON.stringify(
    ctx.pendingLinks.map((l) => ({
      kind: l.kind,
      local_key: l.localKey,
      accloud_id: l.accloudId,
      meta: l.meta,
      referral_file_id: l.referralFileId,
    })),
  );
}

/** The insert of pending links (a CTE of the step's record, or alone): a repeated key takes the new id, as saveLink did. */
export const insertLinksSql = (ctx: Pick<Ctx, "referralId" | "pushId">, rows: string) => sql`
  insert into accloud_links (referral_request_id, kind, local_key, accloud_id, meta, push_id, referral_file_id)
  select ${ctx.referralId}::uuid, x.kind::accloud_link_kind, x.local_key, x.accloud_id, x.meta, ${ctx.pushId}::uuid, x.referral_file_id
  from jsonb_to_recordset(${rows}::jsonb) as x(kind text, local_key text, accloud_id text, meta jsonb, referral_file_id uuid)
  on conflict (referral_request_id, kind, local_key) do update set accloud_id = excluded.accloud_id, meta = excluded.meta`;

/**
 * The pending links and writes as the CTEs of one statement (`with ${takePending(ctx)} …`): a
 * statement's data-modifying CTEs all run, whatever its main part reads. Empties both.
 */
export function takePending(ctx: Ctx): SQL {
  const ctes = sql.join(
    [sql`links as (${insertLinksSql(ctx, pendingLinkRows(ctx))})`, ...ctx.pendingWrites.map(asCte)],
    sql`, `,
  );
  ctx.pendingLinks = [];
  ctx.pendingWrites = [];
  return ctes;
}

/** The i-th of a statement's data-modifying CTEs, named w<i>. */
const asCte = (write: SQL, i: number) => sql`${sql.raw(`w${i}`)} as (${write})`;

/** Writes the pending links, and in the same statement reads whether the push may go on (`interruption`). */
async function flushLinks(ctx: Ctx): Promise<void> {
  if (!ctx.pendingLinks.length && !ctx.pendingWrites.length) return;
  const r = await ctx.db.execute<PushWatch>(sql`with ${takePending(ctx)}
    select r.status as referral_status, p.status as push_status from pushes p join referral_requests r on r.id = p.referral_request_id where p.id = ${ctx.pushId}`);
  const stop = interruption(ctx, r.rows[0]);
  if (stop) throw stop;
}

/** The ACCloud client of a push: every call first writes the links earlier calls returned. */
export function withLinksSaved(client: AccloudClient, ctx: Ctx): AccloudClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await flushLinks(ctx);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const linked = (ctx: Ctx, kind: LinkKind, localKey: string) => ctx.links.get(linkKey(kind, localKey));
const clientIdOf = (ctx: Ctx) => Number(linked(ctx, "client", "client"));
const serviceIdOf = (ctx: Ctx) => Number(linked(ctx, "service", "service"));

/** The referral's latest revision in ACCloud: its id and revision number (an update makes a new id). */
export function latestReferral(
  ctx: Pick<Ctx, "links" | "linkMeta">,
): { id: string; revisionGroupId: string | null; revisionNumber: number } | null {
  const key = ctx.links.has(linkKey("referral", "latest")) ? "latest" : "referral";
  const id = ctx.links.get(linkKey("referral", key));
  if (!id) return null;
  const meta = ctx.linkMeta.get(linkKey("referral", key)) ?? {};
  return {
    id,
    revisionGroupId: (meta.revisionGroupId as string | null) ?? null,
    revisionNumber: Number(meta.revisionNumber ?? 1),
  };
}

/**
 * get → 404 → create → 409 → get: idempotent on an external id. On a step's first attempt
 * nothing of ours can exist yet, so the lookup is skipped (create, and only a 409 looks up).
 */
async function findOrCreate<T>(find: () => Promise<T>, create: () => Promise<T>, fresh: boolean): Promise<T> {
  if (!fresh) {
    try {
      return await find();
    } catch (err) {
      if (!(isAccloudError(err) && err.isNotFound)) throw err;
    }
  }
  try {
    return await create();
  } catch (err) {
    if (isAccloudError(err) && err.isConflict) return find();
    throw err;
  }
}

export function demographics(p: TReferralRequest) {
  const c = p.client;
  const gender = c.gender
    ? ({ f: "F", female: "F", m: "M", male: "M", o: "O", other: "O" } as Record<string, "F" | "M" | "O">)[
        c.gender.trim().toLowerCase()
      ]
    : undefined;
  const optional = {
    address: c.address,
    city: c.city,
    state: c.state,
    zip: c.zip,
    country: c.country,
    birthday: c.birthday,
    email: c.email,
    phone_main: c.phone_main,
  };
  return {
    first_name: c.first_name,
    last_name: c.last_name,
    ...(gender ? { gender } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => typeof v === "string" && v.trim() !== "")),
  };
}

/**
 * The client's external id: the agency client of the submission the approval pinned (never a later
 * amendment's), or the referral's own one when it continues as a new client under a client id
 * another person's ACCloud client already has (lib/approval/different-person.ts).
 */
export const clientExternalIdOf = (
  referral: Pick<typeof referralRequests.$inferSelect, "accloudClientExternalId">,
  payload: TReferralRequest,
) => referral.accloudClientExternalId ?? clientExternalId(payload.agency.alayamarket_org_id, payload.client.id);

/**
 * Before demographics are PUT onto the linked client: they must be of the person that client stands
 * for (the referral's identity submission: the first approval's, or one a reviewer confirmed). The
 * app refuses such an update before it exists; this is the last check, for an update made otherwise.
 */
async function assertSamePerson(ctx: Ctx): Promise<void> {
  const identitySubmissionId = ctx.referral.identitySubmissionId;
  if (!identitySubmissionId || identitySubmissionId === ctx.submissionId) return;
  const person = await personOfSubmission(ctx.db, identitySubmissionId);
  const differences = person ? identityDifferences(person, identityOf(ctx.payload)) : [];
  if (differences.length) throw new PushStoppedError(differentPersonReason(differences));
}

/** Step 1. An update re-sends the demographics only when the approved submission changed them (ACCloud re-reads the client). */
async function stepClient(ctx: Ctx): Promise<StepResult> {
  const existing = linked(ctx, "client", "client");
  if (ctx.kind === "update") {
    if (!existing) throw new PushStoppedError("The client is not linked to ACCloud: this referral was never sent");
    const next = demographics(ctx.payload);
    if (ctx.sent && canonical(demographics(ctx.sent.payload)) !== canonical(next)) {
      await assertSamePerson(ctx);
      await ctx.client.updateClient(Number(existing), { demographics: next });
    }
    return [existing];
  }
  if (existing) return [existing];
  const env = getEnv();
  const ref = await ctx.ref();
  if (!ref.csiGroup)
    throw new PushStoppedError(
      `The ACCloud group "${env.ACCLOUD_CSI_GROUP_NAME}" is not known: refresh the reference data`,
    );
  const externalId = clientExternalIdOf(ctx.referral, ctx.payload);
  const found = await findOrCreate(
    async () => ({ id: (await ctx.client.getClientByExternalId(externalId)).id }),
    async () =>
      ctx.client.createClient({
        external_id: externalId,
        branch_id: env.ACCLOUD_HQ_BRANCH_ID,
        demographics: demographics(ctx.payload),
        groups: [{ id: ref.csiGroup!.id }],
        timezone: ctx.payload.client.timezone,
      }),
    ctx.fresh,
  );
  saveLink(ctx, "client", "client", found.id, { externalId });
  return [found.id];
}

/** Step 2. Code, funder and dates are fixed once created (§5.2); an update re-sends the profile when the agency's name changed. */
async function stepService(ctx: Ctx): Promise<StepResult> {
  const existing = linked(ctx, "service", "service");
  if (ctx.kind === "update") {
    if (!existing) throw new PushStoppedError("The service is not linked to ACCloud: this referral was never sent");
    if (ctx.sent && ctx.sent.payload.agency.name !== ctx.payload.agency.name) {
      await ctx.client.updateService(Number(existing), { profile: { target_agency: ctx.payload.agency.name } });
    }
    return [existing];
  }
  if (existing) return [existing];
  const a = ctx.approval;
  const ref = await ctx.ref();
  const code = ref.serviceCodes.find((c) => c.id === a.serviceCodeId);
  const found = await findOrCreate(
    async () => ({ id: (await ctx.client.getServiceByExternalId(ctx.requestId)).alayacare_service_id }),
    async () =>
      ctx.client.createService({
        service_id: ctx.requestId,
        name: code?.name ?? ctx.referral.serviceRequested ?? "Referral service",
        client: { alayacare_client_id: clientIdOf(ctx) },
        service_code_id: a.serviceCodeId,
        funding_methodology: "single_funder",
        guid_funder_breakdowns: [{ funder_id: a.funderId, is_primary: 1, percentage: 100 }],
        start_date: a.startDate,
        projected_end_date: a.endDate,
        profile: { target_agency: ctx.payload.agency.name },
      }),
    ctx.fresh,
  );
  saveLink(ctx, "service", "service", found.id);
  return [found.id];
}

/** An authorization already in ACCloud that is this one (same service, dates, rules and identifiers). */
function sameAuthorization(found: TAuthorization, body: TAuthorizationCreate): boolean {
  const f = found as Record<string, unknown>;
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const keys = ["rule_daily", "rule_weekly", "rule_monthly", "rule_period", ...WEEKDAYS.map((d) => `rule_${d}`)];
  return (
    String(found.start_at).slice(0, 10) === body.start_at &&
    String(found.end_at ?? "").slice(0, 10) === body.end_at &&
    found.rule_type === body.rule_type &&
    (found.authorization_number ?? undefined) === (body.authorization_number ?? undefined) &&
    keys.every((k) => num(f[k]) === num((body as Record<string, unknown>)[k]))
  );
}

/**
 * Creates one authorization, or on a retry finds the one an earlier attempt created (authorizations
 * have no external id: one on this request's own service that matches and is not linked yet).
 */
async function createOrFindAuthorization(
  ctx: Ctx,
  key: string,
  index: number,
  body: TAuthorizationCreate,
): Promise<number> {
  const existing = linked(ctx, "authorization", key);
  if (existing) return Number(existing);
  const serviceId = serviceIdOf(ctx);
  const taken = new Set([...ctx.links.entries()].filter(([k]) => k.startsWith("authorization:")).map(([, v]) => v));
  for (const id of ctx.sent?.authorizationIds ?? []) taken.add(String(id));
  const candidates = ctx.fresh
    ? []
    : await ctx.client.listAllAuthorizations({
        start_at_from: body.start_at,
        start_at_to: body.start_at,
        client_id: clientIdOf(ctx),
        service_id: [serviceId],
      });
  const match = candidates.find(
    (c) => !taken.has(String(c.id)) && (c.service_ids ?? []).includes(serviceId) && sameAuthorization(c, body),
  );
  const id = match ? match.id : (await ctx.client.createAuthorization(body)).id;
  saveLink(ctx, "authorization", key, id, { index });
  return id;
}

/** Step 3. A first approval creates each authorization; an update keeps, PUTs or replaces each (lib/approval/plan.ts). */
async function stepAuthorizations(ctx: Ctx): Promise<StepResult> {
  const ids = { clientId: clientIdOf(ctx), serviceId: serviceIdOf(ctx) };
  const out: number[] = [];
  if (ctx.kind !== "update" || !ctx.sent) {
    for (let i = 0; i < ctx.approval.authorizations.length; i++)
      out.push(await createOrFindAuthorization(ctx, `auth:${i}`, i, toAccloudAuthorization(ctx.approval, i, ids)));
  } else {
    for (const p of planAuthorizations(ctx.sent.approval, ctx.approval)) {
      if (p.action === "remove") continue;
      const body = toAccloudAuthorization(ctx.approval, p.index, ids);
      const previous = ctx.sent.authorizationIds[p.index];
      if ((p.action === "keep" || p.action === "update") && previous !== undefined) {
        // A PUT is idempotent: repeating it after a lost answer changes nothing.
        if (p.action === "update")
          await ctx.client.updateAuthorization(
            previous,
            authorizationPutBody(body, toAccloudAuthorization(ctx.sent.approval, p.index, ids)),
          );
        out.push(previous);
      } else {
        out.push(await createOrFindAuthorization(ctx, `${ctx.pushId}:auth:${p.index}`, p.index, body));
      }
    }
  }
  ctx.authorizationIds = out;
  return out;
}

type Revision = {
  revision_group_id: string;
  revision_number: number;
  is_latest_revision?: boolean;
  revision_reasons?: string[] | null;
  revision_comment?: string | null;
};

/**
 * The app's copy of one of ACCloud's revisions (the Revisions panel reads it), as statements that
 * can run as the CTEs of one: the revision's upsert and, for the latest, the others no longer latest.
 */
function revisionWrites(
  db: Db,
  referralId: string,
  r: { referral: TReferralDetail["referral"]; revision?: Revision | null },
  cancelledBy: string | null,
): SQL[] {
  if (!r.revision) return [];
  const values = {
    referralRequestId: referralId,
    revisionGroupId: r.revision.revision_group_id,
    revisionNumber: r.revision.revision_number,
    accloudReferralId: r.referral.id,
    status: r.referral.status,
    isLatest: r.revision.is_latest_revision ?? true,
    reasons: r.revision.revision_reasons ?? [],
    revisionComment: r.revision.revision_comment ?? null,
    cancelReasonCode: r.referral.reason_code ?? null,
    cancelledBy,
    accloudCreatedAt: r.referral.created_at,
  };
  const upsert = db
    .insert(accloudReferralRevisions)
    .values(values)
    .onConflictDoUpdate({
      target: [accloudReferralRevisions.referralRequestId, accloudReferralRevisions.revisionNumber],
      set: { ...values, syncedAt: sql`now()` },
    })
    .getSQL();
  // In one statement the update does not see the upserted row, and does not touch it either.
  const others = sql`update accloud_referral_revisions set is_latest = false where referral_request_id = ${referralId} and revision_number <> ${values.revisionNumber} and is_latest`;
  return values.isLatest ? [upsert, others] : [upsert];
}

/** Records one of ACCloud's revisions now (the agency sync), in one statement. */
export async function recordRevision(
  db: Db,
  referralId: string,
  r: { referral: TReferralDetail["referral"]; revision?: Revision | null },
  cancelledBy: string | null = null,
) {
  const writes = revisionWrites(db, referralId, r, cancelledBy);
  if (writes.length) await db.execute(sql`with ${sql.join(writes.map(asCte), sql`, `)} select 1`);
}

/** A revision a push step made or found: written with the step's record (or before its next call). */
function saveRevision(
  ctx: Ctx,
  r: { referral: TReferralDetail["referral"]; revision?: Revision | null },
  cancelledBy: string | null = null,
) {
  ctx.pendingWrites.push(...revisionWrites(ctx.db, ctx.referralId, r, cancelledBy));
}

function saveReferral(
  ctx: Ctx,
  localKey: string,
  detail: { referral: TReferralDetail["referral"]; revision?: Revision | null },
) {
  const meta = {
    revisionGroupId: detail.revision?.revision_group_id ?? null,
    revisionNumber: detail.revision?.revision_number ?? 1,
  };
  saveLink(ctx, "referral", localKey, detail.referral.id, meta);
  saveLink(ctx, "referral", "latest", detail.referral.id, meta);
  saveRevision(ctx, detail);
  ctx.pendingWrites.push(
    ctx.db
      .update(approvalRevisions)
      .set({ accloudReferralId: detail.referral.id, accloudRevisionNumber: meta.revisionNumber })
      .where(eq(approvalRevisions.id, ctx.revision.id))
      .getSQL(),
  );
}

const caseManagerOf = (a: TApproval) => ({
  name: a.caseManager.name,
  phone_number: a.caseManager.phone ?? null,
  fax_number: a.caseManager.fax ?? null,
  email: a.caseManager.email ?? null,
});

/** All revisions of the referral's group, newest number first. */
async function revisionsOf(ctx: Ctx, groupId: string): Promise<TReferralListItem[]> {
  const all = await ctx.client.listAllReferrals({ revision_group_id: groupId, revisions: "all" });
  return all.sort((a, b) => b.revision.revision_number - a.revision.revision_number);
}

/** Step 4, first approval: create the referral (one live referral per service: a 409 means an earlier create went through). */
async function createReferral(ctx: Ctx): Promise<StepResult> {
  const existing = linked(ctx, "referral", "referral");
  if (existing) return [existing];
  const clientId = clientIdOf(ctx);
  const serviceId = serviceIdOf(ctx);
  const tz = ctx.payload.client.timezone;
  const a = ctx.approval;
  const find = async () => {
    const live = (await ctx.client.listReferralsForService(clientId, serviceId, { revisions: "latest" })).filter(
      (r) => r.referral.status !== "cancelled",
    );
    return live[0] ?? null;
  };
  let found: { referral: TReferralDetail["referral"]; revision?: Revision | null } | null = ctx.fresh
    ? null
    : await find();
  if (!found) {
    try {
      found = await ctx.client.createReferral(serviceId, {
        care_type: a.careType,
        referral_type: "service",
        start_at: localMidnightIso(a.startDate, tz),
        end_at: localMidnightIso(a.endDate, tz),
        supply_persona_id: a.supplyPersonaId,
        authorization_ids: ctx.authorizationIds,
        ...(a.comment ? { comment: a.comment } : {}),
        case_manager: caseManagerOf(a),
      });
    } catch (err) {
      if (isAccloudError(err) && err.isConflict) found = await find();
      if (!found) throw err;
    }
  }
  saveReferral(ctx, "referral", found);
  return [found.referral.id];
}

/**
 * Step 4, update: a new revision from the latest referral id. On a retry, a revision newer than
 * the one this push started from is its own (CSI is the only demand side writing to the group).
 * On a first attempt, ACCloud refusing the id as not the latest means someone else changed the
 * referral: the push stops and says so.
 */
async function updateReferral(ctx: Ctx): Promise<StepResult> {
  const mine = linked(ctx, "referral", `${ctx.pushId}:referral`);
  if (mine) return [mine];
  const base = latestReferral(ctx);
  if (!base?.revisionGroupId)
    throw new PushStoppedError("This referral has no ACCloud revision to update: it was never sent");
  const adopt = async () => {
    const newest = (await revisionsOf(ctx, base.revisionGroupId!))[0];
    return newest && newest.revision.revision_number > base.revisionNumber ? newest : null;
  };
  let found: { referral: TReferralDetail["referral"]; revision?: Revision | null } | null = ctx.fresh
    ? null
    : await adopt();
  if (!found) {
    const a = ctx.approval;
    const tz = ctx.payload.client.timezone;
    try {
      found = await ctx.client.updateReferral(serviceIdOf(ctx), base.id, {
        start_at: localMidnightIso(a.startDate, tz),
        end_at: localMidnightIso(a.endDate, tz),
        revision: { reasons: ctx.revision.reasons, comment: ctx.revision.revisionComment },
        comment: a.comment ?? null,
        authorization_ids: ctx.authorizationIds,
        case_manager: caseManagerOf(a),
      });
    } catch (err) {
      if (isAccloudError(err) && err.isConflict) {
        found = ctx.fresh ? null : await adopt();
        if (!found) {
          throw new PushStoppedError(
            `ACCloud refused the update: revision ${base.revisionNumber} (${base.id}) is not the latest or no longer open. Use "Refresh from ACCloud" to read the referral's revisions, then send the change again.`,
          );
        }
      } else throw err;
    }
  }
  saveReferral(ctx, `${ctx.pushId}:referral`, found);
  return [found.referral.id];
}

/** Step 5: the approved submission's files (or a documents push's own), once each (keyed by sha256), to the latest revision. */
async function stepAttachments(ctx: Ctx): Promise<StepResult> {
  const target = latestReferral(ctx);
  if (!target) throw new PushStoppedError("This referral was never sent: there is nothing to attach documents to");
  const fileIds = ctx.kind === "documents" ? (ctx.input.fileIds ?? []) : null;
  const files = await ctx.db
    .select({
      id: referralFiles.id,
      safeName: referralFiles.safeName,
      contentType: referralFiles.contentType,
      sha256: referralFiles.sha256,
      data: referralFiles.data,
    })
    .from(referralFiles)
    .where(
      fileIds
        ? and(
            eq(referralFiles.referralRequestId, ctx.referralId),
            inArray(referralFiles.id, fileIds.length ? fileIds : ["00000000-0000-0000-0000-000000000000"]),
          )
        : eq(referralFiles.submissionId, ctx.submissionId),
    )
    .orderBy(referralFiles.createdAt, referralFiles.idx);
  const paths: StepResult = [];
  for (const f of files) {
    const key = `file:${f.sha256}`;
    const existing = linked(ctx, "attachment", key);
    if (existing) {
      paths.push(existing);
      continue;
    }
    let filepath: string;
    try {
      filepath = (
        await ctx.client.uploadClientAttachment(target.id, {
          filename: f.safeName,
          contentType: f.contentType,
          data: f.data,
        })
      ).filepath;
    } catch (err) {
      // The same bytes are already attached (an earlier upload whose answer was lost).
      if (!(isAccloudError(err) && err.isConflict)) throw err;
      filepath = `(already attached) ${f.safeName}`;
    }
    saveLink(ctx, "attachment", key, filepath, { name: f.safeName }, f.id);
    paths.push(filepath);
  }
  return paths;
}

/** Step 6, update: the authorizations it replaced or dropped, deleted now that the latest revision no longer carries them. */
async function stepCleanup(ctx: Ctx): Promise<StepResult> {
  const keep = new Set(ctx.authorizationIds);
  const gone: number[] = [];
  for (const id of ctx.sent?.authorizationIds ?? []) {
    if (keep.has(id)) continue;
    try {
      await ctx.client.deleteAuthorization(id);
    } catch (err) {
      // Deleted by an earlier attempt whose answer was lost.
      if (!(isAccloudError(err) && err.isNotFound)) throw err;
    }
    gone.push(id);
  }
  return gone;
}

/** A cancel, from the latest revision; on a retry an already cancelled referral is the earlier attempt's work. */
async function stepCancel(ctx: Ctx): Promise<StepResult> {
  const target = latestReferral(ctx);
  if (!target) throw new PushStoppedError("This referral was never sent: there is nothing to cancel in ACCloud");
  const reasonCode = ctx.input.reasonCode as Parameters<AccloudClient["cancelReferral"]>[1]["reason_code"];
  const cancelled = async () => {
    if (!target.revisionGroupId) return null;
    const latest = (await revisionsOf(ctx, target.revisionGroupId))[0];
    return latest?.referral.status === "cancelled" ? latest : null;
  };
  if (!ctx.fresh) {
    const done = await cancelled();
    if (done) {
      saveRevision(ctx, done, "demand");
      return [done.referral.id];
    }
  }
  try {
    await ctx.client.cancelReferral(target.id, {
      reason_code: reasonCode,
      ...(ctx.input.comment ? { comment: ctx.input.comment } : {}),
    });
  } catch (err) {
    if (!(isAccloudError(err) && err.isConflict)) throw err;
    const done = await cancelled();
    if (!done)
      throw new PushStoppedError(
        `ACCloud refused the cancel: revision ${target.revisionNumber} (${target.id}) is not the latest or cannot be cancelled. Use "Refresh from ACCloud", then cancel again.`,
      );
  }
  const latest = target.revisionGroupId ? (await revisionsOf(ctx, target.revisionGroupId))[0] : null;
  if (latest) saveRevision(ctx, latest, "demand");
  return [target.id];
}

/** Each kind's steps (their order is the vocabulary's, lib/approval/push-steps.ts). */
const STEPS: Record<PushKind, Partial<Record<PushStepName, Step>>> = {
  approve: {
    client: stepClient,
    service: stepService,
    authorizations: stepAuthorizations,
    referral: createReferral,
    attachments: stepAttachments,
  },
  update: {
    client: stepClient,
    service: stepService,
    authorizations: stepAuthorizations,
    referral: updateReferral,
    attachments: stepAttachments,
    cleanup: stepCleanup,
  },
  cancel: { cancel: stepCancel },
  documents: { attachments: stepAttachments },
};

export function stepOf(kind: PushKind, name: PushStepName): Step {
  const step = STEPS[kind][name];
  if (!step) throw new Error(`a ${kind} push has no step ${name}`);
  return step;
}
