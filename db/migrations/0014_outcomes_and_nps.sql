CREATE TYPE "public"."churn_reason" AS ENUM('price', 'budget', 'product_fit', 'competitor', 'low_adoption', 'champion_left', 'support', 'acquired', 'business_closed', 'other');--> statement-breakpoint
CREATE TYPE "public"."account_outcome_kind" AS ENUM('new', 'renewal', 'expansion', 'contraction', 'churn');--> statement-breakpoint
CREATE TYPE "public"."account_outcome_source" AS ENUM('form', 'import', 'api', 'system');--> statement-breakpoint
CREATE TABLE "account_outcomes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "account_outcomes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"account_id" integer NOT NULL,
	"kind" "account_outcome_kind" NOT NULL,
	"effective_on" date NOT NULL,
	"arr_before_minor" bigint NOT NULL,
	"arr_after_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"next_renewal_on" date,
	"reason" "churn_reason",
	"note" text,
	"source" "account_outcome_source" NOT NULL,
	"external_id" text,
	"recorded_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_outcomes_arr_check" CHECK ("account_outcomes"."arr_before_minor" >= 0 and "account_outcomes"."arr_after_minor" >= 0),
	CONSTRAINT "account_outcomes_churn_check" CHECK ("account_outcomes"."kind" <> 'churn' or "account_outcomes"."arr_after_minor" = 0)
);
--> statement-breakpoint
CREATE TABLE "nps_surveys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "nps_surveys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"account_id" integer,
	"quarter" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"score" smallint,
	"comment" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "nps_surveys_score_check" CHECK ("nps_surveys"."score" is null or ("nps_surveys"."score" between 0 and 10))
);
--> statement-breakpoint
CREATE TABLE "survey_opt_outs" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" DROP CONSTRAINT "api_tokens_scopes_check";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "headers" jsonb;--> statement-breakpoint
ALTER TABLE "account_outcomes" ADD CONSTRAINT "account_outcomes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_outcomes" ADD CONSTRAINT "account_outcomes_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_opt_outs" ADD CONSTRAINT "survey_opt_outs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_outcomes_account_idx" ON "account_outcomes" USING btree ("account_id","effective_on");--> statement-breakpoint
CREATE INDEX "account_outcomes_effective_idx" ON "account_outcomes" USING btree ("effective_on","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "account_outcomes_external_key" ON "account_outcomes" USING btree ("account_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nps_surveys_user_quarter_key" ON "nps_surveys" USING btree ("user_id","quarter");--> statement-breakpoint
CREATE INDEX "nps_surveys_account_answered_idx" ON "nps_surveys" USING btree ("account_id","answered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_external_id_key" ON "accounts" USING btree ("external_id");--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scopes_check" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['tickets', 'health', 'crm']::text[]);--> statement-breakpoint
INSERT INTO "account_outcomes" ("account_id", "kind", "effective_on", "arr_before_minor", "arr_after_minor", "currency", "source")
  SELECT "id", 'new', coalesce("contract_start", "created_at"::date), 0, "arr_minor", "arr_currency", 'system' FROM "accounts" WHERE "arr_minor" IS NOT NULL;--> statement-breakpoint
INSERT INTO "account_outcomes" ("account_id", "kind", "effective_on", "arr_before_minor", "arr_after_minor", "currency", "source")
  SELECT "id", 'churn', "churned_at"::date, coalesce("arr_minor", 0), 0, "arr_currency", 'system' FROM "accounts" WHERE "churned_at" IS NOT NULL;--> statement-breakpoint
UPDATE "accounts" SET "arr_minor" = 0 WHERE "churned_at" IS NOT NULL AND "arr_minor" IS NOT NULL;
