/**
 * Generated data for `npm run bench:supervisors`: referral requests with decisions, sends and
 * cancels spread over the last ~80 days (40 agencies), and audit events of every group by a
 * handful of users, both with INSERT … SELECT generate_series (the triggers run as for real
 * inserts: queue counts, turnaround aggregates).
 */
import type pg from "pg";

export async function generateReferrals(client: pg.ClientBase, rows: number, reviewerId: string | null): Promise<void> {
  await client.query("select setseed(0.42)");
  await client.query(
    `insert into referral_requests (request_id, status, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
       client_external_id, client_first_name, client_last_name, client_timezone, form_schema_id, form_name, service_requested,
       received_at, updated_at, sla_due_at, decided_at, decided_by_id, sent_at, cancelled_at)
     select 'bench-' || g, s.status, 'Agency ' || a, 'https://bench.example', 1000 + a, md5('agency-' || a)::uuid::text, 'America/New_York',
       g, 'Bench', 'Client ' || (g % 997), 'America/New_York', '89a3b8ba-0009-464b-a2a0-06c49cbcd745', 'CSI New Referral Request',
       (array['PT','OT','Skilled Nursing','Infusion Nursing','Home Health Aide'])[1 + (r2 * 5)::int % 5],
       rec, rec, rec + interval '48 hours',
       case when s.status in ('approved','pushing','sent','push_failed','rejected') then rec + (0.2 + r3 * r3 * 96) * interval '1 hour' end,
       case when s.status in ('approved','pushing','sent','push_failed','rejected') then $1::uuid end,
       case when s.status = 'sent' then rec + (0.3 + r3 * r3 * 96 + r2) * interval '1 hour' end,
       case when s.status = 'cancelled' then rec + (1 + r2 * 40) * interval '1 hour' end
     from (select g, random() as r1, random() as r2, random() as r3, (random() * 40)::int % 40 as a,
             now() - interval '100 hours' - g * (interval '80 days' / $2::int) as rec
           from generate_series(1, $2::int) g) x
     cross join lateral (select (array['new','new','in_review','pending_info','approved','pushing','sent','sent','sent','sent','push_failed','rejected','cancelled'])[1 + (x.r1 * 13)::int % 13]::referral_status as status) s`,
    [reviewerId, rows],
  );
  await client.query("vacuum analyze referral_requests");
}

/** Audit events over the same ~80 days, each about a generated request (views, claims, decisions, pushes) or a sign-in. */
export async function generateAuditEvents(
  client: pg.ClientBase,
  rows: number,
  referralRows: number,
  users: Array<{ id: string; email: string }>,
): Promise<void> {
  const ids = users.map((u) => u.id);
  const emails = users.map((u) => u.email);
  await client.query("select setseed(0.17)");
  await client.query(
    `insert into audit_events (at, actor_type, actor_id, actor_label, action, entity_type, entity_id, agency_org_id, details)
     select now() - g * (interval '80 days' / $1::int), 'user', ($3::text[])[u], ($4::text[])[u], act,
       case when act like 'auth.%' then 'user' else 'referral_request' end,
       case when act like 'auth.%' then ($3::text[])[u] else r.id::text end,
       case when act like 'auth.%' then null else r.agency_org_id end,
       case act when 'referral.approved' then jsonb_build_object('revision', 1, 'authorizations', 1, 'from', 'in_review', 'to', 'approved')
                when 'referral.rejected' then jsonb_build_object('reasonCode', 'duplicate', 'reason', 'Duplicate request', 'from', 'in_review', 'to', 'rejected')
                when 'push.failed' then jsonb_build_object('error', 'ACCloud answered 503')
                else '{}'::jsonb end
     from (select g, 1 + (random() * (array_length($3::text[], 1) - 1))::int as u, 1 + (random() * ($2::int - 1))::int as k,
             (array['referral.viewed','referral.viewed','referral.viewed','referral.file_viewed','referral.claimed','referral.approved',
                    'referral.rejected','push.started','push.sent','push.failed','auth.signed_in','referral.received'])[1 + (random() * 11)::int] as act
           from generate_series(1, $1::int) g) x
     join referral_requests r on r.request_id = 'bench-' || x.k`,
    [rows, referralRows, ids, emails],
  );
  await client.query("vacuum analyze audit_events");
}
