-- Declaration intake at a million rows a batch (docs/enforcement.md, "How a
-- batch is reconciled"): UNIQUE (number, version) was an index upkept for
-- every row inserted that no query reads. What it guarded holds without
-- it: batches load one at a time under the intake lock, a new version is
-- the current one's plus one, and declarations_one_current keeps one
-- current version per number. SQLite drops a constraint only by building
-- the table again, with the same columns (the audit chain's digests of the
-- rows do not change); no table references declarations.
CREATE TABLE declarations_0420 (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    batch_id      TEXT NOT NULL,
    line_no       INTEGER NOT NULL,
    day           TIMESTAMP NOT NULL,
    declarant     INTEGER NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    description   TEXT NOT NULL DEFAULT '',
    hs            TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT '',
    destination   TEXT NOT NULL DEFAULT '',
    partner       TEXT,
    vessel        TEXT,
    crossing      TEXT NOT NULL,
    permit_number TEXT NOT NULL DEFAULT '',
    permit_id     INTEGER,
    matched       TEXT NOT NULL DEFAULT '',
    quantity      TEXT NOT NULL,
    unit          TEXT NOT NULL,
    val           TEXT NOT NULL,
    currency      TEXT NOT NULL DEFAULT '',
    counted       INTEGER NOT NULL DEFAULT 0,
    flags         TEXT NOT NULL DEFAULT '[]',
    is_current    INTEGER NOT NULL DEFAULT 1,
    loaded_by     TEXT NOT NULL,
    loaded_at     TIMESTAMP NOT NULL
);

INSERT INTO declarations_0420 SELECT * FROM declarations;
DROP TABLE declarations;
ALTER TABLE declarations_0420 RENAME TO declarations;
CREATE UNIQUE INDEX declarations_one_current ON declarations (number) WHERE is_current;
CREATE INDEX declarations_permit ON declarations (permit_id) WHERE is_current;
CREATE INDEX declarations_batch_page ON declarations (batch_id, day, number);
