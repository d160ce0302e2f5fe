import type { ChildProcess } from "node:child_process";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, pushes } from "../../db/schema";
import { approveReferral } from "../approval/approve";
import { getDb } from "../db";
import { approvalFor, killGroup, newReferral, setupPushEnvironment, startChildWorker } from "../../test/support/push";

let env: Awaited<ReturnType<typeof setupPushEnvironment>>;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  env = await setupPushEnvironment({ timeoutMs: 5000 });
  workers.push(
    startChildWorker(env.sbx.url, { WORKER_CONCURRENCY: "4", ACCLOUD_TIMEOUT_MS: "5000" }),
    startChildWorker(env.sbx.url, { WORKER_CONCURRENCY: "4", ACCLOUD_TIMEOUT_MS: "5000" }),
  );
});
afterAll(async () => {
  workers.forEach(killGroup);
  await env?.sbx.close();
});

it("two workers and 200 approvals at once: each sent exactly once", { timeout: 180_000 }, async () => {
  const refs = [];
  for (let i = 0; i < 200; i++) refs.push(await newReferral());
  // Reviewers approve in bursts of 20 at a time (the pool has 20 connections; a longer queue
  // would wait past DATABASE_CONNECT_TIMEOUT_MS on a loaded machine and answer "try again").
  const results = [];
  for (let i = 0; i < refs.length; i += 20) {
    results.push(
      ...(await Promise.all(
        refs.slice(i, i + 20).map((ref) =>
          approveReferral(getDb(), env.actor, {
            referralId: ref.id,
            version: ref.version,
            approval: approvalFor(ref),
          }),
        ),
      )),
    );
  }
  expect(results.every((r) => r.status === "success")).toBe(true);
  const ids = refs.map((r) => r.id);

  const deadline = Date.now() + 150_000;
  for (;;) {
    const rows = await getDb()
      .select({ status: pushes.status, n: sql<number>`count(*)::int` })
      .from(pushes)
      .where(inArray(pushes.referralRequestId, ids))
      .groupBy(pushes.status);
    const sent = rows.find((r) => r.status === "sent")?.n ?? 0;
    const failed = rows.find((r) => r.status === "failed")?.n ?? 0;
    expect(failed).toBe(0);
    if (sent === 200) break;
    if (Date.now() > deadline) throw new Error(`only ${sent} of 200 sent`);
    await new Promise((r) => setTimeout(r, 500));
  }

  const state = await env.sbx.control.state();
  const requestIds = new Set(refs.map((r) => r.requestId));
  const services = state.services.filter((s) => s.external_id && requestIds.has(s.external_id));
  expect(services).toHaveLength(200);
  const serviceIds = new Set(services.map((s) => s.id));
  const referrals = state.referrals.filter((r) => serviceIds.has(r.service_id));
  expect(referrals).toHaveLength(200);
  expect(new Set(referrals.map((r) => r.service_id)).size).toBe(200);
  const groups = new Set(referrals.map((r) => r.revision_group_id));
  expect(state.attachments.filter((a) => groups.has(a.revision_group_id))).toHaveLength(200);
  const clients = new Set(services.map((s) => s.client_id));
  expect(state.authorizations.filter((a) => clients.has(a.client_id))).toHaveLength(200);

  const sentAudits = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(sql`${auditEvents.action} = 'push.sent' and ${inArray(auditEvents.entityId, ids)}`);
  expect(sentAudits[0]!.n).toBe(200);
});
