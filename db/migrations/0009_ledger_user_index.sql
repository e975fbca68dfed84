DROP INDEX "activity_events_user_time_idx";--> statement-breakpoint
CREATE INDEX "activity_events_user_time_idx" ON "activity_events" USING btree ("user_id","occurred_at","type");