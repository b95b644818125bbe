-- Organisations, users, sessions, API tokens, datasets, match decisions and
-- the hash-chained audit log.

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES organisations (id),
    name       TEXT NOT NULL CHECK (name <> ''),
    kind       TEXT NOT NULL CHECK (kind IN ('authority', 'province', 'agency', 'site', 'company')),
    country    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX organisations_parent ON organisations (parent_id);
CREATE UNIQUE INDEX organisations_sibling_name ON organisations (COALESCE(parent_id, 0), name);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    email         TEXT NOT NULL UNIQUE CHECK (email <> ''),
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('submitter', 'reviewer', 'compliance', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL DEFAULT '',
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE datasets (
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    version     TEXT NOT NULL DEFAULT '',
    imported_at TIMESTAMP NOT NULL,
    sha256      TEXT NOT NULL,
    counts      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (kind, name)
);

CREATE TABLE dataset_files (
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    file    TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (kind, name, seq),
    FOREIGN KEY (kind, name) REFERENCES datasets (kind, name) ON DELETE CASCADE
);

CREATE TABLE match_decisions (
    query         TEXT NOT NULL,
    list          TEXT NOT NULL,
    entry_id      TEXT NOT NULL,
    entry_version TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('false-positive', 'true-match')),
    reason        TEXT NOT NULL DEFAULT '',
    decided_by    TEXT NOT NULL,
    decided_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (query, list, entry_id)
);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    actor     TEXT NOT NULL,
    org_id    INTEGER NOT NULL DEFAULT 0,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

-- The head of the chain: the last entry's seq and hash. Appends read and
-- update it in the same transaction, which serialises them.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Append-only: the application never updates or deletes audit entries.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
