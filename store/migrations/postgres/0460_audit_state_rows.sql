-- A write that records a protected row again first reads the digest the
-- chain last recorded of it (store/state_rows.go, redteam wave 7): the
-- entries whose state list names the row, found by JSON containment
-- through this index instead of a scan of the whole log. jsonb reads any
-- JSON spelling of a name (escapes) as the same text.
CREATE INDEX audit_log_state_rows ON audit_log USING gin ((state::jsonb) jsonb_path_ops) WHERE state IS NOT NULL;
