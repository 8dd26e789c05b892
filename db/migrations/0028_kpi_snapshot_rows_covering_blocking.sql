DROP INDEX "kpi_snapshot_rows_department_idx";--> statement-breakpoint
DROP INDEX "kpi_snapshot_rows_score_idx";--> statement-breakpoint
CREATE INDEX "kpi_snapshot_rows_department_idx" ON "kpi_snapshot_rows" USING btree ("snapshot_id","department_path","score" DESC NULLS LAST,"name","manager_id","band","blocking");--> statement-breakpoint
CREATE INDEX "kpi_snapshot_rows_score_idx" ON "kpi_snapshot_rows" USING btree ("snapshot_id","score" DESC NULLS LAST,"name","manager_id","band","department_path","blocking");