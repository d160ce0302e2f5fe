CREATE TYPE "public"."actor_type" AS ENUM('user', 'api_client', 'system');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('new', 'in_review', 'pending_info', 'approved', 'pushing', 'sent', 'push_failed', 'rejected', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('reviewer', 'supervisor', 'admin');--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key" text NOT NULL,
	"secret_hash" text NOT NULL,
	"previous_secret_hash" text,
	"previous_secret_expires_at" timestamp with time zone,
	"signing_secret_enc" text,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_clients_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"original_name" text NOT NULL,
	"safe_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" text NOT NULL,
	"request_id_derived" boolean DEFAULT false NOT NULL,
	"status" "referral_status" DEFAULT 'new' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"agency_name" text NOT NULL,
	"agency_host" text NOT NULL,
	"agency_branch_id" integer NOT NULL,
	"agency_org_id" text NOT NULL,
	"agency_timezone" text NOT NULL,
	"client_external_id" integer NOT NULL,
	"client_first_name" text NOT NULL,
	"client_last_name" text NOT NULL,
	"client_birthday" date,
	"client_timezone" text NOT NULL,
	"form_schema_id" text,
	"form_id" integer,
	"form_name" text,
	"service_requested" text,
	"service_start" date,
	"service_end" date,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"latest_submission_id" uuid,
	"submission_count" integer DEFAULT 1 NOT NULL,
	"amended_at" timestamp with time zone,
	"assignee_id" uuid,
	"claimed_at" timestamp with time zone,
	"sla_due_at" timestamp with time zone,
	"sla_paused_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason_code" text,
	"decision_comment" text,
	"pending_info_note" text,
	CONSTRAINT "referral_requests_request_id_unique" UNIQUE("request_id")
);
--> statement-breakpoint
CREATE TABLE "referral_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"content_hash" text NOT NULL,
	"payload" jsonb NOT NULL,
	"api_client_id" uuid,
	"webhook_message_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" NOT NULL,
	"password_hash" text,
	"disabled_at" timestamp with time zone,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "webhook_messages" (
	"api_client_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referral_files" ADD CONSTRAINT "referral_files_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_files" ADD CONSTRAINT "referral_files_submission_id_referral_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."referral_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_submissions" ADD CONSTRAINT "referral_submissions_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_submissions" ADD CONSTRAINT "referral_submissions_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_messages" ADD CONSTRAINT "webhook_messages_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_entity" ON "audit_events" USING btree ("entity_type","entity_id","at");--> statement-breakpoint
CREATE INDEX "audit_events_at" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_files_submission_idx" ON "referral_files" USING btree ("submission_id","idx");--> statement-breakpoint
CREATE INDEX "referral_files_request" ON "referral_files" USING btree ("referral_request_id");--> statement-breakpoint
CREATE INDEX "referral_requests_status_received" ON "referral_requests" USING btree ("status","received_at","id");--> statement-breakpoint
CREATE INDEX "referral_requests_received" ON "referral_requests" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "referral_requests_agency" ON "referral_requests" USING btree ("agency_org_id","received_at");--> statement-breakpoint
CREATE INDEX "referral_requests_assignee" ON "referral_requests" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "referral_requests_client_name" ON "referral_requests" USING btree (lower("client_last_name" || ' ' || "client_first_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "referral_submissions_seq" ON "referral_submissions" USING btree ("referral_request_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_submissions_hash" ON "referral_submissions" USING btree ("referral_request_id","content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_messages_client_msg" ON "webhook_messages" USING btree ("api_client_id","message_id");--> statement-breakpoint
CREATE INDEX "webhook_messages_received" ON "webhook_messages" USING btree ("received_at");