-- Declaration intake at a million rows a batch (docs/enforcement.md, "How a
-- batch is reconciled"): UNIQUE (number, version) was an index upkept for
-- every row copied in that no query reads. What it guarded holds without
-- it: batches load one at a time under the intake lock, a new version is
-- the current one's plus one, and declarations_one_current keeps one
-- current version per number.
ALTER TABLE declarations DROP CONSTRAINT IF EXISTS declarations_number_version_key;
