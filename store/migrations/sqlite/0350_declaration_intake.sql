-- Declaration intake at a million rows a batch (docs/enforcement.md, "How a
-- batch is reconciled"). The foreign keys of declarations were checked
-- with a lookup in three other tables for every row inserted. Intake itself
-- guarantees what they did, in the transaction that writes the rows and
-- under the intake lock: the batch row is inserted first, every declarant
-- is read (and must be in the officer's jurisdiction), every permit matched
-- is read, and organisations and permits are never deleted. A row changed
-- or deleted behind the store's back is still found by `tradeplan audit
-- verify`. SQLite drops a constraint only by building the table again; no
-- table references declarations.
CREATE TABLE declarations_0350 (
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
    loaded_at     TIMESTAMP NOT NULL,
    UNIQUE (number, version)
);

INSERT INTO declarations_0350 SELECT * FROM declarations;
DROP TABLE declarations;
ALTER TABLE declarations_0350 RENAME TO declarations;
CREATE UNIQUE INDEX declarations_one_current ON declarations (number) WHERE is_current;
CREATE INDEX declarations_permit ON declarations (permit_id) WHERE is_current;
-- A batch's declarations are paged through in date and number order.
CREATE INDEX declarations_batch_page ON declarations (batch_id, day, number);
