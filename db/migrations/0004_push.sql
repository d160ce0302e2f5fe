CREATE TYPE "public"."accloud_link_kind" AS ENUM('client', 'service', 'authorization', 'referral', 'attachment');--> statement-breakpoint
CREATE TYPE "public"."approval_state" AS ENUM('draft', 'approved', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."push_kind" AS ENUM('approve', 'update', 'cancel');--> statement-breakpoint
CREATE TYPE "public"."push_status" AS ENUM('queued', 'running', 'retrying', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "accloud_funders" (
	"id" integer PRIMARY KEY NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"code" text,
	"type" text,
	"status" text,
	"organization" text,
	"organization_code" text,
	"branch_id" integer,
	"branch_name" text,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accloud_groups" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"is_disabled" boolean DEFAULT false NOT NULL,
	"branch_id" integer,
	"branch_name" text,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accloud_reference_refreshes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"csi_group_id" integer,
	"counts" jsonb
);
--> statement-breakpoint
CREATE TABLE "accloud_service_codes" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"branch_id" integer,
	"branch_name" text,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accloud_suppliers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accloud_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"kind" "accloud_link_kind" NOT NULL,
	"local_key" text NOT NULL,
	"accloud_id" text NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"referral_file_id" uuid,
	"push_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"state" "approval_state" DEFAULT 'draft' NOT NULL,
	"data" jsonb NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by_id" uuid,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pushes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"approval_revision_id" uuid,
	"kind" "push_kind" DEFAULT 'approve' NOT NULL,
	"status" "push_status" DEFAULT 'queued' NOT NULL,
	"steps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"job_id" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "accloud_links" ADD CONSTRAINT "accloud_links_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accloud_links" ADD CONSTRAINT "accloud_links_referral_file_id_referral_files_id_fk" FOREIGN KEY ("referral_file_id") REFERENCES "public"."referral_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accloud_links" ADD CONSTRAINT "accloud_links_push_id_pushes_id_fk" FOREIGN KEY ("push_id") REFERENCES "public"."pushes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD CONSTRAINT "approval_revisions_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD CONSTRAINT "approval_revisions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD CONSTRAINT "approval_revisions_approved_by_id_users_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pushes" ADD CONSTRAINT "pushes_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pushes" ADD CONSTRAINT "pushes_approval_revision_id_approval_revisions_id_fk" FOREIGN KEY ("approval_revision_id") REFERENCES "public"."approval_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pushes" ADD CONSTRAINT "pushes_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accloud_reference_refreshes_refreshed_at" ON "accloud_reference_refreshes" USING btree ("refreshed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "accloud_links_request_kind_key" ON "accloud_links" USING btree ("referral_request_id","kind","local_key");--> statement-breakpoint
CREATE UNIQUE INDEX "approval_revisions_request_revision" ON "approval_revisions" USING btree ("referral_request_id","revision");--> statement-breakpoint
CREATE INDEX "pushes_request" ON "pushes" USING btree ("referral_request_id","created_at");--> statement-breakpoint
CREATE INDEX "pushes_status" ON "pushes" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pushes_one_open_per_request" ON "pushes" USING btree ("referral_request_id") WHERE status in ('queued', 'running', 'retrying');