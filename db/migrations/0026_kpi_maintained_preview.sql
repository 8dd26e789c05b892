CREATE TYPE "public"."kpi_snapshot_kind" AS ENUM('published', 'preview');--> statement-breakpoint
CREATE TABLE "kpi_input_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_previews" (
	"period_id" uuid PRIMARY KEY NOT NULL,
	"snapshot_id" uuid NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"stale_at" timestamp with time zone,
	"took_ms" integer DEFAULT 0 NOT NULL,
	"blockers" jsonb NOT NULL,
	"managers" integer NOT NULL,
	"unscored" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_snapshot_departments" ADD COLUMN "blocking" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_snapshot_rows" ADD COLUMN "blocking" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_snapshots" ADD COLUMN "kind" "kpi_snapshot_kind" DEFAULT 'published' NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_previews" ADD CONSTRAINT "kpi_previews_period_id_kpi_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."kpi_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_previews" ADD CONSTRAINT "kpi_previews_snapshot_id_kpi_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."kpi_snapshots"("id") ON DELETE no action ON UPDATE no action;