-- unmarked_invitations (docs/decisions/069): the (session, person) pairs invited or accepted with no
-- attendance record, kept by statement-level triggers on invitations and attendance (one set-based
-- statement per write, whatever its number of rows: an invitation of 100,000 people or "all
-- present" stays one insert/delete). A pair enters when it becomes expected without a mark, and
-- leaves when it is marked, stops being expected or is removed. Two writers racing may leave a pair
-- that was marked meanwhile; readers check attendance and the invitation again, so an extra pair
-- costs a probe and never shows. The homes' "still unmarked" panels read this small set instead of
-- anti-joining every invitation ever sent with every attendance record.
CREATE FUNCTION unmarked_invitations_invited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unmarked_invitations (session_id, user_id)
  SELECT n.session_id, n.user_id FROM new_invitations n
  WHERE n.status IN ('invited', 'accepted')
    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = n.session_id AND a.user_id = n.user_id)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION unmarked_invitations_answered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- No longer expected (declined, wait-listed): the pair leaves.
  DELETE FROM unmarked_invitations u USING old_invitations o
  WHERE u.session_id = o.session_id AND u.user_id = o.user_id
    AND NOT EXISTS (SELECT 1 FROM new_invitations n WHERE n.session_id = o.session_id AND n.user_id = o.user_id AND n.status IN ('invited', 'accepted'));
  -- Expected now and not before (accepted from the wait-list, invited again): it enters unless marked.
  INSERT INTO unmarked_invitations (session_id, user_id)
  SELECT n.session_id, n.user_id FROM new_invitations n
  WHERE n.status IN ('invited', 'accepted')
    AND NOT EXISTS (SELECT 1 FROM old_invitations o WHERE o.session_id = n.session_id AND o.user_id = n.user_id AND o.status IN ('invited', 'accepted'))
    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = n.session_id AND a.user_id = n.user_id)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION unmarked_invitations_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM unmarked_invitations u USING old_invitations o WHERE u.session_id = o.session_id AND u.user_id = o.user_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION unmarked_invitations_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM unmarked_invitations u USING new_attendance n WHERE u.session_id = n.session_id AND u.user_id = n.user_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION unmarked_invitations_unmarked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A record deleted: its expected invitation is unmarked again.
  INSERT INTO unmarked_invitations (session_id, user_id)
  SELECT o.session_id, o.user_id FROM old_attendance o
  WHERE NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = o.session_id AND a.user_id = o.user_id)
    AND EXISTS (SELECT 1 FROM invitations i WHERE i.session_id = o.session_id AND i.user_id = o.user_id AND i.status IN ('invited', 'accepted'))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION unmarked_invitations_remarked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A status changed (the usual update) leaves the set as it was; a record moved to another pair
  -- marks the new one and unmarks the old one.
  DELETE FROM unmarked_invitations u USING new_attendance n WHERE u.session_id = n.session_id AND u.user_id = n.user_id;
  INSERT INTO unmarked_invitations (session_id, user_id)
  SELECT o.session_id, o.user_id FROM old_attendance o
  WHERE NOT EXISTS (SELECT 1 FROM new_attendance n WHERE n.session_id = o.session_id AND n.user_id = o.user_id)
    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = o.session_id AND a.user_id = o.user_id)
    AND EXISTS (SELECT 1 FROM invitations i WHERE i.session_id = o.session_id AND i.user_id = o.user_id AND i.status IN ('invited', 'accepted'))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION unmarked_invitations_rebuilt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM unmarked_invitations;
  INSERT INTO unmarked_invitations (session_id, user_id)
  SELECT i.session_id, i.user_id FROM invitations i
  WHERE i.status IN ('invited', 'accepted')
    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = i.session_id AND a.user_id = i.user_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_insert AFTER INSERT ON invitations REFERENCING NEW TABLE AS new_invitations FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_invited();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_update AFTER UPDATE ON invitations REFERENCING OLD TABLE AS old_invitations NEW TABLE AS new_invitations FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_answered();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_delete AFTER DELETE ON invitations REFERENCING OLD TABLE AS old_invitations FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_removed();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_truncate AFTER TRUNCATE ON invitations FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_rebuilt();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_insert AFTER INSERT ON attendance REFERENCING NEW TABLE AS new_attendance FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_marked();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_update AFTER UPDATE ON attendance REFERENCING OLD TABLE AS old_attendance NEW TABLE AS new_attendance FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_remarked();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_delete AFTER DELETE ON attendance REFERENCING OLD TABLE AS old_attendance FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_unmarked();
--> statement-breakpoint
CREATE TRIGGER unmarked_invitations_truncate AFTER TRUNCATE ON attendance FOR EACH STATEMENT EXECUTE FUNCTION unmarked_invitations_rebuilt();
--> statement-breakpoint
-- The pairs unmarked today. Same transaction as the triggers, whose locks hold writers until it
-- commits: no write falls between this copy and the triggers.
INSERT INTO unmarked_invitations (session_id, user_id)
SELECT i.session_id, i.user_id FROM invitations i
WHERE i.status IN ('invited', 'accepted')
  AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = i.session_id AND a.user_id = i.user_id)
ON CONFLICT DO NOTHING;
