ALTER TABLE "referral_requests" ADD COLUMN "identity_submission_id" uuid;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "different_person_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "continues_id" uuid;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "accloud_client_external_id" text;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_continues_id_referral_requests_id_fk" FOREIGN KEY ("continues_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "referral_requests_continues" ON "referral_requests" USING btree ("continues_id") WHERE continues_id is not null;--> statement-breakpoint
-- Referrals already approved: the person of the submission their first approval pinned (what its push's client step sent).
UPDATE "referral_requests" r SET "identity_submission_id" = (
  SELECT a."submission_id" FROM "approval_revisions" a
  WHERE a."referral_request_id" = r."id" AND a."state" <> 'draft' AND a."kind" = 'approve' AND a."submission_id" IS NOT NULL
  ORDER BY a."revision" LIMIT 1
) WHERE r."identity_submission_id" IS NULL;
