-- Custom SQL (docs/decisions/038): moves the frozen evidence of existing snapshots into
-- kpi_snapshot_evidence before the next migration drops the column. Must stay between them.
INSERT INTO "kpi_snapshot_evidence" ("snapshot_id", "manager_id", "evidence")
SELECT "snapshot_id", "manager_id", "evidence" FROM "kpi_snapshot_rows"
ON CONFLICT DO NOTHING;
