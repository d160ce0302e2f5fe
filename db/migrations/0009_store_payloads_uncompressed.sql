-- Submitted payloads (a few KB of JSON) and files (PDFs and images, already compressed) are
-- stored out of line without pglz compression: compressing them cost PostgreSQL more CPU per
-- webhook delivery than any index, and saved little on files. Applies to rows written from now.
ALTER TABLE "referral_submissions" ALTER COLUMN "payload" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "referral_files" ALTER COLUMN "data" SET STORAGE EXTERNAL;
