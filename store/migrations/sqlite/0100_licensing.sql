-- The licensing workflow: calls for plans, plans and their versions, line
-- decisions, permits with their cap draws and uses, border crossings.

CREATE TABLE calls (
    id                INTEGER PRIMARY KEY,
    period            TEXT NOT NULL CHECK (period <> ''),
    period_from       TIMESTAMP NOT NULL,
    period_to         TIMESTAMP NOT NULL,
    deadline          TIMESTAMP NOT NULL,
    guidance          TEXT NOT NULL DEFAULT '',
    issuer            INTEGER REFERENCES organisations (id),
    organisations     TEXT NOT NULL DEFAULT '[]',
    allow_late        INTEGER NOT NULL DEFAULT 0,
    forbid_own_review INTEGER NOT NULL DEFAULT 0,
    closed_at         TIMESTAMP,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    call_id      INTEGER NOT NULL REFERENCES calls (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    title        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'decided')),
    version      INTEGER NOT NULL CHECK (version >= 1),
    late         INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    UNIQUE (call_id, org_id)
);
CREATE INDEX plans_org ON plans (org_id);

CREATE TABLE plan_versions (
    plan_id      INTEGER NOT NULL REFERENCES plans (id),
    version      INTEGER NOT NULL,
    plan         TEXT NOT NULL,
    report       TEXT,
    diff         TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TIMESTAMP,
    PRIMARY KEY (plan_id, version)
);

CREATE TABLE line_decisions (
    plan_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    line_no      INTEGER NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('approve', 'refuse')),
    quantity     REAL NOT NULL,
    val          REAL NOT NULL,
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

CREATE TABLE line_assessments (
    plan_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    line_no     INTEGER NOT NULL,
    hs          TEXT NOT NULL,
    reason      TEXT NOT NULL,
    assessed_by TEXT NOT NULL,
    assessed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version, line_no),
    FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version)
);

CREATE TABLE compliance_decisions (
    id             INTEGER PRIMARY KEY,
    plan_id        INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    line_no        INTEGER NOT NULL,
    finding        TEXT NOT NULL,
    decision       TEXT NOT NULL CHECK (decision IN ('cleared', 'upheld')),
    match_decision TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL CHECK (reason <> ''),
    decided_by     TEXT NOT NULL,
    decided_at     TIMESTAMP NOT NULL,
    FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version)
);
CREATE INDEX compliance_decisions_line ON compliance_decisions (plan_id, version, line_no);

CREATE TABLE permit_sequences (
    period TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
);

CREATE TABLE permits (
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
    quantity      REAL NOT NULL CHECK (quantity > 0),
    val           REAL NOT NULL CHECK (val >= 0),
    quantity_used REAL NOT NULL DEFAULT 0 CHECK (quantity_used >= 0 AND quantity_used <= quantity),
    value_used    REAL NOT NULL DEFAULT 0 CHECK (value_used >= 0),
    valid_from    TIMESTAMP NOT NULL,
    valid_to      TIMESTAMP NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('issued', 'suspended', 'revoked', 'expired', 'exhausted')),
    status_reason TEXT NOT NULL DEFAULT '',
    citations     TEXT NOT NULL DEFAULT '[]',
    issued_by     TEXT NOT NULL,
    issued_at     TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX permits_holder ON permits (holder);
CREATE INDEX permits_plan ON permits (plan_id);

CREATE TABLE permit_caps (
    permit_id   INTEGER NOT NULL REFERENCES permits (id),
    cap         TEXT NOT NULL,
    period_from TIMESTAMP NOT NULL,
    period_to   TIMESTAMP NOT NULL,
    cap_limit   REAL NOT NULL,
    unit        TEXT NOT NULL,
    quantity    REAL NOT NULL,
    used        REAL NOT NULL,
    remaining   REAL NOT NULL,
    PRIMARY KEY (permit_id, cap)
);
CREATE INDEX permit_caps_cap ON permit_caps (cap);

CREATE TABLE permit_uses (
    id        INTEGER PRIMARY KEY,
    permit_id INTEGER NOT NULL REFERENCES permits (id),
    quantity  REAL NOT NULL,
    val       REAL NOT NULL,
    crossing  TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    used_by   TEXT NOT NULL,
    used_at   TIMESTAMP NOT NULL
);
CREATE INDEX permit_uses_permit ON permit_uses (permit_id);

CREATE TABLE crossings (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    countries  TEXT NOT NULL DEFAULT '[]',
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    since      TIMESTAMP NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE crossing_events (
    id         INTEGER PRIMARY KEY,
    crossing   TEXT NOT NULL REFERENCES crossings (id),
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    reason     TEXT NOT NULL DEFAULT '',
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX crossing_events_crossing ON crossing_events (crossing);
