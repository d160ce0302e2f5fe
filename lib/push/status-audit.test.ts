/**
 * Every status change the worker makes (the referral's and the push's) is audited, in the same
 * transaction: the transition path writes the record with the change. Seen from PostgreSQL
 * itself: test triggers log each status change and each audit record with the transaction that
 * made it, and every change must have its record in its own transaction. Covers a push that
 * retries and is sent, and one ACCloud refuses.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultSpec } from "../accloud/sandbox/control";
import { getDb } from "../db";
import { approveAs, newReferral, pushWorkerForFile, stepEndpoints, waitForPush } from "../../test/support/push";

const db = () => getDb();

// The status log's trigger is told which column holds the referral's id.
const TRIGGERS = [
  ["referral_requests", "test_log_status", "after update", "test_log_status('id')"],
  ["pushes", "test_log_status", "after insert or update", "test_log_status('referral_request_id')"],
  ["audit_events", "test_log_audit", "after insert", "test_log_audit()"],
] as const;

beforeAll(async () => {
  await db().execute(
    sql.raw(`
    create table if not exists test_status_log (txid bigint, tbl text, referral_id uuid, old_status text, new_status text);
    create table if not exists test_audit_log (txid bigint, entity_id text, action text, actor_type text);
    create or replace function test_log_status() returns trigger as $$
    begin
      -- On insert OLD is null, so its status is logged as null.
      if tg_op = 'INSERT' or new.status is distinct from old.status then
        insert into test_status_log values (txid_current(), tg_table_name, (to_jsonb(new) ->> tg_argv[0])::uuid, old.status::text, new.status::text);
      end if;
      return new;
    end $$ language plpgsql;
    create or replace function test_log_audit() returns trigger as $$
    begin insert into test_audit_log values (txid_current(), new.entity_id, new.action, new.actor_type::text); return new; end $$ language plpgsql;`),
  );
  // One table's trigger per statement (each its own transaction): other test files write these
  // tables meanwhile, and holding one table's lock while waiting for the next's can deadlock.
  for (const [table, trigger, when, fn] of TRIGGERS) {
    await db().execute(
      sql.raw(
        `drop trigger if exists ${trigger} on ${table}; create trigger ${trigger} ${when} on ${table} for each row execute function ${fn};`,
      ),
    );
  }
});
afterAll(async () => {
  for (const [table, trigger] of TRIGGERS) await db().execute(sql.raw(`drop trigger if exists ${trigger} on ${table}`));
});
// After the triggers' hooks: set up once they exist, and stopped before they are dropped.
const env = pushWorkerForFile();

async function unaudited(referralId: string) {
  const changes = await db().execute<{
    tbl: string;
    old_status: string | null;
    new_status: string;
    audited: boolean;
    actions: string[] | null;
  }>(sql`
    select s.tbl, s.old_status, s.new_status,
      exists (select 1 from test_audit_log a where a.txid = s.txid and a.entity_id = ${referralId}) as audited,
      (select array_agg(a.action) from test_audit_log a where a.txid = s.txid and a.entity_id = ${referralId}) as actions
    from test_status_log s where s.referral_id = ${referralId} order by s.txid`);
  return changes.rows;
}

const SERVICE = stepEndpoints("approve").service;

/** A new referral approved with `fault` armed, its push ended `ends`; and its status changes. */
async function pushedWith(fault: FaultSpec, ends: string) {
  const ref = await newReferral();
  await env.sbx.control.addFault(fault);
  expect((await approveAs(env.actor, ref)).status).toBe("success");
  expect((await waitForPush(ref.id)).status).toBe(ends);
  return { ref, changes: await unaudited(ref.id) };
}

describe("the worker's status changes", () => {
  it("are each audited in the transaction that makes them: a push that retries, then is sent", async () => {
    const { ref, changes } = await pushedWith({ ...SERVICE, kind: "status", status: 503, times: 1 }, "sent");
    const seen = changes.map((c) => `${c.tbl}:${c.old_status ?? ""}>${c.new_status}`);
    // The worker's changes are there (running, retrying, sent; the referral pushing and sent)...
    expect(seen).toEqual(
      expect.arrayContaining([
        "pushes:queued>running",
        "pushes:running>retrying",
        "pushes:running>sent",
        "referral_requests:approved>pushing",
        "referral_requests:pushing>sent",
      ]),
    );
    // ...and none without its audit record.
    expect(changes.filter((c) => !c.audited)).toEqual([]);
    const worker = await db().execute<{ actor_type: string; action: string }>(
      sql`select distinct actor_type, action from test_audit_log where entity_id = ${ref.id} and action like 'push.%' order by action`,
    );
    expect(worker.rows).toEqual([
      { actor_type: "system", action: "push.retrying" },
      { actor_type: "system", action: "push.sent" },
      { actor_type: "system", action: "push.started" },
    ]);
  });

  it("are each audited when ACCloud refuses and the push ends failed", async () => {
    const { changes } = await pushedWith(
      { ...SERVICE, kind: "status", status: 400, body: { code: "400", message: "Refused for the test." }, times: 1 },
      "failed",
    );
    expect(changes.map((c) => `${c.tbl}:${c.old_status ?? ""}>${c.new_status}`)).toEqual(
      expect.arrayContaining(["pushes:running>failed", "referral_requests:pushing>push_failed"]),
    );
    expect(changes.filter((c) => !c.audited)).toEqual([]);
  });
});
