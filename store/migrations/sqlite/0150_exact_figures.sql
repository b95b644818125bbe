-- Exact figures (docs/quantities.md): every quantity, value, cap and use
-- is stored as the text of its exact decimal, in a column of TEXT affinity
-- (SQLite has no exact NUMERIC: a NUMERIC column would turn the text back
-- into a float). Go reads, sums and compares the figures; SQL only stores
-- them, so the checks below compare approximations and are a last guard.
-- tp_decimal (store_sqlite.go) writes a stored float as the shortest
-- decimal that reads back as the same float: nothing is lost, and
-- 222693.7 stays 222693.7.
--
-- SQLite cannot change a column's type: each table is rebuilt. A table
-- referenced by another is renamed into place after its dependants are
-- rebuilt, so that the rename carries their references with it.

CREATE TABLE line_decisions_new (
    plan_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    line_no      INTEGER NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('approve', 'refuse')),
    quantity     TEXT NOT NULL,
    val          TEXT NOT NULL,
    reduced      INTEGER NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL CHECK (reason <> ''),
    citations    TEXT NOT NULL DEFAULT '[]',
    permit_id    INTEGER,
    carried_from INTEGER NOT NULL DEFAULT 0,
    decided_by   TEXT NOT NULL,
    decided_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version, line_no),
    FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version)
);
INSERT INTO line_decisions_new (plan_id, version, line_no, decision, quantity, val, reduced, reason, citations, permit_id, carried_from, decided_by, decided_at)
    SELECT plan_id, version, line_no, decision, tp_decimal(quantity), tp_decimal(val), reduced, reason, citations, permit_id, carried_from, decided_by, decided_at FROM line_decisions;

CREATE TABLE permits_new (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    holder        INTEGER NOT NULL REFERENCES organisations (id),
    call_id       INTEGER NOT NULL REFERENCES calls (id),
    plan_id       INTEGER NOT NULL REFERENCES plans (id),
    plan_version  INTEGER NOT NULL,
    line_no       INTEGER NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    description   TEXT NOT NULL,
    hs            TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT '',
    destination   TEXT NOT NULL DEFAULT '',
    partner       TEXT,
    crossing      TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL,
    currency      TEXT NOT NULL DEFAULT '',
    quantity      TEXT NOT NULL CHECK (CAST(quantity AS REAL) > 0),
    val           TEXT NOT NULL CHECK (CAST(val AS REAL) >= 0),
    quantity_used TEXT NOT NULL DEFAULT '0' CHECK (CAST(quantity_used AS REAL) >= 0 AND CAST(quantity_used AS REAL) <= CAST(quantity AS REAL)),
    value_used    TEXT NOT NULL DEFAULT '0' CHECK (CAST(value_used AS REAL) >= 0),
    valid_from    TIMESTAMP NOT NULL,
    valid_to      TIMESTAMP NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('issued', 'suspended', 'revoked', 'expired', 'exhausted')),
    status_reason TEXT NOT NULL DEFAULT '',
    citations     TEXT NOT NULL DEFAULT '[]',
    issued_by     TEXT NOT NULL,
    issued_at     TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
INSERT INTO permits_new (id, number, holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination, partner, crossing, unit, currency, quantity, val, quantity_used, value_used, valid_from, valid_to, status, status_reason, citations, issued_by, issued_at, updated_at)
    SELECT id, number, holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination, partner, crossing, unit, currency, tp_decimal(quantity), tp_decimal(val), tp_decimal(quantity_used), tp_decimal(value_used), valid_from, valid_to, status, status_reason, citations, issued_by, issued_at, updated_at FROM permits;

CREATE TABLE permit_caps_new (
    permit_id   INTEGER NOT NULL REFERENCES permits_new (id),
    cap         TEXT NOT NULL,
    period_from TIMESTAMP NOT NULL,
    period_to   TIMESTAMP NOT NULL,
    cap_limit   TEXT NOT NULL,
    unit        TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    used        TEXT NOT NULL,
    remaining   TEXT NOT NULL,
    PRIMARY KEY (permit_id, cap)
);
INSERT INTO permit_caps_new (permit_id, cap, period_from, period_to, cap_limit, unit, quantity, used, remaining)
    SELECT permit_id, cap, period_from, period_to, tp_decimal(cap_limit), unit, tp_decimal(quantity), tp_decimal(used), tp_decimal(remaining) FROM permit_caps;

CREATE TABLE permit_uses_new (
    id        INTEGER PRIMARY KEY,
    permit_id INTEGER NOT NULL REFERENCES permits_new (id),
    quantity  TEXT NOT NULL,
    val       TEXT NOT NULL,
    crossing  TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    used_by   TEXT NOT NULL,
    used_at   TIMESTAMP NOT NULL
);
INSERT INTO permit_uses_new (id, permit_id, quantity, val, crossing, reference, used_by, used_at)
    SELECT id, permit_id, tp_decimal(quantity), tp_decimal(val), crossing, reference, used_by, used_at FROM permit_uses;

DROP TABLE permit_uses;
DROP TABLE permit_caps;
DROP TABLE permits;
DROP TABLE line_decisions;
ALTER TABLE permits_new RENAME TO permits;
ALTER TABLE permit_caps_new RENAME TO permit_caps;
ALTER TABLE permit_uses_new RENAME TO permit_uses;
ALTER TABLE line_decisions_new RENAME TO line_decisions;

CREATE INDEX permits_holder ON permits (holder);

CREATE INDEX permits_plan ON permits (plan_id);

CREATE INDEX permit_caps_cap ON permit_caps (cap);

CREATE INDEX permit_uses_permit ON permit_uses (permit_id);
