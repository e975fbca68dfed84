-- The embedded index is cut and laid out anew (search v2 analysis, prefix terms, the ranking vector
-- `head`, a GIN index per kind and bucket): emptied here, it is rebuilt from the content at the next
-- start (ensureSearchIndex builds an empty index when there is content). Meilisearch does not use
-- this table.
DELETE FROM "search_documents";--> statement-breakpoint
DROP INDEX "search_documents_terms_idx";--> statement-breakpoint
DROP INDEX "search_documents_boost_idx";--> statement-breakpoint
DROP INDEX "search_documents_type_boost_idx";--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "slot" smallint NOT NULL;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "head" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
CREATE INDEX "search_documents_terms_question_0_idx" ON "search_documents" USING gin ("terms") WHERE slot = 0;--> statement-breakpoint
CREATE INDEX "search_documents_terms_question_1_idx" ON "search_documents" USING gin ("terms") WHERE slot = 1;--> statement-breakpoint
CREATE INDEX "search_documents_terms_question_2_idx" ON "search_documents" USING gin ("terms") WHERE slot = 2;--> statement-breakpoint
CREATE INDEX "search_documents_terms_question_3_idx" ON "search_documents" USING gin ("terms") WHERE slot = 3;--> statement-breakpoint
CREATE INDEX "search_documents_terms_article_0_idx" ON "search_documents" USING gin ("terms") WHERE slot = 4;--> statement-breakpoint
CREATE INDEX "search_documents_terms_article_1_idx" ON "search_documents" USING gin ("terms") WHERE slot = 5;--> statement-breakpoint
CREATE INDEX "search_documents_terms_article_2_idx" ON "search_documents" USING gin ("terms") WHERE slot = 6;--> statement-breakpoint
CREATE INDEX "search_documents_terms_article_3_idx" ON "search_documents" USING gin ("terms") WHERE slot = 7;--> statement-breakpoint
CREATE INDEX "search_documents_terms_event_0_idx" ON "search_documents" USING gin ("terms") WHERE slot = 8;--> statement-breakpoint
CREATE INDEX "search_documents_terms_event_1_idx" ON "search_documents" USING gin ("terms") WHERE slot = 9;--> statement-breakpoint
CREATE INDEX "search_documents_terms_event_2_idx" ON "search_documents" USING gin ("terms") WHERE slot = 10;--> statement-breakpoint
CREATE INDEX "search_documents_terms_event_3_idx" ON "search_documents" USING gin ("terms") WHERE slot = 11;--> statement-breakpoint
CREATE INDEX "search_documents_type_boost_idx" ON "search_documents" USING btree ("doc_type","boost" DESC NULLS LAST,"updated_at" DESC NULLS LAST);--> statement-breakpoint
-- A document's terms do not compress (PostgreSQL tries, fails and stores them as they are): not trying
-- saves a fifth of the time an index build spends in the database.
ALTER TABLE "search_documents" ALTER COLUMN "terms" SET STORAGE EXTERNAL;