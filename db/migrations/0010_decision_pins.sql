CREATE TYPE "public"."approval_kind" AS ENUM('approve', 'correction', 'update');--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "amended_after_decision_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "decided_submission_id" uuid;--> statement-breakpoint
ALTER TABLE "pushes" ADD COLUMN "retry_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD COLUMN "kind" "approval_kind" DEFAULT 'approve' NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD COLUMN "submission_id" uuid;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD COLUMN "supersedes_id" uuid;--> statement-breakpoint
ALTER TABLE "approval_revisions" ADD CONSTRAINT "approval_revisions_submission_id_referral_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."referral_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_requests_amended_after_decision" ON "referral_requests" USING btree ("received_at","id") WHERE amended_after_decision_at is not null;--> statement-breakpoint
-- Existing decisions: the submission that was the latest when the decision was made.
UPDATE "approval_revisions" ar SET "submission_id" = (
  SELECT s."id" FROM "referral_submissions" s
  WHERE s."referral_request_id" = ar."referral_request_id" AND s."received_at" <= coalesce(ar."approved_at", ar."updated_at")
  ORDER BY s."seq" DESC LIMIT 1
) WHERE ar."state" <> 'draft' AND ar."submission_id" IS NULL;--> statement-breakpoint
UPDATE "referral_requests" r SET "decided_submission_id" = (
  SELECT s."id" FROM "referral_submissions" s
  WHERE s."referral_request_id" = r."id" AND s."received_at" <= r."decided_at"
  ORDER BY s."seq" DESC LIMIT 1
) WHERE r."decided_at" IS NOT NULL AND r."decided_submission_id" IS NULL;
