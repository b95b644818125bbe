-- Who may decide: an authority's grants to its offices (see
-- licensing/permissions.go), and whether a call takes plans from the offices
-- under the organisations it names.

CREATE TABLE delegations (
    id         INTEGER PRIMARY KEY,
    authority  INTEGER NOT NULL REFERENCES organisations (id),
    office     INTEGER NOT NULL REFERENCES organisations (id),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    granted_by TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    revoked_by TEXT NOT NULL DEFAULT '',
    revoked_at TIMESTAMP,
    CHECK (authority <> office)
);

-- One standing delegation per office.
CREATE UNIQUE INDEX delegations_active_office ON delegations (office) WHERE revoked_at IS NULL;
CREATE INDEX delegations_authority ON delegations (authority);

ALTER TABLE calls ADD COLUMN include_offices INTEGER NOT NULL DEFAULT 0;
