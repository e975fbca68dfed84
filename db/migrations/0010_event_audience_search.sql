ALTER TABLE "search_documents" ADD COLUMN "audience_account_ids" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "audience_tiers" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Restricted events indexed before the audience columns existed are found by staff only until they are
-- indexed again: queue them for the search sync, which re-reads each from the database (either engine).
INSERT INTO "search_outbox" ("doc_type", "doc_id", "op")
  SELECT 'event', "id"::text, 'upsert' FROM "events" WHERE "audience" = 'restricted' AND "status" = 'published';
