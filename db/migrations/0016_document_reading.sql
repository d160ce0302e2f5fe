CREATE TYPE "public"."document_read_method" AS ENUM('text', 'ocr');--> statement-breakpoint
CREATE TYPE "public"."document_reading_state" AS ENUM('read', 'unreadable');--> statement-breakpoint
CREATE TYPE "public"."referral_check_status" AS ENUM('pending', 'done');--> statement-breakpoint
CREATE TABLE "document_pages" (
	"file_id" uuid NOT NULL,
	"page" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"method" "document_read_method" NOT NULL,
	"skew" double precision,
	"words" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"png" "bytea",
	CONSTRAINT "document_pages_file_id_page_pk" PRIMARY KEY("file_id","page")
);
--> statement-breakpoint
CREATE TABLE "document_readings" (
	"file_id" uuid PRIMARY KEY NOT NULL,
	"referral_request_id" uuid NOT NULL,
	"state" "document_reading_state" NOT NULL,
	"method" "document_read_method",
	"pages" integer,
	"reason" text,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	"duration_ms" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_checks" (
	"referral_request_id" uuid PRIMARY KEY NOT NULL,
	"submission_id" uuid,
	"status" "referral_check_status" NOT NULL,
	"file_ids" uuid[] NOT NULL,
	"documents" jsonb NOT NULL,
	"checks" jsonb NOT NULL,
	"order_file_id" uuid,
	"mismatches" integer DEFAULT 0 NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "order_mismatches" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "document_pages" ADD CONSTRAINT "document_pages_file_id_referral_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."referral_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_readings" ADD CONSTRAINT "document_readings_file_id_referral_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."referral_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_readings" ADD CONSTRAINT "document_readings_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_checks" ADD CONSTRAINT "referral_checks_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_checks" ADD CONSTRAINT "referral_checks_submission_id_referral_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."referral_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_readings_request" ON "document_readings" USING btree ("referral_request_id");--> statement-breakpoint
CREATE INDEX "referral_requests_order_mismatch_received" ON "referral_requests" USING btree ("status","received_at","id") WHERE order_mismatches > 0;--> statement-breakpoint
CREATE INDEX "referral_requests_order_mismatch_due" ON "referral_requests" USING btree ("status","sla_due_at","id") WHERE order_mismatches > 0;--> statement-breakpoint
-- Page images are PNG, compressed already: stored out of line without pglz compression.
ALTER TABLE "document_pages" ALTER COLUMN "png" SET STORAGE EXTERNAL;
