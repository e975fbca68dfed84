CREATE TYPE "public"."webhook_target" AS ENUM('helpdesk', 'crm');--> statement-breakpoint
CREATE TABLE "account_health_notices" (
	"account_id" integer PRIMARY KEY NOT NULL,
	"level" "health_level" NOT NULL,
	"as_of" date NOT NULL,
	"notified_at" timestamp with time zone,
	"delivery_id" integer
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] DEFAULT '{tickets}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "target" "webhook_target" DEFAULT 'helpdesk' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "account_id" integer;--> statement-breakpoint
ALTER TABLE "account_health_notices" ADD CONSTRAINT "account_health_notices_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_health_notices" ADD CONSTRAINT "account_health_notices_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scopes_check" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['tickets', 'health']::text[]);