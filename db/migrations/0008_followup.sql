CREATE TYPE "public"."check_in_status" AS ENUM('planned', 'held', 'missed');--> statement-breakpoint
CREATE TYPE "public"."follow_up_channel" AS ENUM('one_on_one', 'written_update', 'on_site', 'call');--> statement-breakpoint
CREATE TYPE "public"."follow_up_statement" AS ENUM('two_way', 'feedback', 'obstacles', 'autonomy');--> statement-breakpoint
CREATE TABLE "check_in_confirmations" (
	"check_in_id" uuid PRIMARY KEY NOT NULL,
	"employee_id" uuid NOT NULL,
	"manager_id" uuid NOT NULL,
	"happened" boolean NOT NULL,
	"rated_period" date,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_content_readers" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"manager_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"status" "check_in_status" DEFAULT 'planned' NOT NULL,
	"due_on" date NOT NULL,
	"held_on" date,
	"progress" text DEFAULT '' NOT NULL,
	"obstacles" text DEFAULT '' NOT NULL,
	"agreed_actions" text DEFAULT '' NOT NULL,
	"feedback_given" text DEFAULT '' NOT NULL,
	"employee_input" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"logged_at" timestamp with time zone,
	CONSTRAINT "check_ins_held_check" CHECK (("check_ins"."status" = 'held') = ("check_ins"."held_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "follow_up_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"manager_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"frequency_days" integer NOT NULL,
	"channel" "follow_up_channel" NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"calendar_sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "follow_up_plans_frequency_check" CHECK ("follow_up_plans"."frequency_days" between 1 and 366)
);
--> statement-breakpoint
CREATE TABLE "follow_up_rating_periods" (
	"manager_id" uuid NOT NULL,
	"period" date NOT NULL,
	"raters" integer DEFAULT 0 NOT NULL,
	"published_raters" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "follow_up_rating_periods_manager_id_period_pk" PRIMARY KEY("manager_id","period")
);
--> statement-breakpoint
CREATE TABLE "follow_up_rating_tallies" (
	"manager_id" uuid NOT NULL,
	"period" date NOT NULL,
	"statement" "follow_up_statement" NOT NULL,
	"score" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"published_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "follow_up_rating_tallies_manager_id_period_statement_score_pk" PRIMARY KEY("manager_id","period","statement","score"),
	CONSTRAINT "follow_up_rating_tallies_score_check" CHECK ("follow_up_rating_tallies"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "follow_up_team_results" (
	"manager_id" uuid NOT NULL,
	"period" date NOT NULL,
	"value" numeric(12, 2) NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_team_results_manager_id_period_pk" PRIMARY KEY("manager_id","period")
);
--> statement-breakpoint
ALTER TABLE "check_in_confirmations" ADD CONSTRAINT "check_in_confirmations_check_in_id_check_ins_id_fk" FOREIGN KEY ("check_in_id") REFERENCES "public"."check_ins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_confirmations" ADD CONSTRAINT "check_in_confirmations_employee_id_users_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_confirmations" ADD CONSTRAINT "check_in_confirmations_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_content_readers" ADD CONSTRAINT "follow_up_content_readers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_content_readers" ADD CONSTRAINT "follow_up_content_readers_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_plan_id_follow_up_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."follow_up_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_employee_id_users_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_plans" ADD CONSTRAINT "follow_up_plans_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_plans" ADD CONSTRAINT "follow_up_plans_employee_id_users_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_rating_periods" ADD CONSTRAINT "follow_up_rating_periods_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_rating_tallies" ADD CONSTRAINT "follow_up_rating_tallies_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_team_results" ADD CONSTRAINT "follow_up_team_results_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_team_results" ADD CONSTRAINT "follow_up_team_results_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_in_confirmations_employee_idx" ON "check_in_confirmations" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "check_in_confirmations_rating_key" ON "check_in_confirmations" USING btree ("employee_id","manager_id","rated_period") WHERE "check_in_confirmations"."rated_period" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "check_ins_open_key" ON "check_ins" USING btree ("plan_id") WHERE "check_ins"."status" = 'planned';--> statement-breakpoint
CREATE INDEX "check_ins_manager_due_idx" ON "check_ins" USING btree ("manager_id","due_on");--> statement-breakpoint
CREATE INDEX "check_ins_employee_idx" ON "check_ins" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_plans_pair_key" ON "follow_up_plans" USING btree ("manager_id","employee_id");--> statement-breakpoint
CREATE INDEX "follow_up_plans_employee_idx" ON "follow_up_plans" USING btree ("employee_id");