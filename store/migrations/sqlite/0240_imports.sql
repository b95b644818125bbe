-- Necessary imports first, in the server (docs/imports.md#in-the-server):
-- each crossing's weekly capacity, set by an administrator; the versions
-- of each call's budget form (the latest counts; a version is never
-- rewritten, so two edits of one version cannot both land); and reviewers'
-- tier upgrades of import lines, bound to the plan version they were made on.
CREATE TABLE crossing_capacity (
    crossing        TEXT PRIMARY KEY REFERENCES crossings (id),
    tonnes_per_week TEXT NOT NULL,
    vehicles        TEXT NOT NULL DEFAULT '[]',
    set_by          TEXT NOT NULL,
    set_at          TIMESTAMP NOT NULL
);

CREATE TABLE call_budgets (
    call_id INTEGER NOT NULL REFERENCES calls (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    form    TEXT NOT NULL,
    set_by  TEXT NOT NULL,
    set_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (call_id, version)
);

CREATE TABLE tier_upgrades (
    plan_id     INTEGER NOT NULL REFERENCES plans (id),
    version     INTEGER NOT NULL,
    line_no     INTEGER NOT NULL,
    from_tier   INTEGER NOT NULL,
    tier        INTEGER NOT NULL CHECK (tier >= 1 AND tier < from_tier),
    reason      TEXT NOT NULL CHECK (reason <> ''),
    upgraded_by TEXT NOT NULL,
    upgraded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version, line_no)
);
