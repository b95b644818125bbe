-- Customs declarations (docs/enforcement.md): batches loaded once each, the
-- versions of every declaration (a correction supersedes the version
-- before it: one current version per number), the permit each matched and
-- the rules it breaks, each permit's declared total recomputed from the
-- current versions, and the authority's tolerance per unit.
CREATE TABLE declaration_batches (
    id        TEXT PRIMARY KEY,
    digest    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE declarations (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    batch_id      TEXT NOT NULL REFERENCES declaration_batches (id),
    line_no       INTEGER NOT NULL,
    day           TIMESTAMP NOT NULL,
    declarant     INTEGER NOT NULL REFERENCES organisations (id),
    direction     TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    description   TEXT NOT NULL DEFAULT '',
    hs            TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT '',
    destination   TEXT NOT NULL DEFAULT '',
    partner       TEXT,
    vessel        TEXT,
    crossing      TEXT NOT NULL,
    permit_number TEXT NOT NULL DEFAULT '',
    permit_id     INTEGER REFERENCES permits (id),
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
CREATE UNIQUE INDEX declarations_one_current ON declarations (number) WHERE is_current;
CREATE INDEX declarations_permit ON declarations (permit_id) WHERE is_current;
CREATE INDEX declarations_batch ON declarations (batch_id);

CREATE TABLE permit_declared (
    permit_id  INTEGER PRIMARY KEY REFERENCES permits (id),
    quantity   TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE unit_tolerances (
    unit    TEXT PRIMARY KEY,
    percent TEXT NOT NULL,
    set_by  TEXT NOT NULL,
    set_at  TIMESTAMP NOT NULL
);

-- One row that every intake updates first: batches load one at a time.
CREATE TABLE declaration_intake (
    id INTEGER PRIMARY KEY,
    n  INTEGER NOT NULL
);
INSERT INTO declaration_intake (id, n) VALUES (1, 0);
