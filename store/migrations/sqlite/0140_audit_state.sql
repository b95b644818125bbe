-- The audit chain covers the state it protects: an entry carries the
-- digests of the licensing rows its change wrote (audit.go, state.go), hashed
-- into the chain with the rest of the entry.
ALTER TABLE audit_log ADD COLUMN state TEXT;
