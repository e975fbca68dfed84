ALTER TABLE "account_scores" ADD COLUMN "candidate_level" "health_level";--> statement-breakpoint
ALTER TABLE "account_scores" ADD COLUMN "candidate_since" date;