CREATE TABLE "kpi_snapshot_evidence" (
	"snapshot_id" uuid NOT NULL,
	"manager_id" uuid NOT NULL,
	"evidence" jsonb NOT NULL,
	CONSTRAINT "kpi_snapshot_evidence_snapshot_id_manager_id_pk" PRIMARY KEY("snapshot_id","manager_id")
);
--> statement-breakpoint
DROP INDEX "attendance_user_idx";--> statement-breakpoint
DROP INDEX "invitations_user_idx";--> statement-breakpoint
ALTER TABLE "kpi_snapshot_evidence" ADD CONSTRAINT "kpi_snapshot_evidence_snapshot_id_kpi_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."kpi_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_snapshot_evidence" ADD CONSTRAINT "kpi_snapshot_evidence_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendance_user_session_status_idx" ON "attendance" USING btree ("user_id","session_id","status");--> statement-breakpoint
CREATE INDEX "invitations_user_session_status_idx" ON "invitations" USING btree ("user_id","session_id","status");--> statement-breakpoint
CREATE INDEX "kpi_snapshot_rows_score_idx" ON "kpi_snapshot_rows" USING btree ("snapshot_id","score" DESC NULLS LAST,"name");