-- Effective-dated manager/department history for KPIs (docs/decisions/021-kpi-effective-dates.md).
-- Triggers keep it, so every write path (forms, import, scripts) records it.
CREATE OR REPLACE FUNCTION kpi_sync_org_history(p_user uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cur_dept uuid;
  cur_mgr boolean;
  created timestamptz;
  open_id bigint;
  open_dept uuid;
  open_mgr boolean;
  open_from timestamptz;
BEGIN
  SELECT u.department_id, u.created_at, u.active AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'manager')
    INTO cur_dept, created, cur_mgr FROM users u WHERE u.id = p_user;
  IF NOT FOUND THEN RETURN; END IF;
  SELECT h.id, h.department_id, h.is_manager, h.valid_from INTO open_id, open_dept, open_mgr, open_from
    FROM org_history h WHERE h.user_id = p_user AND h.valid_to IS NULL ORDER BY h.valid_from DESC LIMIT 1;
  IF open_id IS NULL THEN
    INSERT INTO org_history (user_id, department_id, is_manager, valid_from) VALUES (p_user, cur_dept, cur_mgr, least(created, now()));
  ELSIF open_dept IS DISTINCT FROM cur_dept OR open_mgr <> cur_mgr THEN
    IF open_from >= now() THEN
      -- Changed again within the same transaction: one state, not a zero-length one.
      UPDATE org_history SET department_id = cur_dept, is_manager = cur_mgr WHERE id = open_id;
    ELSE
      UPDATE org_history SET valid_to = now() WHERE id = open_id;
      INSERT INTO org_history (user_id, department_id, is_manager, valid_from) VALUES (p_user, cur_dept, cur_mgr, now());
    END IF;
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_users_history_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpi_sync_org_history(NEW.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_roles_history_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.role = 'manager' THEN PERFORM kpi_sync_org_history(OLD.user_id); END IF;
  ELSIF NEW.role = 'manager' THEN
    PERFORM kpi_sync_org_history(NEW.user_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_kpi_history AFTER INSERT OR UPDATE OF department_id, active ON users FOR EACH ROW EXECUTE FUNCTION kpi_users_history_trigger();
--> statement-breakpoint
CREATE TRIGGER user_roles_kpi_history AFTER INSERT OR DELETE ON user_roles FOR EACH ROW EXECUTE FUNCTION kpi_roles_history_trigger();
--> statement-breakpoint
INSERT INTO org_history (user_id, department_id, is_manager, valid_from)
SELECT u.id, u.department_id, u.active AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'manager'), u.created_at FROM users u;
