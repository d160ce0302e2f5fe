/**
 * What every step of a push works with (`Ctx`, built by lib/push/run.ts), and how the ACCloud ids
 * it gets back are kept. Every id is saved in accloud_links the moment it returns: a step queues it
 * (saveLink, saveRevision), and it is written before the push's next ACCloud call (the client
 * decorator withLinksSaved) or in the same statement as the step's record (takePending, used by
 * the runner), so a crash or a lost answer never leaves ACCloud holding something the app forgot.
 * The same statements re-read the referral's status and the push's: a push whose referral changed
 * under it (the agency sync cancelled it, the sweeper ended the push) stops (`interruption`).
 */
import { sql, type SQL } from "drizzle-orm";
import type { accloudLinkKind, PushInput, PushKind, ReferralStatus, referralRequests } from "../../db/schema";
import type { AccloudClient } from "../accloud/client";
import type { TApproval } from "../approval/schema";
import type { SentState } from "../approval/sent-state";
import type { Db } from "../db";
import type { TReferralRequest } from "../intake/schema";
import { asCte, revisionWrites, type RevisedReferral } from "./revisions";

/** A step that cannot succeed by trying again: the push ends failed with this message (no retry). */
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
  /** what ACCloud holds now (the approval the last successful approve or update sent): updates compare against it; null for a first approval */
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

/** What a step leaves on its record (accloudIds): the ACCloud ids or paths it made or found. */
export type StepResult = Array<string | number>;
export type Step = (ctx: Ctx) => Promise<StepResult>;

export const linkKey = (kind: string, localKey: string) => `${kind}:${localKey}`;
type LinkKind = (typeof accloudLinkKind.enumValues)[number];

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
export function saveLink(
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

/** A revision a push step made or found: written with the step's record (or before its next call). */
export function saveRevision(ctx: Ctx, r: RevisedReferral, cancelledBy: string | null = null) {
  ctx.pendingWrites.push(...revisionWrites(ctx.db, ctx.referralId, r, cancelledBy));
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

/** The ACCloud id the push has for one of its entities (saved earlier, by this push or a previous one). */
export const linked = (ctx: Ctx, kind: LinkKind, localKey: string) => ctx.links.get(linkKey(kind, localKey));
export const clientIdOf = (ctx: Ctx) => Number(linked(ctx, "client", "client"));
export const serviceIdOf = (ctx: Ctx) => Number(linked(ctx, "service", "service"));

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
