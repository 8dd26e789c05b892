-- The maintained KPI preview (docs/decisions/067): every statement that changes a table the live KPI
-- computation reads records one row in kpi_input_changes, so no write path can forget to make the
-- preview dirty. Statement-level (one row per statement, not per row) and insert-only (no shared
-- counter row to lock: a check-in burst does not queue on it). The refresh deletes the rows its
-- REPEATABLE READ snapshot sees; a row committed later stays, and the preview stays dirty.
-- The list is what PostgreSQL's plans of the live computation read, with every component enabled;
-- app/modules/kpi/preview-triggers.server.test.ts fails when a component reads a table not listed.
CREATE FUNCTION kpi_input_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_input_changes (table_name) VALUES (TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'kpi_periods', 'org_history', 'users', 'departments',
    'sessions', 'invitations', 'attendance', 'survey_participants',
    'courses', 'course_modules', 'enrolments', 'module_progress', 'quiz_attempts', 'video_progress',
    'cases', 'group_assignments', 'study_group_members', 'rubrics', 'grades', 'submission_versions', 'contribution_ratings', 'peer_ratings',
    'roleplay_assignments', 'roleplay_recordings', 'roleplay_reviews', 'roleplay_scenarios', 'roleplay_study_items', 'roleplay_study_progress',
    'check_ins', 'check_in_confirmations', 'follow_up_plans', 'follow_up_rating_periods', 'follow_up_rating_tallies'
  ] LOOP
    EXECUTE format('CREATE TRIGGER kpi_input_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION kpi_input_changed()', t);
  END LOOP;
END $$;
