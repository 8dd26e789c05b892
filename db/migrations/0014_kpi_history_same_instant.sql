-- Two changes in separate transactions can share a timestamp (PGlite's clock ticks in milliseconds):
-- only a change made in the same transaction as the open stretch rewrites it; any other closes it,
-- at least a microsecond after it began, so every recorded state keeps a non-empty stretch.
CREATE OR REPLACE FUNCTION kpi_sync_org_history(p_user uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cur_dept uuid;
  cur_mgr boolean;
  created timestamptz;
  open_id bigint;
  open_dept uuid;
  open_mgr boolean;
  open_from timestamptz;
  open_xmin text;
  at_time timestamptz;
BEGIN
  SELECT u.department_id, u.created_at, u.active AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'manager')
    INTO cur_dept, created, cur_mgr FROM users u WHERE u.id = p_user;
  IF NOT FOUND THEN RETURN; END IF;
  SELECT h.id, h.department_id, h.is_manager, h.valid_from, h.xmin::text INTO open_id, open_dept, open_mgr, open_from, open_xmin
    FROM org_history h WHERE h.user_id = p_user AND h.valid_to IS NULL ORDER BY h.valid_from DESC LIMIT 1;
  IF open_id IS NULL THEN
    INSERT INTO org_history (user_id, department_id, is_manager, valid_from) VALUES (p_user, cur_dept, cur_mgr, least(created, now()));
  ELSIF open_dept IS DISTINCT FROM cur_dept OR open_mgr <> cur_mgr THEN
    IF open_xmin = (pg_current_xact_id()::text::bigint % 4294967296)::text THEN
      -- Changed again within the same transaction: one state, not a zero-length one.
      UPDATE org_history SET department_id = cur_dept, is_manager = cur_mgr WHERE id = open_id;
    ELSE
      at_time := greatest(now(), open_from + interval '1 microsecond');
      UPDATE org_history SET valid_to = at_time WHERE id = open_id;
      INSERT INTO org_history (user_id, department_id, is_manager, valid_from) VALUES (p_user, cur_dept, cur_mgr, at_time);
    END IF;
  END IF;
END $$;
