-- Possible duplicates (lib/workflow/duplicates.ts). No pairs are backfilled here: names are scored
-- in Node (lib/draft/match.ts), not in SQL. A request stored before this migration gets its pairs
-- when it is next checked: an amendment, or its page opening (lib/referrals/duplicates.ts).
CREATE TABLE "referral_duplicates" (
	"referral_request_id" uuid NOT NULL,
	"other_id" uuid NOT NULL,
	"basis" text NOT NULL,
	"name_score" real NOT NULL,
	"discipline" text,
	"found_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dismissed_at" timestamp with time zone,
	"dismissed_by_id" uuid,
	CONSTRAINT "referral_duplicates_referral_request_id_other_id_pk" PRIMARY KEY("referral_request_id","other_id")
);
--> statement-breakpoint
ALTER TABLE "referral_duplicates" ADD CONSTRAINT "referral_duplicates_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_duplicates" ADD CONSTRAINT "referral_duplicates_other_id_referral_requests_id_fk" FOREIGN KEY ("other_id") REFERENCES "public"."referral_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_duplicates" ADD CONSTRAINT "referral_duplicates_dismissed_by_id_users_id_fk" FOREIGN KEY ("dismissed_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_duplicates_other" ON "referral_duplicates" USING btree ("other_id");--> statement-breakpoint
CREATE INDEX "referral_requests_status_agency_due" ON "referral_requests" USING btree ("status","agency_org_id","sla_due_at","id");--> statement-breakpoint
CREATE INDEX "referral_requests_status_service_due" ON "referral_requests" USING btree ("status","service_requested","sla_due_at","id");--> statement-breakpoint
CREATE INDEX "referral_requests_agency_client" ON "referral_requests" USING btree ("agency_org_id","client_external_id","received_at");--> statement-breakpoint
CREATE INDEX "referral_requests_birthday" ON "referral_requests" USING btree ("client_birthday","received_at") WHERE client_birthday is not null;
