CREATE TABLE "kpi_preview_reads" (
	"period_id" uuid PRIMARY KEY NOT NULL,
	"read_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_preview_reads" ADD CONSTRAINT "kpi_preview_reads_period_id_kpi_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."kpi_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Previews that exist already count as read now: kept for a day unless read again (docs/decisions/070).
INSERT INTO "kpi_preview_reads" ("period_id", "read_at") SELECT "period_id", now() FROM "kpi_previews";