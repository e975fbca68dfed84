CREATE TYPE "public"."health_level" AS ENUM('GOOD', 'NORMAL', 'BAD', 'INSUFFICIENT_DATA');--> statement-breakpoint
CREATE TYPE "public"."member_level" AS ENUM('observer', 'participant', 'contributor', 'champion');--> statement-breakpoint
CREATE TABLE "account_scores" (
	"account_id" integer NOT NULL,
	"as_of" date NOT NULL,
	"level" "health_level" NOT NULL,
	"score" real,
	"coverage" real NOT NULL,
	"tier" "touch_tier" NOT NULL,
	"components" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"change" jsonb,
	"level_since" date NOT NULL,
	"hard_risk" text,
	"play" text NOT NULL,
	"play_reason" jsonb NOT NULL,
	"engagement_points" real NOT NULL,
	"active_members" integer NOT NULL,
	"champions" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_scores_pkey" PRIMARY KEY("account_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "user_scores" (
	"user_id" integer NOT NULL,
	"as_of" date NOT NULL,
	"account_id" integer,
	"points" real NOT NULL,
	"level" "member_level" NOT NULL,
	"components" jsonb NOT NULL,
	"last_active_at" timestamp with time zone,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_scores_pkey" PRIMARY KEY("user_id","as_of")
);
--> statement-breakpoint
ALTER TABLE "account_scores" ADD CONSTRAINT "account_scores_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_scores" ADD CONSTRAINT "user_scores_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_scores" ADD CONSTRAINT "user_scores_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_scores_day_level_idx" ON "account_scores" USING btree ("as_of","level");--> statement-breakpoint
CREATE INDEX "user_scores_day_idx" ON "user_scores" USING btree ("as_of","account_id");