ALTER TABLE "referral_status_counts" DROP CONSTRAINT "referral_status_counts_status_agency_org_id_service_requested_pk";--> statement-breakpoint
-- Counts become insert-only deltas: concurrent deliveries for one agency and service no longer
-- queue behind one counter row's lock until their transactions commit.
-- referral_counts_compact() folds the deltas (safe to run concurrently with writers).
CREATE OR REPLACE FUNCTION referral_counts_apply_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO referral_status_counts (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, coalesce(service_requested, ''), count(*) FROM new_rows GROUP BY 1, 2, 3;
  -- Only a new or renamed agency is written (no row lock in the common case).
  INSERT INTO referral_agencies AS a (org_id, name)
    SELECT DISTINCT ON (agency_org_id) agency_org_id, agency_name FROM new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM referral_agencies x WHERE x.org_id = n.agency_org_id AND x.name = n.agency_name)
    ORDER BY agency_org_id
  ON CONFLICT (org_id) DO UPDATE SET name = excluded.name;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION referral_counts_apply_update() RETURNS trigger AS $$
BEGIN
  INSERT INTO referral_status_counts (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, s, sum(n) FROM (
      SELECT status, agency_org_id, coalesce(service_requested, '') AS s, -count(*) AS n FROM old_rows GROUP BY 1, 2, 3
      UNION ALL
      SELECT status, agency_org_id, coalesce(service_requested, '') AS s, count(*) AS n FROM new_rows GROUP BY 1, 2, 3
    ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
  INSERT INTO referral_agencies AS a (org_id, name)
    SELECT DISTINCT ON (agency_org_id) agency_org_id, agency_name FROM new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM referral_agencies x WHERE x.org_id = n.agency_org_id AND x.name = n.agency_name)
    ORDER BY agency_org_id
  ON CONFLICT (org_id) DO UPDATE SET name = excluded.name;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION referral_counts_apply_delete() RETURNS trigger AS $$
BEGIN
  INSERT INTO referral_status_counts (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, coalesce(service_requested, ''), -count(*) FROM old_rows GROUP BY 1, 2, 3;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION referral_counts_compact() RETURNS void AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(727274002) THEN
    RETURN;
  END IF;
  WITH d AS (DELETE FROM referral_status_counts RETURNING status, agency_org_id, service_requested, n)
  INSERT INTO referral_status_counts (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, service_requested, sum(n) FROM d GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT referral_counts_compact();
