-- Enforcement cases (docs/enforcement.md): a flag of a declaration becomes
-- a case, one per declaration number and rule, worked by the authority's
-- compliance officers until closed with an outcome and a reason.
CREATE TABLE enforcement_cases (
    id            INTEGER PRIMARY KEY,
    declaration   TEXT NOT NULL,
    rule          TEXT NOT NULL,
    permit        TEXT NOT NULL DEFAULT '',
    subject       INTEGER NOT NULL REFERENCES organisations (id),
    severity      TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status        TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'closed')),
    summary       TEXT NOT NULL,
    citations     TEXT NOT NULL DEFAULT '[]',
    assignee      INTEGER REFERENCES users (id),
    outcome       TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '[]',
    opened_at     TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    closed_at     TIMESTAMP,
    UNIQUE (declaration, rule),
    CHECK (status <> 'closed' OR (outcome <> '' AND reason <> ''))
);
CREATE INDEX enforcement_cases_status ON enforcement_cases (status, severity);
