/**
 * The review queue's generated data, for `npm run bench:queue` and `npm run bench:web`: referral
 * requests from 40 agencies for 5 services in every status, received over the last ~81 days (7 s
 * apart at a million, further apart for fewer, so a smaller run has overdue requests too), some
 * claimed by the reviewer, with INSERT … SELECT generate_series (the triggers run as for real
 * inserts: queue counts, turnaround aggregates). Request ids are `bench-<n>`.
 */
import type pg from "pg";

export const SERVICES = ["PT", "OT", "Skilled Nursing", "Infusion Nursing", "Home Health Aide"];

/**
 * `decisions`: decided requests also carry who decided them and when, and sent and cancelled
 * ones their time (bench:web's dashboard reads them); bench:queue's rows leave them empty, as
 * its existing data does.
 */
export async function generateQueueReferrals(
  client: pg.ClientBase,
  opts: { rows: number; reviewerId: string; decisions?: boolean },
): Promise<void> {
  const started = Date.now();
  console.log(`Generating ${opts.rows.toLocaleString("en-US")} referral requests (INSERT … SELECT generate_series)…`);
  await client.query("select setseed(0.42)");
  const stepSeconds = Math.max(7, 7_000_000 / opts.rows);
  await client.query(
    `insert into referral_requests (request_id, status, agency_name, agency_host, agency_branch_id, agency_org_id, agency_timezone,
       client_external_id, client_first_name, client_last_name, client_birthday, client_timezone, form_schema_id, form_name,
       service_requested, service_start, service_end, received_at, updated_at, sla_due_at, sla_paused_at,
       assignee_id, assigned_by_id, claimed_at, decided_at, decided_by_id, sent_at, cancelled_at)
     select 'bench-' || g, s.status, 'Agency ' || a, 'https://bench.example', 1000 + a, md5('agency-' || a)::uuid::text, 'America/New_York',
       g, (array['Maria','James','Linda','Robert','Patricia','Michael','Barbara','David','Susan','Joseph','Karen','Thomas','Nancy','Daniel','Lisa','Paul','Betty','Mark','Sandra','George'])[1 + (r3 * 20)::int % 20],
       (array['Garcia','Johnson','Nguyen','Williams','Brown','Okafor','Miller','Davis','Lopez','Wilson','Anderson','Patel','Moore','Jackson','Martin','Lee','Thompson','White','Harris','Clark'])[1 + (r4 * 20)::int % 20] || ' ' || (g % 997),
       date '1930-01-01' + (g % 25000), 'America/New_York', '89a3b8ba-0009-464b-a2a0-06c49cbcd745', 'CSI New Referral Request',
       ($2::text[])[1 + (r2 * 5)::int % 5], date '2026-01-01' + (g % 300), date '2026-02-01' + (g % 300),
       rec, rec, rec + interval '48 hours',
       case when s.status = 'pending_info' then rec + interval '1 hour' end,
       case when s.status = 'in_review' and g % 3 = 0 then $1::uuid end,
       case when s.status = 'in_review' and g % 3 = 0 then $1::uuid end,
       case when s.status = 'in_review' and g % 3 = 0 then now() end,
       case when $5 and s.status in ('approved','pushing','sent','push_failed','rejected') then rec + (0.2 + r3 * r3 * 96) * interval '1 hour' end,
       case when $5 and s.status in ('approved','pushing','sent','push_failed','rejected') then $1::uuid end,
       case when $5 and s.status = 'sent' then rec + (0.3 + r3 * r3 * 96 + r2) * interval '1 hour' end,
       case when $5 and s.status = 'cancelled' then rec + (1 + r2 * 40) * interval '1 hour' end
     from (select g, random() as r1, random() as r2, random() as r3, random() as r4, (random() * 40)::int % 40 as a,
             now() - g * $4::float8 * interval '1 second' as rec
           from generate_series(1, $3::int) g) x
     cross join lateral (select (array['new','new','new','in_review','pending_info','approved','pushing','sent','sent','sent','push_failed','rejected','cancelled'])[1 + (x.r1 * 13)::int % 13]::referral_status as status) s`,
    [opts.reviewerId, SERVICES, opts.rows, stepSeconds, opts.decisions ?? false],
  );
  await client.query("analyze referral_requests");
  const counts = await client.query<{ n: string }>("select sum(n)::text as n from referral_status_counts");
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s; trigger-kept total: ${counts.rows[0]?.n}`);
}
