CREATE TYPE "public"."notification_event" AS ENUM('assigned', 'overdue', 'push_failed', 'agency_cancelled', 'review_disagreed');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('queued', 'sent', 'outbox', 'failed');--> statement-breakpoint
CREATE TYPE "public"."second_review_verdict" AS ENUM('agree', 'disagree');--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_id" uuid
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" uuid NOT NULL,
	"event" "notification_event" NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_user_id_event_pk" PRIMARY KEY("user_id","event")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"event" "notification_event" NOT NULL,
	"user_id" uuid NOT NULL,
	"referral_request_id" uuid,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" "notification_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"transport" text,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "second_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"approval_revision_id" uuid NOT NULL,
	"approved_by_id" uuid,
	"sampled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sample_percent" integer NOT NULL,
	"verdict" "second_review_verdict",
	"note" text,
	"reviewed_by_id" uuid,
	"reviewed_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "turnaround_deltas" (
	"week" date NOT NULL,
	"agency_org_id" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" smallint NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "audit_events_at";--> statement-breakpoint
ALTER TABLE "api_clients" ADD COLUMN "previous_signing_secret_enc" text;--> statement-breakpoint
ALTER TABLE "api_clients" ADD COLUMN "previous_signing_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "action_group" text GENERATED ALWAYS AS (case when starts_with(action, 'referral.cancel') or starts_with(action, 'referral.agency_cancel') or starts_with(action, 'push.cancel') or (starts_with(action, 'push.') and (details ->> 'kind') in ('cancel')) then 'cancels' when starts_with(action, 'referral.update') or starts_with(action, 'referral.agency_update') or starts_with(action, 'approval.update') or starts_with(action, 'push.update') or (starts_with(action, 'push.') and (details ->> 'kind') in ('update')) then 'updates' when starts_with(action, 'referral.received') or starts_with(action, 'referral.amended') or starts_with(action, 'referral.agency_') then 'intake' when starts_with(action, 'referral.viewed') or starts_with(action, 'referral.file_') or starts_with(action, 'queue.viewed') or starts_with(action, 'audit.') or starts_with(action, 'dashboard.viewed') then 'views' when starts_with(action, 'referral.claimed') or starts_with(action, 'referral.assigned') or starts_with(action, 'referral.unassigned') then 'claims' when starts_with(action, 'referral.rejected') or starts_with(action, 'referral.pending_info') or starts_with(action, 'referral.reopened') or starts_with(action, 'referral.approved') or starts_with(action, 'referral.amendment_') or starts_with(action, 'approval.') or starts_with(action, 'review.') then 'decisions' when starts_with(action, 'push.') then 'pushes' when starts_with(action, 'auth.') then 'sign-ins' when starts_with(action, 'user.') or starts_with(action, 'settings.') or starts_with(action, 'api_client.') or starts_with(action, 'accloud.') or starts_with(action, 'notification.') then 'admin' else 'other' end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "agency_org_id" text;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "app_settings" ADD CONSTRAINT "app_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_reviews" ADD CONSTRAINT "second_reviews_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_reviews" ADD CONSTRAINT "second_reviews_approval_revision_id_approval_revisions_id_fk" FOREIGN KEY ("approval_revision_id") REFERENCES "public"."approval_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_reviews" ADD CONSTRAINT "second_reviews_approved_by_id_users_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_reviews" ADD CONSTRAINT "second_reviews_reviewed_by_id_users_id_fk" FOREIGN KEY ("reviewed_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_created" ON "notifications" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "notifications_user" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "second_reviews_revision" ON "second_reviews" USING btree ("approval_revision_id");--> statement-breakpoint
CREATE INDEX "second_reviews_request" ON "second_reviews" USING btree ("referral_request_id");--> statement-breakpoint
CREATE INDEX "second_reviews_pending" ON "second_reviews" USING btree ("sampled_at") WHERE verdict is null;--> statement-breakpoint
CREATE INDEX "second_reviews_disagreed" ON "second_reviews" USING btree ("approved_by_id","reviewed_at") WHERE verdict = 'disagree';--> statement-breakpoint
CREATE INDEX "turnaround_deltas_week" ON "turnaround_deltas" USING btree ("week","agency_org_id");--> statement-breakpoint
CREATE INDEX "audit_events_actor" ON "audit_events" USING btree ("actor_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_events_group" ON "audit_events" USING btree ("action_group","at","id");--> statement-breakpoint
CREATE INDEX "audit_events_agency" ON "audit_events" USING btree ("agency_org_id","at","id") WHERE agency_org_id is not null;--> statement-breakpoint
CREATE INDEX "audit_events_at" ON "audit_events" USING btree ("at","id");--> statement-breakpoint
-- custom SQL (not generated by drizzle-kit) --
-- The agency of the referral request an audit record is about, so /audit filters by agency
-- through an index instead of joining a million requests. Filled on insert from the request
-- row (the intake's one-statement insert too: its request row is written before its audit row);
-- an insert that names the agency itself keeps its value.
CREATE OR REPLACE FUNCTION audit_events_set_agency() RETURNS trigger AS $$
BEGIN
  IF NEW.agency_org_id IS NULL AND NEW.entity_type = 'referral_request'
     AND NEW.entity_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
    SELECT r.agency_org_id INTO NEW.agency_org_id FROM referral_requests r WHERE r.id = NEW.entity_id::uuid;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_set_agency BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_set_agency();
--> statement-breakpoint
-- Existing records get their agency once. The append-only trigger is lifted for this statement
-- only: it fills a derived column and changes no recorded fact.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete;
--> statement-breakpoint
UPDATE audit_events a SET agency_org_id = r.agency_org_id
  FROM referral_requests r
  WHERE a.entity_type = 'referral_request' AND a.entity_id = r.id::text AND a.agency_org_id IS NULL;
--> statement-breakpoint
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete;
--> statement-breakpoint
-- Turnaround milestones, kept by PostgreSQL on every status change whoever makes it: the first
-- time a request reached "sent", and when it was cancelled (cleared if it leaves "cancelled").
CREATE OR REPLACE FUNCTION referral_requests_milestones() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'sent' AND NEW.sent_at IS NULL THEN
    NEW.sent_at := now();
  END IF;
  IF NEW.status = 'cancelled' THEN
    NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
  ELSE
    NEW.cancelled_at := NULL;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER referral_requests_milestones BEFORE UPDATE OF status ON referral_requests
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION referral_requests_milestones();
--> statement-breakpoint
UPDATE referral_requests r SET sent_at = p.first_sent
  FROM (SELECT referral_request_id, min(coalesce(finished_at, updated_at)) AS first_sent FROM pushes WHERE status = 'sent' GROUP BY 1) p
  WHERE p.referral_request_id = r.id AND r.sent_at IS NULL;
--> statement-breakpoint
UPDATE referral_requests SET cancelled_at = updated_at WHERE status = 'cancelled' AND cancelled_at IS NULL;
--> statement-breakpoint
-- Turnaround aggregates (turnaround_deltas, read by /dashboard). Each request contributes facts
-- (week, agency, metric, bucket); a statement's trigger writes, per fact, the difference between
-- the facts of its new rows and of its old rows, so an update that changes none of received_at,
-- decided_at, sla_due_at, sent_at, cancelled_at or the agency writes nothing.
-- Weeks start on Monday in the display time zone (lib/referrals/format.ts DISPLAY_TIME_ZONE).
CREATE OR REPLACE FUNCTION turnaround_week(t timestamptz) RETURNS date AS $$
  SELECT date_trunc('week', t AT TIME ZONE 'America/New_York')::date
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
--> statement-breakpoint
-- 0 under a minute; b >= 1 covers [1.05^(b-1), 1.05^b) minutes (5% wide: a percentile read from it is within 5%).
CREATE OR REPLACE FUNCTION turnaround_bucket(d interval) RETURNS smallint AS $$
  SELECT CASE WHEN extract(epoch FROM d) < 60 THEN 0 ELSE (1 + floor(ln(extract(epoch FROM d) / 60) / ln(1.05)))::smallint END
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION turnaround_facts(agency text, received timestamptz, decided timestamptz, due timestamptz, sent timestamptz, cancelled timestamptz)
RETURNS TABLE (week date, agency_org_id text, metric text, bucket smallint) AS $$
  SELECT turnaround_week(received), agency, 'received', 0::smallint
  UNION ALL SELECT turnaround_week(decided), agency, 'decided', turnaround_bucket(decided - received) WHERE decided IS NOT NULL
  UNION ALL SELECT turnaround_week(decided), agency, 'decided_in_sla', 0::smallint WHERE decided IS NOT NULL AND due IS NOT NULL AND decided <= due
  UNION ALL SELECT turnaround_week(sent), agency, 'sent', turnaround_bucket(sent - received) WHERE sent IS NOT NULL
  UNION ALL SELECT turnaround_week(cancelled), agency, 'cancelled', 0::smallint WHERE cancelled IS NOT NULL
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION turnaround_apply_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO turnaround_deltas (week, agency_org_id, metric, bucket, n)
    SELECT f.week, f.agency_org_id, f.metric, f.bucket, count(*)
    FROM new_rows r CROSS JOIN LATERAL turnaround_facts(r.agency_org_id, r.received_at, r.decided_at, r.sla_due_at, r.sent_at, r.cancelled_at) f
    GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION turnaround_apply_update() RETURNS trigger AS $$
BEGIN
  INSERT INTO turnaround_deltas (week, agency_org_id, metric, bucket, n)
    SELECT f.week, f.agency_org_id, f.metric, f.bucket, sum(x.s)
    FROM (
      SELECT -1 AS s, agency_org_id, received_at, decided_at, sla_due_at, sent_at, cancelled_at FROM old_rows
      UNION ALL
      SELECT 1, agency_org_id, received_at, decided_at, sla_due_at, sent_at, cancelled_at FROM new_rows
    ) x CROSS JOIN LATERAL turnaround_facts(x.agency_org_id, x.received_at, x.decided_at, x.sla_due_at, x.sent_at, x.cancelled_at) f
    GROUP BY 1, 2, 3, 4 HAVING sum(x.s) <> 0;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION turnaround_apply_delete() RETURNS trigger AS $$
BEGIN
  INSERT INTO turnaround_deltas (week, agency_org_id, metric, bucket, n)
    SELECT f.week, f.agency_org_id, f.metric, f.bucket, -count(*)
    FROM old_rows r CROSS JOIN LATERAL turnaround_facts(r.agency_org_id, r.received_at, r.decided_at, r.sla_due_at, r.sent_at, r.cancelled_at) f
    GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Folds the deltas into one row per key (safe beside writers: the deletes and the insert are one statement).
CREATE OR REPLACE FUNCTION turnaround_compact() RETURNS void AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(727274003) THEN
    RETURN;
  END IF;
  WITH d AS (DELETE FROM turnaround_deltas RETURNING week, agency_org_id, metric, bucket, n)
  INSERT INTO turnaround_deltas (week, agency_org_id, metric, bucket, n)
    SELECT week, agency_org_id, metric, bucket, sum(n) FROM d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
INSERT INTO turnaround_deltas (week, agency_org_id, metric, bucket, n)
  SELECT f.week, f.agency_org_id, f.metric, f.bucket, count(*)
  FROM referral_requests r CROSS JOIN LATERAL turnaround_facts(r.agency_org_id, r.received_at, r.decided_at, r.sla_due_at, r.sent_at, r.cancelled_at) f
  GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE TRIGGER turnaround_insert AFTER INSERT ON referral_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION turnaround_apply_insert();
--> statement-breakpoint
CREATE TRIGGER turnaround_update AFTER UPDATE ON referral_requests
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION turnaround_apply_update();
--> statement-breakpoint
CREATE TRIGGER turnaround_delete AFTER DELETE ON referral_requests
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION turnaround_apply_delete();
