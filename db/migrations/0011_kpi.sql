CREATE TYPE "public"."kpi_period_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "kpi_api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"department_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kpi_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"policy" jsonb NOT NULL,
	"cohort_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"course_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "kpi_period_status" DEFAULT 'draft' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_snapshot_rows" (
	"snapshot_id" uuid NOT NULL,
	"manager_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"employee_number" text,
	"department_id" uuid,
	"department_path" text,
	"score" numeric(4, 1),
	"band" text,
	"components" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	CONSTRAINT "kpi_snapshot_rows_snapshot_id_manager_id_pk" PRIMARY KEY("snapshot_id","manager_id")
);
--> statement-breakpoint
CREATE TABLE "kpi_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"reason" text,
	"policy" jsonb NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"department_id" uuid,
	"is_manager" boolean NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "kpi_api_tokens" ADD CONSTRAINT "kpi_api_tokens_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_api_tokens" ADD CONSTRAINT "kpi_api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_periods" ADD CONSTRAINT "kpi_periods_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_snapshot_rows" ADD CONSTRAINT "kpi_snapshot_rows_snapshot_id_kpi_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."kpi_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_snapshot_rows" ADD CONSTRAINT "kpi_snapshot_rows_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_snapshots" ADD CONSTRAINT "kpi_snapshots_period_id_kpi_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."kpi_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_snapshots" ADD CONSTRAINT "kpi_snapshots_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_history" ADD CONSTRAINT "org_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_history" ADD CONSTRAINT "org_history_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_api_tokens_hash_key" ON "kpi_api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_periods_key_key" ON "kpi_periods" USING btree ("key");--> statement-breakpoint
CREATE INDEX "kpi_snapshot_rows_manager_idx" ON "kpi_snapshot_rows" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "kpi_snapshot_rows_department_idx" ON "kpi_snapshot_rows" USING btree ("snapshot_id","department_path");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_snapshots_period_revision_key" ON "kpi_snapshots" USING btree ("period_id","revision");--> statement-breakpoint
CREATE INDEX "org_history_user_idx" ON "org_history" USING btree ("user_id","valid_from");--> statement-breakpoint
CREATE INDEX "org_history_managers_idx" ON "org_history" USING btree ("valid_from") WHERE "org_history"."is_manager";