-- The content hash of a submission is computed by PostgreSQL from the stored jsonb: its text form
-- is canonical (keys sorted, whitespace fixed), so a redelivery with other key order or spacing
-- hashes the same, and the webhook no longer builds a canonical JSON string per request.
-- IMMUTABLE holds: the database encoding (UTF8) is fixed at initdb.
CREATE OR REPLACE FUNCTION referral_payload_hash(payload jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT encode(sha256(convert_to(payload::text, 'UTF8')), 'hex') $$;--> statement-breakpoint
UPDATE referral_submissions SET content_hash = referral_payload_hash(payload);
