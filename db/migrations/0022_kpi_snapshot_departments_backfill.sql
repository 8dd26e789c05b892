-- Per-department totals for snapshots published before the table existed (docs/decisions/055);
-- the same statement publishPeriod runs for a new snapshot.
INSERT INTO "kpi_snapshot_departments" ("snapshot_id", "department_path", "managers", "scored", "score_sum", "band_a", "band_b", "band_c", "band_d")
SELECT r."snapshot_id", r."department_path", count(*), count(r."score"), coalesce(sum(r."score"), 0),
  count(*) FILTER (WHERE r."band" = 'A'), count(*) FILTER (WHERE r."band" = 'B'), count(*) FILTER (WHERE r."band" = 'C'), count(*) FILTER (WHERE r."band" = 'D')
FROM "kpi_snapshot_rows" r
GROUP BY r."snapshot_id", r."department_path";
