-- PostgreSQL indexes the audit log's state lists for the row check of
-- store/state_rows.go (redteam wave 7); SQLite reads them with a text
-- search, and has nothing to create.
SELECT 1;
