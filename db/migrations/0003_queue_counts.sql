-- Queue tab counts and the agency list, kept by statement-level triggers with transition
-- tables: one INSERT ... SELECT of a million rows costs one grouped upsert, not a million.
-- Rows are upserted in key order so concurrent statements lock counters in the same order.
CREATE OR REPLACE FUNCTION referral_counts_apply_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO referral_status_counts AS c (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, coalesce(service_requested, ''), count(*)
    FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (status, agency_org_id, service_requested) DO UPDATE SET n = c.n + excluded.n;
  INSERT INTO referral_agencies AS a (org_id, name)
    SELECT DISTINCT ON (agency_org_id) agency_org_id, agency_name FROM new_rows ORDER BY agency_org_id
  ON CONFLICT (org_id) DO UPDATE SET name = excluded.name WHERE a.name IS DISTINCT FROM excluded.name;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION referral_counts_apply_update() RETURNS trigger AS $$
BEGIN
  INSERT INTO referral_status_counts AS c (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, s, sum(n) FROM (
      SELECT status, agency_org_id, coalesce(service_requested, '') AS s, -count(*) AS n FROM old_rows GROUP BY 1, 2, 3
      UNION ALL
      SELECT status, agency_org_id, coalesce(service_requested, '') AS s, count(*) AS n FROM new_rows GROUP BY 1, 2, 3
    ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (status, agency_org_id, service_requested) DO UPDATE SET n = c.n + excluded.n;
  INSERT INTO referral_agencies AS a (org_id, name)
    SELECT DISTINCT ON (agency_org_id) agency_org_id, agency_name FROM new_rows ORDER BY agency_org_id
  ON CONFLICT (org_id) DO UPDATE SET name = excluded.name WHERE a.name IS DISTINCT FROM excluded.name;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION referral_counts_apply_delete() RETURNS trigger AS $$
BEGIN
  INSERT INTO referral_status_counts AS c (status, agency_org_id, service_requested, n)
    SELECT status, agency_org_id, coalesce(service_requested, ''), -count(*)
    FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (status, agency_org_id, service_requested) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER referral_counts_insert AFTER INSERT ON referral_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION referral_counts_apply_insert();
--> statement-breakpoint
CREATE TRIGGER referral_counts_update AFTER UPDATE ON referral_requests
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION referral_counts_apply_update();
--> statement-breakpoint
CREATE TRIGGER referral_counts_delete AFTER DELETE ON referral_requests
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION referral_counts_apply_delete();
--> statement-breakpoint
-- Rows that existed before the triggers.
INSERT INTO referral_status_counts (status, agency_org_id, service_requested, n)
  SELECT status, agency_org_id, coalesce(service_requested, ''), count(*) FROM referral_requests GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO referral_agencies (org_id, name)
  SELECT DISTINCT ON (agency_org_id) agency_org_id, agency_name FROM referral_requests ORDER BY agency_org_id, received_at DESC;
--> statement-breakpoint
-- Prefix search (client name either way round, request id) whatever the database's collation.
CREATE INDEX referral_requests_name_prefix ON referral_requests ((lower(client_last_name || ' ' || client_first_name)) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX referral_requests_name_prefix_first ON referral_requests ((lower(client_first_name || ' ' || client_last_name)) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX referral_requests_request_id_prefix ON referral_requests (request_id text_pattern_ops);
--> statement-breakpoint
-- The default rejection reasons; admins edit the list on the admin page.
INSERT INTO decision_reasons (code, label, sort) VALUES
  ('incomplete_documentation', 'Incomplete or missing documentation', 10),
  ('physician_order_invalid', 'Physician order missing, unsigned or expired', 20),
  ('not_eligible', 'Client not eligible for the requested service', 30),
  ('insurance_not_covered', 'Insurance does not cover the service', 40),
  ('out_of_area', 'Client outside the service area', 50),
  ('duplicate', 'Duplicate of another referral request', 60),
  ('other', 'Other (explain in the comment)', 1000)
ON CONFLICT (code) DO NOTHING;
