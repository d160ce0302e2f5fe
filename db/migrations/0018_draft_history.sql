-- What reviewers chose, one row per approved referral (db/schema/draft.ts): the draft's history
-- (lib/draft/history/). Filled from the approvals made before this migration: each referral's
-- latest approved revision, keyed by its submission's form values as the label mapping reads them
-- (lib/form/mapping.ts: "Primary insurance name", "Service Requested"; a list value's option name).
CREATE TABLE "approval_choices" (
	"referral_request_id" uuid PRIMARY KEY NOT NULL,
	"approval_revision_id" uuid NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	"agency_org_id" text NOT NULL,
	"client_external_id" integer NOT NULL,
	"insurer_name" text,
	"service_requested" text,
	"care_type" text NOT NULL,
	"service_code_id" integer NOT NULL,
	"funder_id" integer NOT NULL,
	"case_manager" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_choices" ADD CONSTRAINT "approval_choices_referral_request_id_referral_requests_id_fk" FOREIGN KEY ("referral_request_id") REFERENCES "public"."referral_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_choices" ADD CONSTRAINT "approval_choices_approval_revision_id_approval_revisions_id_fk" FOREIGN KEY ("approval_revision_id") REFERENCES "public"."approval_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_choices_insurer" ON "approval_choices" USING btree ("insurer_name","approved_at");--> statement-breakpoint
CREATE INDEX "approval_choices_service" ON "approval_choices" USING btree ("service_requested","approved_at");--> statement-breakpoint
CREATE INDEX "approval_choices_agency" ON "approval_choices" USING btree ("agency_org_id","approved_at");--> statement-breakpoint
CREATE INDEX "approval_choices_client" ON "approval_choices" USING btree ("agency_org_id","client_external_id","approved_at");--> statement-breakpoint
WITH latest AS (
  SELECT DISTINCT ON (r.referral_request_id) r.*
  FROM approval_revisions r
  WHERE r.state = 'approved'
  ORDER BY r.referral_request_id, r.revision DESC
), form_text AS (
  SELECT l.id AS revision_id, lower(regexp_replace(btrim(f->>'field_label'), '\s+', ' ', 'g')) AS label,
    nullif(btrim(CASE jsonb_typeof(f->'field_value')
      WHEN 'object' THEN coalesce(f->'field_value'->'option'->>'name', f->'field_value'->'option'->>'value')
      WHEN 'array' THEN NULL
      ELSE f->>'field_value' END), '') AS value
  FROM latest l
  JOIN referral_submissions s ON s.id = l.submission_id
  CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(s.payload->'form_data'->'fields')
    WHEN 'array' THEN s.payload->'form_data'->'fields' ELSE '[]'::jsonb END) f
)
INSERT INTO "approval_choices" ("referral_request_id", "approval_revision_id", "approved_at", "agency_org_id",
  "client_external_id", "insurer_name", "service_requested", "care_type", "service_code_id", "funder_id", "case_manager")
SELECT l.referral_request_id, l.id, coalesce(l.approved_at, l.updated_at), q.agency_org_id, q.client_external_id,
  (SELECT t.value FROM form_text t WHERE t.revision_id = l.id AND t.label = 'primary insurance name' LIMIT 1),
  (SELECT t.value FROM form_text t WHERE t.revision_id = l.id AND t.label = 'service requested' LIMIT 1),
  l.data->>'careType', (l.data->>'serviceCodeId')::int, (l.data->>'funderId')::int,
  jsonb_strip_nulls(jsonb_build_object(
    'name', coalesce(regexp_replace(btrim(l.data->'caseManager'->>'name'), '\s+', ' ', 'g'), ''),
    'phone', nullif(regexp_replace(btrim(l.data->'caseManager'->>'phone'), '\s+', ' ', 'g'), ''),
    'fax', nullif(regexp_replace(btrim(l.data->'caseManager'->>'fax'), '\s+', ' ', 'g'), ''),
    'email', nullif(regexp_replace(btrim(l.data->'caseManager'->>'email'), '\s+', ' ', 'g'), '')))
FROM latest l
JOIN referral_requests q ON q.id = l.referral_request_id
WHERE l.data->>'careType' IN ('nursing', 'psw') AND l.data->>'serviceCodeId' ~ '^[0-9]+$' AND l.data->>'funderId' ~ '^[0-9]+$';
