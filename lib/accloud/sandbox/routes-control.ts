/**
 * /__sandbox/*: test control, never part of ACCloud. Fault injection, latency, rules, agency-side
 * actions, state inspection and reset. Guarded by the x-sandbox-key header.
 */
import { CANCEL_REASON_CODES } from "../schemas";
import { pathInt, type Ctx, type RouteDef } from "./context";
import type { FaultRegistry, FaultSpec } from "./faults";
import { isPlainObject, UUID, type Reply } from "./http";
import { authorizationBody, AUTH_COLUMNS, type AuthRow } from "./routes-authorizations";
import type { ReferralRow } from "./routes-market";
import { resolveRules, type SandboxRules } from "./rules";
import { resetToSeed, withTx } from "./store";

export type CallRecord = {
  at: string;
  method: string;
  path: string;
  route: string | null;
  status: number | null;
  fault: string | null;
};

export type SandboxRuntime = {
  faults: FaultRegistry;
  rules: SandboxRules;
  startRules: Partial<SandboxRules>;
  calls: CallRecord[];
};

export function controlRoutes(rt: SandboxRuntime): RouteDef[] {
  const route = (method: string, template: string, handler: (ctx: Ctx) => Promise<Reply>): RouteDef => ({
    method,
    template,
    family: "control",
    handler,
  });

  return [
    route("GET", "/__sandbox/health", async () => ({ status: 200, body: { ok: true } })),

    route("POST", "/__sandbox/reset", async (ctx) => {
      await resetToSeed(ctx.pool);
      rt.faults.clear();
      rt.faults.latencyMs = 0;
      rt.rules = resolveRules(rt.startRules);
      rt.calls.length = 0;
      return { status: 200, body: { ok: true } };
    }),

    route("GET", "/__sandbox/state", async (ctx) => ({ status: 200, body: await readState(ctx) })),

    route("GET", "/__sandbox/faults", async () => ({
      status: 200,
      body: { faults: rt.faults.list(), latencyMs: rt.faults.latencyMs },
    })),
    route("POST", "/__sandbox/faults", async (ctx) => {
      const body = await ctx.jsonObject();
      try {
        return { status: 201, body: rt.faults.add(body as unknown as FaultSpec) };
      } catch (err) {
        return ctx.fail(400, (err as Error).message);
      }
    }),
    route("DELETE", "/__sandbox/faults", async () => {
      rt.faults.clear();
      return { status: 204 };
    }),
    route("DELETE", "/__sandbox/faults/{fault_id}", async (ctx) => {
      if (!rt.faults.remove(ctx.params.fault_id ?? "")) ctx.fail(404, "fault not found");
      return { status: 204 };
    }),

    route("PUT", "/__sandbox/latency", async (ctx) => {
      const body = await ctx.jsonObject();
      const ms = body.latencyMs;
      if (!(Number.isInteger(ms) && (ms as number) >= 0 && (ms as number) <= 60_000))
        ctx.fail(400, "latencyMs must be 0..60000");
      rt.faults.latencyMs = ms as number;
      return { status: 200, body: { latencyMs: rt.faults.latencyMs } };
    }),

    route("GET", "/__sandbox/rules", async () => ({ status: 200, body: rt.rules })),
    route("PATCH", "/__sandbox/rules", async (ctx) => {
      const body = await ctx.jsonObject();
      const unknown = Object.keys(body).filter((k) => !(k in rt.rules));
      if (unknown.length) ctx.fail(400, `unknown rule(s): ${unknown.join(", ")}`);
      try {
        rt.rules = resolveRules({ ...rt.rules, ...(body as Partial<SandboxRules>) });
      } catch (err) {
        ctx.fail(400, (err as Error).message);
      }
      return { status: 200, body: rt.rules };
    }),

    route("GET", "/__sandbox/calls", async () => ({ status: 200, body: { calls: rt.calls } })),
    route("DELETE", "/__sandbox/calls", async () => {
      rt.calls.length = 0;
      return { status: 204 };
    }),

    route("POST", "/__sandbox/referrals/{referral_id}/process", async (ctx) =>
      agencyAction(ctx, async (db, latest) => {
        // Marketplace mark_processed requires `assigned`.
        if (latest.status !== "assigned")
          ctx.fail(409, `Referral in status '${latest.status}' cannot be marked processed.`);
        await db.query("update referrals set status = 'processed', updated_at = clock_timestamp() where id = $1", [
          latest.id,
        ]);
      }),
    ),
    route("POST", "/__sandbox/referrals/{referral_id}/agency-cancel", async (ctx) => {
      const body = await ctx.jsonObject();
      const reason = body.reason_code ?? "other";
      if (!(CANCEL_REASON_CODES as readonly unknown[]).includes(reason))
        ctx.fail(400, "reason_code is not one of the 7 values");
      if (body.comment !== undefined && (typeof body.comment !== "string" || body.comment.length > 1000))
        ctx.fail(400, "comment must be a string of at most 1000 characters");
      return agencyAction(ctx, async (db, latest) => {
        if (latest.status !== "assigned" && latest.status !== "processed")
          ctx.fail(409, `Referral in status '${latest.status}' cannot be cancelled.`);
        await db.query(
          `update referrals set status = 'cancelled', reason_code = $2, cancellation_comment = $3, cancelled_by = 'supply',
           updated_at = clock_timestamp() where id = $1`,
          [latest.id, reason, (body.comment as string | undefined) ?? null],
        );
      });
    }),

    route("POST", "/__sandbox/clients", async (ctx) => {
      // Inserts as-is, bypassing the API rules: for states the API refuses to create (duplicate external ids).
      const body = await ctx.jsonObject();
      const demographics = isPlainObject(body.demographics)
        ? body.demographics
        : { first_name: "Test", last_name: "Client" };
      const inserted = await ctx.pool.query<{ id: number }>(
        "insert into clients (external_id, branch_id, demographics, group_ids) values ($1, $2, $3, $4) returning id",
        [
          typeof body.external_id === "string" ? body.external_id : null,
          Number.isInteger(body.branch_id) ? body.branch_id : 1000,
          demographics,
          [1008],
        ],
      );
      return { status: 201, body: { id: inserted.rows[0]!.id } };
    }),

    route("GET", "/__sandbox/attachments/{attachment_id}/content", async (ctx) => {
      const id = pathInt(ctx.params.attachment_id);
      const row = id
        ? (
            await ctx.pool.query<{ content: Buffer; content_type: string }>(
              "select content, content_type from attachments where id = $1",
              [id],
            )
          ).rows[0]
        : undefined;
      if (!row) return ctx.fail(404, "attachment not found");
      return { status: 200, raw: { contentType: row.content_type, data: row.content } };
    }),
  ];
}

async function agencyAction(
  ctx: Ctx,
  act: (db: import("pg").PoolClient, latest: ReferralRow) => Promise<void>,
): Promise<Reply> {
  const id = ctx.params.referral_id ?? "";
  if (!UUID.test(id)) ctx.fail(404, "referral not found");
  return withTx(ctx.pool, async (db) => {
    const target = (await db.query<ReferralRow>("select * from referrals where id = $1", [id])).rows[0];
    if (!target) return ctx.fail(404, "referral not found");
    const latest = (
      await db.query<ReferralRow>("select * from referrals where revision_group_id = $1 and is_latest for update", [
        target.revision_group_id,
      ])
    ).rows[0]!;
    if (latest.id !== target.id) ctx.fail(409, "Referral is not the latest revision.");
    await act(db, latest);
    return { status: 200, body: { ok: true } };
  });
}

async function readState(ctx: Ctx) {
  const db = ctx.pool;
  const clients = await db.query(
    `select id, external_id, branch_id, status, demographics, language, group_ids, timezone, missing_csi_group, created_at, updated_at
     from clients order by id`,
  );
  const services = await db.query(
    `select id, external_id, name, client_id, service_code_id, funding_methodology, funders, start_date, projected_end_date,
     service_instructions, notes, use_client_address, profile, status, created_at, updated_at from services order by id`,
  );
  const auths = await db.query<AuthRow>(`select ${AUTH_COLUMNS} from authorizations order by id`);
  const referrals = await db.query(
    `select id, revision_group_id, revision_number, is_latest, sequence_id, service_id, client_id, supply_persona_id, care_type,
     referral_type, status, start_at, end_at, comment, case_manager, authorization_ids, revision_reasons, revision_comment,
     reason_code, cancellation_comment, cancelled_by, created_at, updated_at from referrals order by created_at, revision_number`,
  );
  const attachments = await db.query(
    `select id, referral_id, revision_group_id, client_id, filename, content_type, size, sha256, filepath, created_at
     from attachments order by id`,
  );
  const activeAuths = auths.rows.filter((a) => a.deleted_at === null);
  return {
    counts: {
      clients: clients.rowCount ?? 0,
      services: services.rowCount ?? 0,
      authorizations: activeAuths.length,
      deletedAuthorizations: auths.rows.length - activeAuths.length,
      referrals: referrals.rowCount ?? 0,
      referralGroups: new Set(referrals.rows.map((r: { revision_group_id: string }) => r.revision_group_id)).size,
      attachments: attachments.rowCount ?? 0,
    },
    clients: clients.rows,
    services: services.rows,
    authorizations: auths.rows.map((a) => ({ ...authorizationBody(a, true), deleted: a.deleted_at !== null })),
    referrals: referrals.rows,
    attachments: attachments.rows,
  };
}
