-- The rule packs the last re-screening of the permits used (docs/enforcement.md):
-- a server that starts with packs of another digest screens the issued and
-- suspended permits and the open cases again.
CREATE TABLE screening_basis (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    rules_digest TEXT NOT NULL,
    reason       TEXT NOT NULL,
    screened_at  TIMESTAMP NOT NULL
);
