CREATE TABLE "kpi_snapshot_departments" (
	"snapshot_id" uuid NOT NULL,
	"department_path" text,
	"managers" integer NOT NULL,
	"scored" integer NOT NULL,
	"score_sum" numeric NOT NULL,
	"band_a" integer NOT NULL,
	"band_b" integer NOT NULL,
	"band_c" integer NOT NULL,
	"band_d" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_snapshot_departments" ADD CONSTRAINT "kpi_snapshot_departments_snapshot_id_kpi_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."kpi_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_snapshot_departments_idx" ON "kpi_snapshot_departments" USING btree ("snapshot_id","department_path");