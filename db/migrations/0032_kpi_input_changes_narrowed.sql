-- Narrower KPI input triggers (docs/decisions/070) on the tables written often for reasons no KPI
-- figure reads: a video's position every few seconds while someone watches, a lesson's reading
-- position and last view, a quiz attempt started, a self-study item opened, a sign-in or a language
-- change. 0027's statement-level trigger fired for every such statement (even an INSERT … ON
-- CONFLICT DO NOTHING that inserted nothing) and kept every preview dirty.
-- - Row-level AFTER triggers with WHEN on the columns the live computation reads (the WHEN is
--   evaluated without calling the function: a position update costs nothing). A row whose
--   "present" column is null is read by no KPI query (every reader filters `completed_at is not
--   null` / `score is not null`), so inserting or deleting one changes nothing either.
--   kpi_input_row_changed adds one change row per table and transaction (a bulk completion adds one,
--   not one per row); a set_config(…, true) flag that ends with the transaction (or its savepoint).
-- - users: statement-level AFTER UPDATE OF the columns the KPI reads.
-- TRUNCATE stays statement-level. preview-triggers.server.test.ts checks, from PostgreSQL's plans of
-- the live computation, that every column read is watched and every "present" filter holds.
CREATE FUNCTION kpi_input_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('kpi_input_changed.' || TG_TABLE_NAME, true) IS DISTINCT FROM 'on' THEN
    INSERT INTO kpi_input_changes (table_name) VALUES (TG_TABLE_NAME);
    PERFORM set_config('kpi_input_changed.' || TG_TABLE_NAME, 'on', true);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER kpi_input_changes ON video_progress;--> statement-breakpoint
CREATE TRIGGER kpi_input_changes AFTER TRUNCATE ON video_progress FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_insert AFTER INSERT ON video_progress FOR EACH ROW
  WHEN (new.completed_at IS NOT NULL) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_update AFTER UPDATE ON video_progress FOR EACH ROW
  WHEN ((old.user_id, old.video_id, old.completed_at) IS DISTINCT FROM (new.user_id, new.video_id, new.completed_at)) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_delete AFTER DELETE ON video_progress FOR EACH ROW
  WHEN (old.completed_at IS NOT NULL) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
DROP TRIGGER kpi_input_changes ON module_progress;--> statement-breakpoint
CREATE TRIGGER kpi_input_changes AFTER TRUNCATE ON module_progress FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_insert AFTER INSERT ON module_progress FOR EACH ROW
  WHEN (new.completed_at IS NOT NULL) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_update AFTER UPDATE ON module_progress FOR EACH ROW
  WHEN ((old.user_id, old.module_id, old.completed_at) IS DISTINCT FROM (new.user_id, new.module_id, new.completed_at)) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_delete AFTER DELETE ON module_progress FOR EACH ROW
  WHEN (old.completed_at IS NOT NULL) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
DROP TRIGGER kpi_input_changes ON quiz_attempts;--> statement-breakpoint
CREATE TRIGGER kpi_input_changes AFTER TRUNCATE ON quiz_attempts FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_insert AFTER INSERT ON quiz_attempts FOR EACH ROW
  WHEN (new.score IS NOT NULL) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_update AFTER UPDATE ON quiz_attempts FOR EACH ROW
  WHEN ((old.user_id, old.module_id, old.score, old.submitted_at) IS DISTINCT FROM (new.user_id, new.module_id, new.score, new.submitted_at)) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_delete AFTER DELETE ON quiz_attempts FOR EACH ROW
  WHEN (old.score IS NOT NULL) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
-- A self-study row without finished_at is read too (coalesce(p.finished_at, …)), so every insert and delete counts.
DROP TRIGGER kpi_input_changes ON roleplay_study_progress;--> statement-breakpoint
CREATE TRIGGER kpi_input_changes AFTER TRUNCATE ON roleplay_study_progress FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_insert AFTER INSERT ON roleplay_study_progress FOR EACH ROW EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_update AFTER UPDATE ON roleplay_study_progress FOR EACH ROW
  WHEN ((old.item_id, old.user_id, old.finished_at) IS DISTINCT FROM (new.item_id, new.user_id, new.finished_at)) EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_delete AFTER DELETE ON roleplay_study_progress FOR EACH ROW EXECUTE FUNCTION kpi_input_row_changed();--> statement-breakpoint
DROP TRIGGER kpi_input_changes ON users;--> statement-breakpoint
CREATE TRIGGER kpi_input_changes AFTER INSERT OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed();--> statement-breakpoint
CREATE TRIGGER kpi_input_changes_update AFTER UPDATE OF id, name, email, employee_number, active, department_id, manager_id ON users FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed();
